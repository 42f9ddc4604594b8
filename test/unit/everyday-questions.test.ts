import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAbbreviationFinder } from '../../src/retrieval/shortened-forms.js';
import { explainAgainOf, readExplainAgainRequest } from '../../src/tutor/explain-request.js';
import { affirmativeForm, mainClauseOf } from '../../src/tutor/offline/yes-no-plan.js';
import { detectQuestionIntent } from '../../src/tutor/question-intent.js';
import type { TutorAnswer } from '../../src/tutor/tutor-types.js';
import { answerConversation, createTestRuntime } from '../support/test-runtime.js';

/**
 * Questions as learners put them, not as the cases first phrased them: contrasts in everyday words, typed
 * explain-again requests, yes/no questions in A-not-A form, and the article's summary bullets as a list.
 */
describe('reading everyday questions', () => {
  it('tells the kind of question from everyday phrasings', () => {
    expect(detectQuestionIntent('微调跟调教差在哪？')).toBe('difference');
    expect(detectQuestionIntent('How do I tell fine-tuning and tuning apart?')).toBe('difference');
    expect(detectQuestionIntent('How do applying a model and fine-tuning differ in cost?')).toBe('aspect');
    expect(detectQuestionIntent('应用和微调，哪个效果好一些？')).toBe('aspect');
    expect(detectQuestionIntent('什么是过拟合？')).toBe('definition');
    expect(detectQuestionIntent('微调会不会过拟合？取决于什么？')).toBe('risk');
    expect(detectQuestionIntent('微调为啥要花那么久？')).toBe('reason');
    expect(detectQuestionIntent('Any catch with fine-tuning?')).toBe('risk');
    expect(detectQuestionIntent('直接拿预训练模型来用，有啥短板？')).toBe('risk');
    expect(detectQuestionIntent('微调有没有什么坑要注意？')).toBe('risk');
    expect(detectQuestionIntent('Are there any gotchas or side effects of fine-tuning?')).toBe('risk');
    // Attention asked for a thing, not for what to watch out for, is no risk question.
    expect(detectQuestionIntent('微调时要注意学习率吗？')).not.toBe('risk');
  });

  it('recognises a typed explain-again request, and only when it asks nothing of its own', () => {
    expect(readExplainAgainRequest('Explain it more simply')).toEqual({ style: 'simpler' });
    expect(readExplainAgainRequest('说简单点')).toEqual({ style: 'simpler' });
    expect(readExplainAgainRequest('能用比喻解释一下吗？')).toEqual({ style: 'analogy' });
    expect(readExplainAgainRequest('Can you explain it with an analogy?')).toEqual({ style: 'analogy' });
    expect(readExplainAgainRequest('用中文')).toEqual({ language: 'zh' });
    expect(readExplainAgainRequest('In English, please')).toEqual({ language: 'en' });
    expect(readExplainAgainRequest('用比喻解释一下微调')).toBeUndefined();
    expect(readExplainAgainRequest('Can fine-tuning simply reuse the model?')).toBeUndefined();
    expect(readExplainAgainRequest('微调是什么？')).toBeUndefined();
  });

  it('a language request after an analogy request keeps the analogy; without an answer before it is no request', () => {
    const history = [
      { question: 'What is tuning?', searchedFor: 'What is tuning?' },
      { question: 'Can you explain it with an analogy?', searchedFor: 'What is tuning?' },
    ];
    expect(explainAgainOf('用中文', history)).toEqual({ query: 'What is tuning?', style: 'analogy', language: 'zh' });
    expect(explainAgainOf('用中文', history.slice(0, 1))).toEqual({ query: 'What is tuning?', language: 'zh' });
    expect(explainAgainOf('Explain it more simply', [])).toBeUndefined();
  });

  it('reads an A-not-A question as the affirmative it asks about, and a pointing-back clause with the one before it', () => {
    expect(affirmativeForm('调教是不是就是调参？')).toBe('调教是就是调参？');
    expect(affirmativeForm('微调需不需要GPU？')).toBe('微调需要GPU？');
    expect(affirmativeForm('微调不需要数据吗？')).toBe('微调不需要数据吗？');
    expect(mainClauseOf('我把学习率调了一下，这算调教吗？')).toBe('我把学习率调了一下，这算调教吗？');
    expect(mainClauseOf('直接应用的时候，会更新权重吗？')).toBe('会更新权重吗？');
  });

  it('reads a two-character abbreviation as the two corpus words written next to each other', () => {
    const find = createAbbreviationFinder([
      ['模型', '参数', '调整', '过程'],
      ['调料', '烹饪', '时间'],
    ]);
    expect(find('调参')).toEqual(['参数', '调整']);
    expect(find('烹调')).toEqual(['调料', '烹饪']);
    expect(find('参时')).toEqual([]);
    const ambiguous = createAbbreviationFinder([
      ['调整', '参数'],
      ['调教', '参考'],
    ]);
    expect(ambiguous('调参')).toEqual([]);
  });
});

