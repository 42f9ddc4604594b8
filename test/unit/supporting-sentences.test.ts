import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toTurn } from '../../src/evaluation/run-evaluation.js';
import type { ConversationTurn, TutorAnswer } from '../../src/tutor/tutor-types.js';
import { citedSentences } from '../support/cited-sentences.js';
import { createTestRuntime } from '../support/test-runtime.js';

/**
 * A sentence beyond the answer's lead is cited for its own relevance to the question, not because it stands next to
 * the lead or because the plan takes two: a learner reading the answer finds no cited sentence that answers another
 * question (what fine-tuning assumes, why applying a model is fast), and still reads a complete answer.
 */
describe('offline answers: supporting sentences are chosen by their relevance', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  async function ask(...turns: string[]): Promise<TutorAnswer> {
    const history: ConversationTurn[] = [];
    let answer: TutorAnswer | undefined;
    for (const question of turns) {
      answer = await fixture.runtime.offlineAnswerer.answer({ question, history });
      history.push(toTurn(question, answer));
    }
    return answer as TutorAnswer;
  }
  /** The original sentences the citations name, in citation order. */
  const cited = (answer: TutorAnswer): string[] => citedSentences(fixture.runtime.passageSearch, answer);

  it('a definition is the defining sentence and its continuation; a third only when the question asks for it', async () => {
    for (const question of ['微调是什么意思？', 'What is fine-tuning?']) {
      const sentences = cited(await ask(question));
      expect(sentences, question).toEqual([
        expect.stringContaining('针对特定任务进行进一步的训练'),
        expect.stringContaining('这个过程涉及调整模型的参数'),
      ]);
    }
    const tuning = cited(await ask('调教指的是什么？')).join('\n');
    expect(tuning).toContain('调教这个词通常更广义');
    expect(tuning).not.toContain('超参数的调整');
    // Asked what it assumes as well, the sentence saying so is part of the answer.
    expect(cited(await ask('微调是什么？它假设了什么？')).join('\n')).toContain('微调假设模型已经具有通用的知识');
  });

  it('a second cause must hold what was asked as well as the first: GPU, not a reason sharing only "need"', async () => {
    for (const question of ['Does model application need a GPU, and why does it need one?', '模型应用为什么需要GPU？']) {
      expect(cited(await ask(question)), question).toEqual([expect.stringContaining('如GPU支持')]);
    }
    const reuse = cited(await ask('模型应用和微调为什么都要利用预训练模型？'));
    expect(reuse).toEqual([expect.stringContaining('利用模型已学习到的知识')]);
  });

  it('a cause that continues its claim is on the claim’s topic: the recommendation and its 因为 lead, nothing else', async () => {
    const answer = await ask('对大模型做特定任务的进一步训练，应该叫微调还是调教？', '为什么？');
    expect(cited(answer)).toEqual([expect.stringContaining('"微调"这个词更准确'), expect.stringContaining('在预训练之后的特定化训练过程')]);
  });

  it('a word the cited sentence’s heading names is answered: no other passage is pulled in for it', async () => {
    const answer = await ask('微调在训练过程上有什么特点？');
    expect(cited(answer)).toEqual([expect.stringContaining('模型的参数会在新任务的数据集上进行训练')]);
  });
  it('the anchor on the asked term keeps the term it belongs to: changing the learning rate is 调教, not "微调更准确"', async () => {
    const answer = await ask('改学习率属于微调还是调教？');
    const sentences = cited(answer);
    expect(sentences.slice(0, 2)).toEqual([
      expect.stringContaining('调教可能指的是在模型训练的任何阶段对参数进行调整'),
      expect.stringContaining('学习率的改变'),
    ]);
    expect(sentences.join('\n')).not.toContain('"微调"这个词更准确');
    expect(sentences.join('\n')).not.toContain('因为它强调了');
  });

  it('a which-answer that names no term says which: the sentence "this" points back to is told first', async () => {
    const answer = await ask('Is changing the learning rate called fine-tuning or tuning?');
    expect(answer.answer).toMatch(/Tuning may refer to adjusting parameters at any stage[^[]*This can include adjusting hyperparameters/);
  });
  it('asked for a detail of the analogy, the story sentence holding it answers, without the mapping line', async () => {
    for (const question of [
      '烹饪比喻里，调教时要调整哪些因素？',
      'In the cooking analogy, which factors does the cook adjust when tuning?',
    ])
      expect(cited(await ask(question)), question).toEqual([expect.stringContaining('比如调料的量、烹饪的温度和时间等')]);
    // Asked how the analogy explains the term, the story and the line mapping it onto the term are both the answer.
    const explained = cited(await ask('How does the cooking analogy explain tuning?')).join('\n');
    expect(explained).toContain('不断尝试不同的调料和烹饪时间');
    expect(explained).toContain('这个过程就是调教');
  });

  it('purpose: the section headed by what was asked (目的, "Purpose"), else the defining sentence stating an aim', async () => {
    for (const question of ['微调的目的是什么？', 'What is the purpose of fine-tuning?'])
      expect(cited(await ask(question))[0], question).toContain('对模型的部分或全部参数进行重新训练');
    // The aim alone: the sentence continuing it ("这可以包括超参数的调整…") says what tuning includes, not what it is for.
    expect(cited(await ask("What's the point of tuning?"))).toEqual([expect.stringContaining('以改善模型的表现')]);
  });

  it('which word: the sentence naming the activity and its word’s rule, not the other word’s rule', async () => {
    for (const question of ['改学习率属于微调还是调教？', 'Should I call adjusting hyperparameters fine-tuning or tuning?']) {
      const rules = cited(await ask(question)).join('\n');
      expect(rules, question).toContain('学习率的改变');
      expect(rules, question).toContain('使用调教');
      expect(rules, question).not.toContain('使用微调');
    }
    // Without a sentence naming the activity, the learner reads both words' rules before choosing.
    const both = cited(await ask('Should I say 微调 or 调教 when I train a pretrained model for one task?')).join('\n');
    expect(both).toContain('使用微调');
    expect(both).toContain('使用调教');
  });

  it('reason: a second cause that repeats only the topic’s name is the cause of something else', async () => {
    const sentences = cited(await ask('微调为啥要花那么久？'));
    expect(sentences).toEqual([expect.stringContaining('时间较长,因为涉及到训练')]);
  });

  it('which word, asked when: the rule for the word, not a sentence that happens to say "在某些情况下"', async () => {
    expect(cited(await ask('什么情况下应该用“调教”这个词？'))).toEqual([expect.stringContaining('对模型参数进行优化,使用调教')]);
  });

  it('which word for an activity the article names: its sentence after the one it points back to, then that word’s rule', async () => {
    expect(cited(await ask('调超参数应该说是哪个词？'))).toEqual([
      expect.stringContaining('调教可能指的是'),
      expect.stringContaining('超参数的调整'),
      expect.stringContaining('使用调教'),
    ]);
    const learningRate = cited(await ask('What should I call changing the learning rate?'));
    expect(learningRate[0]).toContain('调教可能指的是');
    expect(learningRate.join('\n')).not.toContain('"微调"这个词更准确');
  });

  it('a sentence of another term’s item is no answer on the topic when an item of the topic holds what is asked', async () => {
    // "调教(Tuning): …包括微调在内的任何模型参数调整的过程" names fine-tuning and "process" and "adjusting", but it is tuning's
    // item; the fine-tuning item's "这个过程涉及调整模型的参数" says what is asked, of fine-tuning (the sentence before it
    // names it), and leads ahead of "微调假设…需要调整…", which names fine-tuning but says what it assumes.
    const process = cited(await ask('What does the fine-tuning process adjust?'));
    expect(process.join('\n')).not.toContain('调教这个词通常更广义');
    expect(process[0]).toContain('这个过程涉及调整模型的参数');
  });

  it('asked what kinds of things are changed, the sentence listing them leads the answer', async () => {
    const answer = await ask('What sort of settings get changed during tuning?');
    expect(cited(answer)[0]).toContain('超参数的调整、学习率的改变');
  });
});
