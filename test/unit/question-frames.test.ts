import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectQuestionIntent } from '../../src/tutor/question-intent.js';
import type { TutorAnswer } from '../../src/tutor/tutor-types.js';
import { createTestRuntime } from '../support/test-runtime.js';

/**
 * Questions framed in everyday words ("什么叫…", "啥是…", "what do people mean by…", "basically", "in plain words"): the
 * frame asks, it names nothing, so the question is read as its plain form would be.
 */
describe('everyday question frames', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  const cited = (answer: TutorAnswer): string =>
    answer.citations
      .flatMap((citation) =>
        (citation.spans ?? []).map((span) => citation.text.slice(span.start - citation.start, span.end - citation.start)),
      )
      .join('\n');
  const words = (question: string): string[] => fixture.runtime.understanding.analyze(question).words.map((word) => word.word);

  it('reads a definition asked in everyday words as a definition', () => {
    for (const question of [
      '什么叫微调？',
      '啥是调教？',
      '模型应用是个啥？',
      '说白了，微调到底是干嘛的？',
      '调教是干什么的？',
      'What do people mean by fine-tuning?',
      "What's the deal with tuning?",
      'What is meant by tuning?',
    ])
      expect(detectQuestionIntent(question), question).toBe('definition');
    expect(detectQuestionIntent('为啥微调要花那么久？')).toBe('reason');
  });

  it('answers an everyday definition with the defining sentence, in both languages', async () => {
    for (const question of ['什么叫微调？', '说白了，微调到底是干嘛的？', 'What do people mean by fine-tuning?']) {
      const answer = await fixture.runtime.offlineAnswerer.answer({ question });
      expect(answer.grounded, question).toBe(true);
      expect(cited(answer), question).toContain('微调通常指的是在预训练模型的基础上');
    }
  });

  it('asked for the short version ("basically", "说白了"), a definition is the defining sentence alone', async () => {
    for (const [question, defining] of [
      ["so what's tuning, basically?", '调教这个词通常更广义'],
      ['说白了，微调到底是干嘛的？', '微调通常指的是'],
    ] as const) {
      const answer = await fixture.runtime.offlineAnswerer.answer({ question });
      expect(cited(answer).split('\n'), question).toEqual([expect.stringContaining(defining)]);
    }
    const full = await fixture.runtime.offlineAnswerer.answer({ question: 'What does tuning mean?' });
    expect(cited(full).split('\n').length).toBeGreaterThan(1);
  });

  it('leaves frame words and phrases out of what the question is about', () => {
    expect(words('In plain words, what is model application?')).not.toContain('word');
    expect(words("so what's tuning, basically?")).toEqual(['调教']);
    expect(words('啥是调教？')).toEqual(['调教']);
    expect(words('微调会不会学过头？')).not.toContain('不会');
    expect(words('微调算不算调教的一部分？')).toEqual(['微调', '调教', '一部分']);
    const compared = words('直接拿模型来用和微调比，各有什么好处和坏处？');
    expect(compared).not.toContain('比');
    expect(compared).not.toContain('各有');
    expect(words('How do I customise a pretrained model for my own task?')).not.toContain('own');
  });

  it('takes a function character off a word jieba only guessed, so the word behind it is bridged', () => {
    const word = fixture.runtime.understanding.analyze('调参算调教还是微调？').words.find((entry) => entry.word === '调参');
    expect(word?.terms.map((term) => term.term)).toEqual(expect.arrayContaining(['参数', '调整']));
  });

  it('finds a glossary form that overlaps a longer one, not one inside it', () => {
    const named = (text: string): string[] => fixture.runtime.analyzer.findGlossaryTerms(text).map((term) => term.zh);
    expect(named('What does it mean to use a pretrained model as-is?')).toEqual(expect.arrayContaining(['预训练模型', '模型应用']));
    expect(named('What is a pre-trained model?')).not.toContain('模型应用');
  });

  it('knows "customise" in either spelling as fine-tuning a model', async () => {
    for (const question of [
      'How do I customise a pretrained model for my own task?',
      'Is customizing a model for translation fine-tuning?',
    ]) {
      const answer = await fixture.runtime.offlineAnswerer.answer({ question });
      expect(answer.grounded, question).toBe(true);
      expect(cited(answer), question).toMatch(/微调|特定任务/);
    }
  });

  // A risk asked in everyday words ("有什么需要担心的", "What's bad about…", "the limits of…"): the learner reads the risk
  // the article names for the topic (过拟合), not a sentence that only hedges ("但需要调整…").
  it('reads a worry, what is bad about something and its limits as a risk question', () => {
    for (const question of [
      '我打算微调一个模型，有什么需要担心的吗？',
      "What's bad about fine-tuning?",
      'What are the limits of applying a model as is?',
    ])
      expect(detectQuestionIntent(question), question).toBe('risk');
  });

  it('answers a risk asked in everyday words with the risk the article names, in both languages', async () => {
    for (const question of ['我打算微调一个模型，有什么需要担心的吗？', "What's bad about fine-tuning?"]) {
      const answer = await fixture.runtime.offlineAnswerer.answer({ question });
      expect(answer.grounded, question).toBe(true);
      expect(cited(answer), question).toContain('但也可能过拟合');
      expect(cited(answer), question).not.toContain('但需要调整以适应特定的应用场景');
    }
  });
});