describe('everyday questions answered on the shipped corpus', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  const converse = (...questions: string[]): Promise<TutorAnswer[]> => answerConversation(fixture.runtime.offlineAnswerer, questions);
  const cited = (answer: TutorAnswer): string[] =>
    answer.citations.flatMap((citation) =>
      (citation.spans ?? []).map((span) => citation.text.slice(span.start - citation.start, span.end - citation.start)),
    );
  const markers = (answer: TutorAnswer): string[] => answer.answer.match(/\[\d+\]/g) ?? [];

  it('a sameness question says they are not the same, gives both sides and both halves of the summary, one marker each', async () => {
    const [answer] = (await converse('调角和微调一样吗？')) as [TutorAnswer];
    expect(answer.answer).toMatch(/^「调教」和「微调」不是一回事/);
    expect(answer.answer).toContain('使用微调');
    expect(answer.answer).toContain('使用调教');
    expect(new Set(markers(answer)).size).toBe(markers(answer).length);
    const [english] = (await converse('Are fine-tuning and tuning the same thing?')) as [TutorAnswer];
    expect(english.answer).toMatch(/^Not quite the same/);
  });

  it('a contrast asked in everyday words states each side', async () => {
    for (const question of ['微调跟调教差在哪？', '微调 调教 区别', 'How do I tell fine-tuning and tuning apart?']) {
      const [answer] = (await converse(question)) as [TutorAnswer];
      const sentences = cited(answer).join('\n');
      expect(sentences, question).toMatch(/微调通常指的是|进行特定任务的训练,使用微调/);
      expect(sentences, question).toMatch(/调教这个词通常更广义|调教则是一个更宽泛的概念|使用调教/);
    }
  });

  it('the article’s summary bullets are told as list items', async () => {
    const [answer] = (await converse('微调和调教有什么区别？')) as [TutorAnswer];
    expect(answer.answer).toMatch(/\n- 如果是在预训练模型的基础上[^\n]*\n- 如果是在模型训练的任何阶段/);
    const [english] = (await converse('What is the difference between fine-tuning and tuning?')) as [TutorAnswer];
    expect(english.answer).toMatch(/\n- If you are training[^\n]*\n- If you are optimising/);
  });

  it('a yes/no question opens with a verdict the quote bears out', async () => {
    const [tiaocan] = (await converse('调教是不是就是调参？')) as [TutorAnswer];
    expect(tiaocan.answer).not.toMatch(/^不是这样/);
    expect(cited(tiaocan).join('\n')).toMatch(/参数调整|学习率的改变|对参数进行调整/);
    const [gpus] = (await converse('Does fine-tuning need a lot of GPUs?')) as [TutorAnswer];
    expect(gpus.answer).toMatch(/^Yes\./);
    const [rate] = (await converse('我把学习率调了一下，这算调教吗？')) as [TutorAnswer];
    expect(cited(rate).join('\n')).toContain('学习率的改变');
  });

  it('a typed explain-again request explains the previous answer again', async () => {
    const [, analogy] = (await converse('调教是什么？', '能用比喻解释一下吗？')) as [TutorAnswer, TutorAnswer];
    expect(analogy.grounded).toBe(true);
    const chunks = fixture.runtime.passageSearch.allChunks();
    for (const citation of analogy.citations)
      expect(chunks.find((chunk) => chunk.chunkId === citation.chunkId)?.headingPath.some((heading) => heading.includes('烹饪'))).toBe(
        true,
      );
    const [first, simpler] = (await converse('What is tuning?', 'Explain it more simply')) as [TutorAnswer, TutorAnswer];
    expect(simpler.answer).not.toBe(first.answer);
    expect(simpler.answer).toMatch(/^In short/);
    const [, , chinese] = (await converse('What is tuning?', 'Can you explain it with an analogy?', '用中文')) as TutorAnswer[] as [
      TutorAnswer,
      TutorAnswer,
      TutorAnswer,
    ];
    expect(chinese.language).toBe('zh');
    expect(chinese.answer).toMatch(/^文章用这个比喻/);
  });

  it('an everyday risk question (有什么坑) cites the risk the article names', async () => {
    const [answer] = (await converse('微调有没有什么坑要注意？')) as [TutorAnswer];
    expect(cited(answer).join('\n')).toContain('但也可能过拟合');
  });

  it('a risk question cites the risk the article names, not a sentence that only hedges', async () => {
    const [answer] = (await converse('直接拿预训练模型来用，有啥短板？')) as [TutorAnswer];
    expect(cited(answer).join('\n')).toContain('但可能效果不如微调');
  });
});
