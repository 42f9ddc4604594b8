import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toTurn } from '../../src/evaluation/run-evaluation.js';
import type { ConversationTurn, TutorAnswer } from '../../src/tutor/tutor-types.js';
import { createTestRuntime } from '../support/test-runtime.js';

/**
 * Both sides of a comparison, however the learner names them: "两者" / "the two" for what the conversation named, the
 * article's own pair when nothing was named, the two options of a which-question, a comparative's scale.
 */
describe('the two sides of a comparison', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  /** The last answer of a conversation, each earlier turn answered first and kept as history. */
  async function converse(...questions: string[]): Promise<TutorAnswer> {
    const history: ConversationTurn[] = [];
    let answer: TutorAnswer | undefined;
    for (const question of questions) {
      answer = await fixture.runtime.offlineAnswerer.answer({ question, history: [...history] });
      history.push(toTurn(question, answer));
    }
    return answer as TutorAnswer;
  }
  const text = (answer: TutorAnswer): string => answer.answer.replace(/\*\*/g, '');

  it('reads 两者 and "the two" as the last two topics the conversation named', async () => {
    const zh = await converse('模型应用是什么？', '那微调呢？', '两者在训练过程上有什么不同？');
    expect(zh.searchedFor).toBe('模型应用和微调在训练过程上有什么不同？');
    expect(text(zh)).toContain('模型不更新权重');
    expect(text(zh)).toContain('模型的参数会在新任务的数据集上进行训练');

    const en = await converse('What is tuning?', 'What is fine-tuning?', 'How do the two terms differ?');
    expect(en.searchedFor).toBe('How do tuning and fine-tuning differ?');
    expect(text(en)).toMatch(/the word tuning is usually broader|tuning, by contrast, is a broader concept/i);
    expect(text(en)).toMatch(/fine-tuning usually refers to/i);

    const they = await converse('What is model application?', 'And fine-tuning?', 'Do they differ in cost?');
    expect(they.searchedFor).toBe('Do model application and fine-tuning differ in cost?');
  });

  it('takes the article’s own two terms when a comparison names none', async () => {
    const answer = await converse('文章里这两个词到底有什么区别？');
    expect(text(answer)).toMatch(/针对特定任务进行进一步的训练|针对特定任务进行小的调整/);
    expect(text(answer)).toMatch(/调教这个词通常更广义|调教则是一个更宽泛的概念/);
  });

  it('answers a choice between two options with what the article says each is good for', async () => {
    const zh = await converse('我的任务和预训练时的任务很相似，用模型应用还是用微调比较合适？');
    expect(text(zh)).toContain('任务相似度较高的情况');
    expect(text(zh)).toContain('效果通常优于简单的应用');

    const en = await converse(
      'Should I use model application or fine-tuning if my task is very similar to what the model already learned?',
    );
    expect(text(en)).toContain('usually suits cases where the tasks are highly similar');
    expect(text(en)).toContain('it usually works better than simple application');
  });

  it('answers which word names a thing with the sentence on the thing, then the rule of the word it belongs to', async () => {
    const answer = await converse('调整超参数和学习率算是微调还是调教？');
    const body = text(answer).slice(text(answer).indexOf('\n\n') + 2);
    expect(body.split('\n\n')[0]).toContain('超参数的调整、学习率的改变');
    expect(body).toContain('对模型参数进行优化,使用调教');
    // The other word's rule answers another question (what fine-tuning is used for).
    expect(body).not.toContain('进行特定任务的训练,使用微调');
  });

  it('compares on the scale a comparative stands on, and on a heading named in English', async () => {
    const faster = await converse('模型应用和微调哪个更快？');
    expect(text(faster)).toContain('更快,因为无需重新训练');
    expect(text(faster)).toContain('时间较长,因为涉及到训练');

    const purpose = await converse('How do the two approaches differ in purpose?');
    expect(text(purpose)).toContain('using a pre-trained model directly to make predictions on a specific task');
    expect(text(purpose)).toContain('retrains some or all of the model');
  });

  it('reads 怎么区分A和B (how to tell them apart) as asking for their difference, one sentence for each side', async () => {
    const apart = await converse('怎么区分微调和调教？');
    expect(apart.grounded).toBe(true);
    expect(text(apart)).toContain('针对特定任务进行进一步的训练');
    expect(text(apart)).toContain('调教这个词通常更广义');
  });

  it('labels no side whose sentence a lead-in introduces: the statement after the colon names it', async () => {
    const zh = text(await converse('在机器学习里，微调和调教的区别是什么？'));
    expect(zh).toContain('微调通常指的是在预训练模型的基础上,针对特定任务进行小的调整');
    expect(zh).not.toMatch(/「微调」：在机器学习中/);
    const en = text(await converse('In machine learning terms, how do fine-tuning and tuning differ?'));
    expect(en).toMatch(/similar: Fine-tuning usually refers to/);
    expect(en).not.toMatch(/On fine-tuning \(微调\): In machine learning/);
  });
});
