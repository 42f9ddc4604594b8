import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GlossaryTerm } from '../../src/ingest/glossary.js';
import { asksToCompare, respectsAsked } from '../../src/retrieval/aspect-words.js';
import { parallelSides } from '../../src/tutor/offline/contrast-sides.js';
import type { TutorAnswer } from '../../src/tutor/tutor-types.js';
import { createTestRuntime } from '../support/test-runtime.js';

const term = (zh: string, en: string[]): GlossaryTerm => ({ zh, en, gloss: en[0] ?? zh });
const FINETUNE = term('微调', ['fine-tuning']);
const APPLICATION = term('模型应用', ['model application']);

describe('the respects a comparison is asked in', () => {
  it('reads everyday words as the respect a heading names', () => {
    expect(respectsAsked('模型应用vs微调，哪个成本更低？').map((respect) => respect.name)).toEqual(['cost']);
    expect(respectsAsked('Is model application cheaper than fine-tuning?').map((respect) => respect.name)).toEqual(['cost']);
    expect(respectsAsked('How do they compare in accuracy?').map((respect) => respect.name)).toEqual(['effect']);
    expect(respectsAsked('跟直接使用预训练模型比，微调的好处是什么？').map((respect) => respect.name)).toEqual(['effect']);
    expect(respectsAsked('What are the pros and cons of each?').map((respect) => respect.name)).toEqual(['cost', 'effect']);
    expect(respectsAsked('微调和调教有什么区别？')).toEqual([]);
  });

  it('reads everyday respect words: 准, 费不费时间, how much data, learning something new', () => {
    expect(respectsAsked('模型应用和微调哪个更准？').map((respect) => respect.name)).toEqual(['effect']);
    expect(respectsAsked('跟微调比，费不费时间？').map((respect) => respect.name)).toEqual(['cost']);
    expect(respectsAsked('应用和微调哪个更需要数据？').map((respect) => respect.name)).toEqual(['process']);
    expect(respectsAsked('Which needs more data, fine-tuning or using the model as it is?').map((respect) => respect.name)).toEqual([
      'process',
    ]);
    expect(respectsAsked('模型自己会不会学新东西？').map((respect) => respect.name)).toEqual(['process']);
    // Data named in another sense asks about no respect of a comparison.
    expect(respectsAsked('Does the amount of data matter when fine-tuning?')).toEqual([]);
  });

  it('reads a merit in general as the effect, and a merit in a named respect as that respect', () => {
    expect(respectsAsked('微调有什么好处？').map((respect) => respect.name)).toEqual(['effect']);
    expect(respectsAsked('直接用现成的模型，速度上有什么好处？').map((respect) => respect.name)).toEqual(['cost']);
    expect(respectsAsked('What is the advantage of model application in cost?').map((respect) => respect.name)).toEqual(['cost']);
  });

  it('tells a question that compares from one that asks about its own words', () => {
    expect(asksToCompare('How do fine-tuning and model application compare in accuracy?')).toBe(true);
    expect(asksToCompare('模型应用和微调各自是为了什么？')).toBe(true);
    expect(asksToCompare('微调需要更长时间吗？')).toBe(true);
    expect(asksToCompare('微调能提高翻译的准确率吗？')).toBe(false);
    expect(asksToCompare('用做菜打个比方，微调的时间成本是什么？')).toBe(false);
    expect(asksToCompare('比如微调的准确率怎么样？')).toBe(false);
    expect(asksToCompare('What does fine-tuning adjust?')).toBe(false);
  });

  it('takes two clauses asking the same of each side as the sides', () => {
    const topics = [FINETUNE, APPLICATION];
    expect(parallelSides({ query: '微调要在新任务的数据集上训练，模型应用也要吗？', topics })).toEqual([FINETUNE, APPLICATION]);
    expect(
      parallelSides({
        query: 'What does the effect of model application depend on, and what does the effect of fine-tuning depend on?',
        topics: [APPLICATION, FINETUNE],
      }),
    ).toEqual([APPLICATION, FINETUNE]);
    // Two clauses asking different things are two questions, not one put to each side.
    expect(parallelSides({ query: '微调是什么，模型应用有什么用处？', topics })).toBeUndefined();
  });
});

