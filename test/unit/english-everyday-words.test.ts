import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aspectOf, aspectStatementWordsOf } from '../../src/retrieval/aspect-words.js';
import { normalizeEnglishWord } from '../../src/retrieval/text-analyzer.js';
import type { TutorAnswer } from '../../src/tutor/tutor-types.js';
import { createTestRuntime } from '../support/test-runtime.js';

/** English questions in everyday words for an aspect the article states in its own words (time, resources, GPUs). */
describe('everyday aspect words', () => {
  it('reads a word of cost or of hardware, as written or stemmed, as its aspect, and stated in its words', () => {
    expect(aspectOf('pricier')).toBe('cost');
    expect(aspectOf(normalizeEnglishWord('expenses'))).toBe('cost');
    expect(aspectOf('Computers')).toBe('hardware');
    expect(aspectOf('model')).toBeUndefined();
    expect(aspectStatementWordsOf('cheap')).toEqual(expect.arrayContaining(['time', 'resources', '时间']));
    expect(aspectStatementWordsOf('hardware')).toEqual(expect.arrayContaining(['gpu', '计算资源']));
    expect(aspectOf(normalizeEnglishWord('outcomes'))).toBe('effect');
    expect(aspectStatementWordsOf('learning')).toEqual([]);
  });
});

describe('English questions in everyday words on the shipped corpus', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());
  const ask = (question: string): Promise<TutorAnswer> => fixture.runtime.offlineAnswerer.answer({ question });
  const cited = (answer: TutorAnswer): string =>
    answer.citations
      .flatMap((citation) =>
        (citation.spans ?? []).map((span) => citation.text.slice(span.start - citation.start, span.end - citation.start)),
      )
      .join(' ');

  it('a difference in cost is answered by the time-and-resources sentences of both sides', async () => {
    const answer = await ask('How do applying a model and fine-tuning differ in cost?');
    expect(answer.grounded).toBe(true);
    expect(cited(answer)).toContain('更快,因为无需重新训练');
    expect(cited(answer)).toContain('时间较长,因为涉及到训练');
    expect(answer.answer).toContain('takes longer');
  });

  it('a yes/no question on cost or hardware is answered by the sentence stating time or computing resources', async () => {
    const pricier = await ask('Is fine-tuning pricier than using a pre-trained model directly?');
    // "time" is not read inside "sentiment" (the example sentence), nor "directly" of the object as the claim.
    expect(cited(pricier)).toContain('时间较长,因为涉及到训练');
    // The section on what both share says it of fine-tuning too, though it names neither.
    const computers = await ask('Do you need powerful computers to fine-tune a model?');
    expect(cited(computers)).toContain('需要较高的计算资源,如GPU支持');
    const hardware = await ask('Does simply applying a model also demand strong hardware?');
    expect(hardware.answer).toMatch(/^Yes\./);
    expect(cited(hardware)).toContain('需要较高的计算资源,如GPU支持');
  });

  it('a term named inside another term\'s name is part of it: "use a pretrained model as-is" asks about model application', async () => {
    const answer = await ask('What does it mean to use a pretrained model as-is?');
    expect(answer.answer).toMatch(/^What is \*\*model application/);
    expect(cited(answer)).toContain('通常是直接使用预训练模型在特定任务上做预测');
  });

  it('what both need, asked of hardware, is the shared item on computing resources alone', async () => {
    const answer = await ask('What kind of hardware do model application and fine-tuning both need?');
    expect(cited(answer)).toContain('都需要较高的计算资源,如GPU支持');
    expect(cited(answer)).not.toContain('两者都依赖于大型预训练模型');
  });

  it('a difference in quality is answered by the effectiveness bullets of both sides', async () => {
    const answer = await ask('Do fine-tuning and model application differ in quality?');
    expect(cited(answer)).toContain('效果通常优于简单的应用');
    expect(cited(answer)).toContain('效果取决于原始模型的泛化能力');
  });

  it('"Is X cheap?" is answered, and naming the resources a cost is stated in gives no verdict of its own', async () => {
    // "cheap" after "applying a model" is said of it, not an object in another sense.
    const applying = await ask('Is applying a model cheap?');
    expect(applying.grounded).toBe(true);
    expect(applying.answer).not.toMatch(/^Yes\./);
    // "takes longer" does not say that fine-tuning is cheap.
    const fineTuning = await ask('Is fine-tuning cheap?');
    expect(fineTuning.answer).not.toMatch(/^Yes\./);
    expect(cited(fineTuning)).toContain('时间较长,因为涉及到训练');
  });

  it('a price asked of something the article never names stays out of scope', async () => {
    for (const question of [
      'Is prompt engineering cheaper than fine-tuning?',
      'How much does it cost to fine-tune a large model?',
      'How much does it cost to rent a GPU per hour?',
      'Where is the nearest hardware store?',
    ])
      expect((await ask(question)).grounded, question).toBe(false);
  });

  it('a question on what fine-tuning costs is a question of its cost, not of its risks', async () => {
    const answer = await ask('What does fine-tuning cost?');
    expect(answer.answer).not.toMatch(/limits and risks/);
    expect(answer.answer).toMatch(/takes longer|computing resources/);
  });
});
