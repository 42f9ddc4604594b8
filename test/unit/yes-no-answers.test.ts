import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TutorAnswer } from '../../src/tutor/tutor-types.js';
import { citedSentences } from '../support/cited-sentences.js';
import { createTestRuntime } from '../support/test-runtime.js';

/**
 * Yes/no answers on the shipped corpus as a learner reads them: the verdict first only when the cited sentence carries
 * the question's predicate (not just its topic), "no" when it states the opposite, and for a comparison with something
 * the article does not compare with, what it does compare. Questions in both languages, of our own writing.
 */
describe('yes/no answers: the verdict rests on the predicate', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  const ask = (question: string): Promise<TutorAnswer> => fixture.runtime.offlineAnswerer.answer({ question });
  const lead = (answer: TutorAnswer): string => answer.answer.split('\n')[0] ?? '';
  const cited = (answer: TutorAnswer): string => citedSentences(fixture.runtime.passageSearch, answer).join('\n');

  it.each([
    // The topic (微调) is in the evidence; the predicate's opposite is (在预训练模型的基础上 against 从零开始).
    ['微调的时候模型要从零开始学吗？', /^不是/, /在预训练模型的基础上|在已有的基础上/],
    ['Does fine-tuning start from scratch?', /^No\./, /在预训练模型的基础上|在已有的基础上/],
    ['微调比模型应用更省时间吗？', /^不是/, /时间较长/],
    ['Is fine-tuning faster than model application?', /^No\./, /时间较长|更快/],
    ['模型应用比微调更快吗？', /^是的/, /更快,因为无需重新训练/],
    ['Is model application slower than fine-tuning?', /^No\./, /更快,因为无需重新训练/],
    ['调教的含义比微调更窄吗？', /^不是/, /更广义|更宽泛/],
    // Evidence on the compared term answers the other way round.
    ['Is fine-tuning broader than tuning?', /^No\./, /更广义|更宽泛/],
    ['Is tuning a broader concept than fine-tuning?', /^Yes\./, /更广义|更宽泛/],
    ['微调是对模型进行大范围的调整吗？', /^不是/, /小的调整|小范围的调整/],
    ['Does model application need few computing resources?', /^No\./, /较高的计算资源/],
    ['调教只在训练的最后阶段进行吗？', /^不是/, /任何阶段/],
    ['Is tuning only done at the end of training?', /^No\./, /任何阶段/],
    // "happen" says no more than "is done": the claim is "at any stage".
    ['Can tuning happen at any stage of training?', /^Yes\./, /任何阶段/],
    ['模型应用的效果一定比微调好吗？', /^不是/, /不如微调|优于简单的应用/],
    ['微调会调整模型的全部参数吗？', /^有可能/, /部分或全部参数/],
    // jieba cuts 会过|拟合; the article's word is 过拟合, so 会过 is no claim of its own.
    ['微调会过拟合吗？', /^有可能/, /也可能过拟合/],
  ])('%s', async (question, verdict, evidence) => {
    const answer = await ask(question);
    expect(lead(answer)).toMatch(verdict);
    expect(cited(answer)).toMatch(evidence);
  });

  it.each([
    ['微调能提高翻译的准确率吗？', /^文章没有直接说是或不是/],
    ['微调会降低模型的泛化能力吗？', /^文章没有直接说是或不是/],
    ['Does fine-tuning require labelled data?', /^The article does not say yes or no outright/],
    ['调教比微调更难吗？', /^文章没有直接说是或不是/],
    // The predicate's own word (忘掉) is in no passage: the sentence shares only 模型 with it (no verdict, or not covered).
    ['微调会不会让模型忘掉原来学的东西？', /^(?:文章没有直接说是或不是|文章没有讲到这个问题)/],
  ])('gives no verdict the article does not give: %s', async (question, frame) => {
    expect(lead(await ask(question))).toMatch(frame);
  });

  it.each([
    ['调教要很多显卡吗？', /^文章没有直接说是或不是/],
    ['Does tuning need a lot of GPUs?', /^The article does not say yes or no outright/],
  ])('gives no verdict from a line on what two other things share: %s', async (question, frame) => {
    // 共性 of the note on 模型应用 and 微调: "都需要较高的计算资源,如GPU支持" says nothing of 调教. Still cited.
    const answer = await ask(question);
    expect(lead(answer)).toMatch(frame);
    expect(cited(answer)).toContain('较高的计算资源');
  });

  it.each([
    '微调就是调教吗？',
    '调教就是微调吗？',
    '微调是不是调教？',
    'Is fine-tuning the same as tuning?',
    'Is tuning just fine-tuning?',
  ])('answers an identity question the article contrasts with no, the sentence on their relation first: %s', async (question) => {
    const answer = await ask(question);
    expect(lead(answer)).toMatch(/^(?:不是|No\.)/);
    const [relation, other] = citedSentences(fixture.runtime.passageSearch, answer);
    expect(relation).toContain('它可以包括微调在内');
    expect(other).toMatch(/^微调|微调通常指的是/);
  });

  it('says so where the article states a relation as asked: 调教包括微调 is yes', async () => {
    expect(lead(await ask('调教包括微调吗？'))).toMatch(/^是的/);
  });

  it('says what the article compares with when the question compares with something else', async () => {
    const english = await ask('Does fine-tuning take less time than training from scratch?');
    expect(lead(english)).toMatch(/^The article does not make that comparison; it compares \*\*fine-tuning\*\* \(微调\) with .*模型应用/);
    expect(cited(english)).toContain('时间较长,因为涉及到训练');
    expect(cited(english)).toContain('更快,因为无需重新训练');
    const chinese = await ask('模型应用比调教更快吗？');
    expect(lead(chinese)).toBe('文章没有做这个比较；它比较的是「模型应用」和「微调」：');
  });

  it('names no comparison from a list of what both share: its other items are points, not sides', async () => {
    // 共性 lists 复用价值 and 计算资源需求: "both need substantial computing resources" compares fine-tuning with neither.
    const answer = await ask('Does fine-tuning need more hardware than using the model as is?');
    expect(lead(answer)).not.toMatch(/does not make that comparison|compares/);
    expect(answer.answer).toContain('both need substantial computing resources');
  });
});