/** What a learner reads when a comparison is asked in words other than the article's headings. */
describe('contrast and aspect answers give both sides', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  const ask = (question: string): Promise<TutorAnswer> => fixture.runtime.offlineAnswerer.answer({ question });
  const flat = (answer: TutorAnswer): string => answer.answer.replace(/\*\*/g, '');

  it('answers a cost question with the section on time and resources', async () => {
    const answer = flat(await ask('模型应用vs微调，哪个成本更低？'));
    expect(answer).toContain('更快,因为无需重新训练');
    expect(answer).toContain('时间较长,因为涉及到训练');
  });

  it('answers what both share in a respect from the common ground, not from how they differ in it', async () => {
    const answer = await ask('模型应用和微调对计算资源的需求有什么共同点？');
    expect(answer.answer).toContain('都需要较高的计算资源');
    expect(answer.answer).not.toContain('时间较长');
  });

  it('answers an accuracy question with the section on the effect, in English', async () => {
    const answer = flat(await ask('How do fine-tuning and model application compare in accuracy?'));
    expect(answer).toContain("depends on the original model's ability to generalise");
    expect(answer).toContain('it may also overfit');
  });

  it('answers pros and cons with both the effect and the cost of each', async () => {
    const answer = flat(await ask('What are the pros and cons of model application and fine-tuning?'));
    expect(answer).toContain('it usually works better than simple application');
    expect(answer).toContain('faster, because no retraining is needed');
    expect(answer).toContain('takes longer, because training is involved');
  });

  it('tells both sides of a yes/no question on two', async () => {
    const english = flat(await ask("Can model application or fine-tuning change the model's structure?"));
    expect(english).toContain('the model does not update its weights');
    expect(english).toContain("may lead to changes in the model's structure");
    const chinese = flat(await ask('微调要在新任务的数据集上训练，模型应用也要吗？'));
    expect(chinese).toContain('模型不更新权重');
    expect(chinese).toContain('模型的参数会在新任务的数据集上进行训练');
  });

  it('tells each side of a question put to both in two clauses', async () => {
    const answer = flat(await ask('What does the effect of application depend on, and what does the effect of fine-tuning depend on?'));
    expect(answer).toContain("depends on the original model's ability to generalise");
    expect(answer).toContain('depending on the fine-tuning strategy and the amount of data');
  });

  it('says the article is silent on a side in the asked respect instead of citing its definition', async () => {
    const chinese = await ask('微调和调教哪个更快？');
    expect(chinese.answer).toContain('时间较长,因为涉及到训练');
    expect(chinese.answer).toContain('至于「调教」，文章没有讲到这一点。');
    expect(chinese.answer).not.toContain('调教这个词通常更广义');
    const english = flat(await ask('Which is cheaper, fine-tuning or tuning?'));
    expect(english).toContain('As for tuning (调教), the article does not say.');
  });

  it('does not present a contrast as what two things share when the article lists nothing they share', async () => {
    const answer = await ask('微调和调教有什么共同点？');
    expect(answer.answer.startsWith('文章没有直接回答这个问题')).toBe(true);
    const shared = await ask('模型应用和微调有哪些共性？');
    expect(shared.answer.startsWith('「模型应用」和「微调」的共同点')).toBe(true);
  });

  it('compares with a side named in everyday words, in the respect asked by an A-not-A question', async () => {
    const answer = flat(await ask('直接拿现成的模型用，跟微调比，费不费时间？'));
    expect(answer).toContain('更快,因为无需重新训练');
    expect(answer).toContain('时间较长,因为涉及到训练');
    const cheaper = flat(await ask('直接用现成模型和微调，哪个更省资源？'));
    expect(cheaper).toContain('更快,因为无需重新训练');
    expect(cheaper).toContain('时间较长,因为涉及到训练');
  });

  it('reads "more accurate" between two ways of working as their effect, not as the choice of a word', async () => {
    const answer = flat(await ask('Which is more accurate, fine-tuning or just applying the model?'));
    expect(answer).toContain('it usually works better than simple application');
    expect(answer).not.toContain('the word "fine-tuning" is more accurate');
    const chinese = flat(await ask('模型应用和微调哪个更准？'));
    expect(chinese).toContain('效果通常优于简单的应用');
  });

  it('tells both sides of a comparative whose object is named in everyday words', async () => {
    const answer = flat(await ask('Does fine-tuning take more time than just using the model?'));
    expect(answer.startsWith('Yes.')).toBe(true);
    expect(answer).toContain('takes longer, because training is involved');
    expect(answer).toContain('faster, because no retraining is needed');
  });

  it('answers whether two things share anything with what they have in common', async () => {
    const answer = flat(await ask('Is there anything fine-tuning and simply applying a model share?'));
    expect(answer).toContain('both rely on large pre-trained models');
  });

  it('takes the two topics a pair word points back to as the sides, not a word of the context before them', async () => {
    const answer = await ask('我在看一篇讲大模型的文章，里面一会儿说微调一会儿说调教，我有点搞混了，这俩到底差在哪儿？');
    expect(answer.answer.startsWith('「微调」和「调教」的区别')).toBe(true);
    expect(answer.answer).toContain('调教这个词通常更广义');
  });

  it('answers "is X a part of Y" by each side\'s statement, not by a sentence that happens to say 部分', async () => {
    const answer = flat(await ask('微调算不算调教的一部分？'));
    expect(answer).toContain('它可以包括微调在内的任何模型参数调整的过程');
    expect(answer).not.toContain('对模型的部分或全部参数进行重新训练');
  });

  it("does not take the sentence naming both sides as one side's statement", async () => {
    const answer = flat(await ask('模型应用和大模型微调的侧重点有什么不同？'));
    expect(answer).toContain('直接使用预训练模型在特定任务上做预测');
    expect(answer).toContain('对模型的部分或全部参数进行重新训练');
  });

  it('tells each side by its own figure inside the analogy, the pre-trained model included', async () => {
    const answer = flat(await ask('在烹饪的例子中，预训练模型和微调分别对应什么？'));
    expect(answer).toContain('已经学会了很多烹饪技巧的厨师');
    expect(answer).toContain('对一道已经做得很好的菜进行小调整');
  });

  it("answers a comparative in a respect by each side's statement in it, not by what both share", async () => {
    const answer = flat(await ask('Is model application cheaper than fine-tuning?'));
    expect(answer).toContain('faster, because no retraining is needed');
    expect(answer).toContain('takes longer, because training is involved');
  });

  it('answers "which is slower, and why" with both sides, whose statements give the reasons', async () => {
    const answer = flat(await ask('微调和模型应用哪个更慢？为什么？'));
    expect(answer).toContain('时间较长,因为涉及到训练');
    expect(answer).toContain('更快,因为无需重新训练');
    const english = flat(await ask('Which takes longer, fine-tuning or model application, and why?'));
    expect(english).toContain('takes longer, because training is involved');
    expect(english).toContain('faster, because no retraining is needed');
  });

  it('answers "is A or B better when…" with what each suits', async () => {
    const answer = flat(await ask('Is fine-tuning or model application better when the new task is very similar to the original one?'));
    expect(answer).toContain('usually suits cases where the tasks are highly similar');
  });

  it('reads "A broader than B" as joining the two sides', async () => {
    const answer = flat(await ask('In what way is tuning broader than fine-tuning?'));
    expect(answer).toContain('the word tuning is usually broader');
    expect(answer).toContain('fine-tuning usually refers to further training for a specific task');
  });

  it('reads a side named by what it does (重新训练, "retraining") as the item whose statements do it', async () => {
    const answer = flat(await ask('拿来就用和重新训练有什么区别？'));
    expect(answer).toContain('对模型的部分或全部参数进行重新训练');
    expect(answer).toContain('直接使用预训练模型在特定任务上做预测');
    const english = flat(await ask('Which costs more compute, just running the model or retraining it?'));
    expect(english).toContain('faster, because no retraining is needed');
    expect(english).toContain('takes longer, because training is involved');
  });

  it('does not take the sentence that names both terms together as one side, nor "each" as a respect', async () => {
    const answer = flat(await ask('Tuning vs fine-tuning in one sentence each?'));
    expect(answer).toContain('the word tuning is usually broader');
    expect(answer).not.toContain('each have their specific meaning');
  });

  it('answers "is it better to A or B" with what each option suits, not a yes', async () => {
    const answer = flat(await ask('Is it better to just use a pretrained model or to customise it for my task?'));
    expect(answer.startsWith('Yes')).toBe(false);
    expect(answer).toContain('usually suits cases where the tasks are highly similar');
  });

  it('answers "another word for" as a question whether the two are the same: no, the article relates them', async () => {
    const answer = flat(await ask('Is tuning just another word for fine-tuning?'));
    expect(answer.startsWith('No.')).toBe(true);
    expect(answer).toContain('fine-tuning usually refers to further training for a specific task');
    expect(answer).toContain('the word tuning is usually broader');
  });
});
