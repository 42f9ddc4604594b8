import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toTurn } from '../../src/evaluation/run-evaluation.js';
import { englishNounPhrase, NEXT_QUESTION_KINDS, phraseNextQuestion } from '../../src/tutor/next-questions.js';
import { detectQuestionIntent } from '../../src/tutor/question-intent.js';
import type { ConversationTurn } from '../../src/tutor/tutor-types.js';
import { createTestRuntime } from '../support/test-runtime.js';

const CJK = /[\u3400-\u9fff]/;
const normalise = (text: string): string => text.replace(/[\s?？!！。.,，]/g, '').toLowerCase();

/** What a learner sees under each answer of a conversation, and what asking each suggestion then gives. */
describe('suggested follow-ups', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  const sameQuestion = (left: string, right: string): boolean => {
    const terms = (text: string) =>
      fixture.runtime.analyzer
        .findGlossaryTerms(text)
        .map((term) => term.zh)
        .sort()
        .join();
    return detectQuestionIntent(left) === detectQuestionIntent(right) && terms(left) === terms(right);
  };

  const conversations: readonly (readonly string[])[] = [
    ['微掉的时候模型要从零开始学吗？', '那调教呢？', '有什么风险？'],
    ['微调和调教有什么区别？', '能举个例子吗？', '为什么？'],
    ['微调是什么？', '那调教呢？', '烹饪的例子说明了什么？'],
    ['Does fine-tuning start from scratch?', 'What about tuning?', 'What are the risks?'],
    ['What is the difference between fine-tuning and tuning?', 'Can you give me an example?', 'Why?'],
  ];

  it.each(conversations)(
    'in a 3-turn conversation (%s ...), every suggestion is new, in the learner language and answerable',
    async (...questions) => {
      const answerer = fixture.runtime.offlineAnswerer;
      const history: ConversationTurn[] = [];
      let previous: readonly string[] = [];
      let beforeLast: readonly string[] = [];
      for (const question of questions) {
        const answer = await answerer.answer({ question, history });
        const english = answer.language === 'en';
        expect(answer.followUps.length, `suggestions under "${question}"`).toBeGreaterThanOrEqual(2);
        expect(new Set(answer.followUps).size).toBe(answer.followUps.length);
        const asked = [...history.flatMap((turn) => [turn.question, turn.searchedFor]), question, answer.searchedFor].map(normalise);
        const citedSoFar = new Set([
          ...history.flatMap((turn) => turn.citedChunkIds),
          ...answer.citations.map((citation) => citation.chunkId),
        ]);
        for (const followUp of answer.followUps) {
          // Not one shown under the previous answer, nor one already asked.
          expect(previous, `"${followUp}" under "${question}" was suggested under the previous answer too`).not.toContain(followUp);
          // Nor the same question in other words ("调教和微调有什么区别？" after "微调和调教有什么区别？").
          for (const shown of previous) expect(sameQuestion(shown, followUp), `"${followUp}" repeats "${shown}"`).toBe(false);
          expect(asked).not.toContain(normalise(followUp));
          // In the learner's language.
          if (english) expect(followUp).not.toMatch(CJK);
          else expect(followUp).toMatch(CJK);
          if (!english) expect(followUp).not.toMatch(/[A-Za-z]{3,}/);
          // Asked, it gives a covered answer that cites something the conversation has not cited yet.
          const followed = await answerer.answer({ question: followUp, history: [...history, toTurn(question, answer)] });
          expect(followed.grounded, `"${followUp}" is not answered`).toBe(true);
          expect(followed.language).toBe(answer.language);
          expect(
            followed.citations.some((citation) => !citedSoFar.has(citation.chunkId)),
            `"${followUp}" only repeats passages the conversation cited`,
          ).toBe(true);
        }
        // Those of the answer before last come back only after new ones, never as the whole list again.
        if (beforeLast.length > 0) {
          expect(answer.followUps).not.toEqual(beforeLast);
          expect(beforeLast, `"${question}" leads with a suggestion shown two answers ago`).not.toContain(answer.followUps[0]);
        }
        history.push(toTurn(question, answer));
        beforeLast = previous;
        previous = answer.followUps;
      }
    },
  );

  it('after what a term is, suggests how it differs from the term the article contrasts it with, and what that one is', async () => {
    const zh = await fixture.runtime.offlineAnswerer.answer({ question: '微调是什么？' });
    expect(zh.followUps).toContain('微调和调教有什么区别？');
    expect(zh.followUps).toContain('调教是什么意思？');
    const en = await fixture.runtime.offlineAnswerer.answer({ question: 'What is fine-tuning?' });
    expect(en.followUps).toContain('How does fine-tuning differ from tuning?');
    expect(en.followUps).toContain('What is tuning?');
  });

  it('after a contrast that quoted the article summary, suggests the analogy or the example, not the summary or the contrast again', async () => {
    for (const question of ['调教和微调的区别是什么？', 'How is fine-tuning different from tuning?']) {
      const answer = await fixture.runtime.offlineAnswerer.answer({ question });
      expect(answer.answer).toMatch(/总结|summary/);
      expect(answer.followUps.some((followUp) => /总结|sum up/.test(followUp))).toBe(false);
      expect(answer.followUps.some((followUp) => /区别|differ/.test(followUp) && /调教|tuning/.test(followUp))).toBe(false);
      expect(answer.followUps.some((followUp) => /比喻|例子|analogy|example/.test(followUp))).toBe(true);
    }
  });

  it('after the other side of a contrast, does not suggest the contrast shown under the previous answer again', async () => {
    const first = await fixture.runtime.offlineAnswerer.answer({ question: '微调是什么？' });
    const second = await fixture.runtime.offlineAnswerer.answer({ question: '调教是什么？', history: [toTurn('微调是什么？', first)] });
    // The contrast was suggested under the first answer: the second goes on with 调教's own analogy, not the contrast again.
    expect(first.followUps).toContain('微调和调教有什么区别？');
    expect(second.followUps.some((followUp) => /区别/.test(followUp) && /微调/.test(followUp) && /调教/.test(followUp))).toBe(false);
    expect(second.followUps).toContain('能用比喻讲讲调教吗？');
  });

  it('asks about subjects of the article, never about a word of it (特定任务, 机器学习) or its cooking figure', async () => {
    const questions = [
      '微掉的时候模型要从零开始学吗？',
      '烹饪的例子说明了什么？',
      'Does fine-tuning start from scratch?',
      '今天北京天气怎么样？',
    ];
    for (const question of questions) {
      const answer = await fixture.runtime.offlineAnswerer.answer({ question });
      for (const followUp of answer.followUps) {
        expect(followUp).not.toMatch(/特定任务|机器学习|上下文|烹饪|调料|specific task|machine learning|context|cooking|seasoning/i);
        expect(followUp).not.toMatch(/What does the article say about/);
      }
    }
  });

  it('phrases each kind so that the answerer reads it as that kind of question', () => {
    const terms = fixture.runtime.analyzer.glossary.terms;
    const term = (zh: string) => terms.find((entry) => entry.zh === zh)!;
    // Each kind is named as the intent that chooses its answer plan.
    for (const kind of NEXT_QUESTION_KINDS) {
      for (const language of ['zh', 'en'] as const) {
        const question = phraseNextQuestion(kind, [term('预训练模型'), term('微调')], language)!;
        expect(detectQuestionIntent(question), question).toBe(kind);
      }
    }
  });

  it('writes grammatical English: an article before a countable term, none before a mass noun or a plural', () => {
    expect(englishNounPhrase('pre-trained model').phrase).toBe('a pre-trained model');
    expect(englishNounPhrase('hyperparameter').phrase).toBe('a hyperparameter');
    expect(englishNounPhrase('overfitting').phrase).toBe('overfitting');
    expect(englishNounPhrase('sentiment analysis').phrase).toBe('sentiment analysis');
    expect(englishNounPhrase('computing resources')).toEqual({ phrase: 'computing resources', plural: true });
    expect(englishNounPhrase('model application (using a pre-trained model as is)').phrase).toBe('model application');
    const terms = fixture.runtime.analyzer.glossary.terms;
    const term = (zh: string) => terms.find((entry) => entry.zh === zh)!;
    expect(phraseNextQuestion('definition', [term('预训练模型')], 'en')).toBe('What is a pre-trained model?');
    expect(phraseNextQuestion('definition', [term('计算资源')], 'en')).toBe('What are computing resources?');
    expect(phraseNextQuestion('analogy', [term('预训练模型')], 'en')).toBe('Is there an analogy for a pre-trained model?');
  });
});
