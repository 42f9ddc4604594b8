import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/ingest/sentence-splitter.js';
import { detectQuestionIntent } from '../../src/tutor/question-intent.js';
import type { TutorAnswer } from '../../src/tutor/tutor-types.js';
import { createTestRuntime } from '../support/test-runtime.js';

/**
 * How each plan chooses its evidence on the shipped corpus, as a learner sees it: a contrast holds one cited sentence
 * per side from the article's parallel statement, a yes/no answer opens with the verdict its cited sentence gives, an
 * example or analogy answer holds the sentences of the figure and no more, and every citation names exactly the
 * sentences the answer tells (no whole passages).
 */
describe('offline answer plans: which sentences they choose', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  const ask = (question: string): Promise<TutorAnswer> => fixture.runtime.offlineAnswerer.answer({ question });
  const body = (answer: TutorAnswer): string => answer.answer.slice(answer.answer.indexOf('\n\n') + 2);
  /** The original sentences the citations name, in citation order. */
  function citedSentences(answer: TutorAnswer): string[] {
    return answer.citations.flatMap((citation) => {
      const chunk = fixture.runtime.passageSearch.getChunk(citation.chunkId);
      if (!chunk) throw new Error(`unknown chunk ${citation.chunkId}`);
      return (citation.spans ?? []).map((span) => chunk.text.slice(span.start - chunk.start, span.end - chunk.start));
    });
  }
  const count = (answer: TutorAnswer): number => citedSentences(answer).length;

  it('contrast: one sentence per side from the section that states them in parallel', async () => {
    const answer = await ask('模型应用和微调有什么区别？');
    const cited = citedSentences(answer);
    expect(answer.citations).toHaveLength(1);
    expect(cited).toHaveLength(2);
    expect(cited[0]).toMatch(/^(?:- )?\*\*应用\*\*:/);
    expect(cited[1]).toMatch(/^(?:- )?\*\*微调\*\*:/);
  });

  it('contrast: a term that modifies another in the question is not a side ("大模型微调" is about 微调)', async () => {
    const answer = await ask('模型应用和大模型微调有什么不同？');
    expect(answer.answer.split('\n')[0]).toContain('「模型应用」和「微调」');
    expect(answer.answer).not.toContain('「大模型」');
    expect(citedSentences(answer).map((sentence) => sentence.replace(/^- /, ''))).toEqual([
      expect.stringMatching(/^\*\*应用\*\*:/),
      expect.stringMatching(/^\*\*微调\*\*:/),
    ]);
  });

  it('contrast inside the analogy: the figure for each side, or its literal line when the question asks for machine learning', async () => {
    const figure = await ask('在烹饪的比喻里，微调和调教有什么不同？');
    expect(body(figure)).toContain('对一道已经做得很好的菜进行小调整');
    expect(body(figure)).toContain('更像是从头开始做一道菜');
    expect(figure.answer).not.toContain('「烹饪」');
    const literal = await ask('把烹饪的比喻放回机器学习中，微调和调教的区别是什么？');
    expect(body(literal)).toContain('针对特定任务进行小的调整');
    expect(body(literal)).toContain('调教则是一个更宽泛的概念');
    expect(body(literal)).not.toContain('做一道菜');
  });

  it('a comparison on an aspect the question names takes the pair of that section ("faster")', async () => {
    const answer = await ask('Which is faster, model application or fine-tuning?');
    expect(citedSentences(answer).join('\n')).toContain('更快,因为无需重新训练');
    expect(citedSentences(answer).join('\n')).toContain('时间较长,因为涉及到训练');
    expect(answer.citations).toHaveLength(1);
  });

  it('asked whether two terms mean the same, the answer states each side', async () => {
    const answer = await ask('“微调”和“调教”这两个词的含义一样吗？');
    const cited = citedSentences(answer).join('\n');
    expect(cited).toMatch(/针对特定任务进行进一步的训练|针对特定任务进行小的调整/);
    expect(cited).toMatch(/调教这个词通常更广义|调教则是一个更宽泛的概念/);
  });

  it('yes/no: the verdict of the sentence on the asked predicate, not on the condition around it', async () => {
    const weights = await ask('When a model is applied without fine-tuning, are its weights updated?');
    expect(detectQuestionIntent('When a model is applied without fine-tuning, are its weights updated?')).toBe('yesno');
    expect(weights.answer).toMatch(/^No\./);
    expect(citedSentences(weights)).toEqual([expect.stringContaining('模型不更新权重')]);
    // Alternatives the question joins are its scope: the claim is the need for a graphics card.
    const gpu = await ask('Do I need a powerful graphics card for model application or fine-tuning?');
    expect(citedSentences(gpu)).toEqual([expect.stringContaining('如GPU支持')]);
    const retrain = await ask('Does model application require retraining the model?');
    expect(retrain.answer).toMatch(/^No\./);
    expect(citedSentences(retrain).join('\n')).toContain('无需重新训练');
  });

  it('cites only what the answer needs: one sentence for a question one sentence answers', async () => {
    const assumption = await ask('微调之前，模型被假设已经具备什么？');
    expect(citedSentences(assumption)).toEqual([expect.stringContaining('微调假设模型已经具有通用的知识')]);
    const example = await ask('Give me an example of tuning.');
    // The example names its topic itself: no "what it illustrates" sentence is added.
    expect(count(example)).toBe(1);
    expect(example.answer).not.toContain('What it illustrates');
    const pretrained = await ask('在烹饪的比喻中，预训练模型像什么？');
    expect(citedSentences(pretrained)).toEqual([expect.stringContaining('已经学会了很多烹饪技巧的厨师')]);
  });

  it('analogy on one topic: the story of its own section and the sentence mapping the figure onto it', async () => {
    const answer = await ask('用炖牛肉的例子怎么理解微调？');
    const cited = citedSentences(answer).join('\n');
    expect(cited).toMatch(/一锅炖牛肉的秘方|根据特定客人的口味做出调整/);
    expect(cited).toContain('这个过程就是微调');
    expect(count(answer)).toBe(2);
    // Without a topic, the figure's sentence that matches the question's own words.
    const role = await ask('烹饪的例子里，读者被想象成什么角色？');
    expect(citedSentences(role)).toEqual([expect.stringContaining('想象你是一名厨师')]);
    // The figure's rare words decide (更辣, 甜), not the words every analogy sentence shares.
    const spices = await ask('炖牛肉的例子里，想让牛肉更辣或更甜时会怎么做？');
    expect(citedSentences(spices)[0]).toContain('根据特定客人的口味做出调整');
  });

  it('why and which: a cause stated after a label counts, and the question’s comparative decides the term', async () => {
    const why = await ask('为什么模型应用更快？');
    expect(citedSentences(why)).toEqual([expect.stringContaining('更快,因为无需重新训练')]);
    const gpu = await ask('Why do both model application and fine-tuning need GPUs?');
    expect(citedSentences(gpu)).toEqual([expect.stringContaining('如GPU支持')]);
    const broader = await ask('微调和调教，哪个词的含义更广？');
    expect(citedSentences(broader).join('\n')).toMatch(/调教这个词通常更广义|调教则是一个更宽泛的概念/);
    expect(body(broader)).not.toContain('"微调"这个词更准确');
  });

  it('example: an enumeration of instances is an example, and what the question asks beyond its topic picks it', async () => {
    const params = await ask('调教的时候一般会调哪些参数？举例说说');
    const firstLine = (answer: TutorAnswer): string => body(answer).split('\n')[0] ?? '';
    expect(firstLine(params)).toContain('超参数的调整、学习率的改变');
    const adjusted = await ask('What are some examples of things you might adjust when tuning a model?');
    expect(firstLine(adjusted)).toMatch(/adjusting hyperparameters, changing the learning rate/);
    // Asked for an example of the topic alone, the sentence giving one by 比如 still leads.
    const plain = await ask('调教能举个例子吗？');
    expect(firstLine(plain)).toMatch(/比如/);
  });

  it('why: the cause of what the question turns on, not a cause of something else naming the same topic', async () => {
    const why = await ask('为啥微调的时候模型会过拟合呀');
    expect(citedSentences(why)).toEqual([expect.stringContaining('但也可能过拟合')]);
    expect(body(why)).not.toContain('因为它强调了');
  });

  it('names a term whose gloss explains itself in one bracket, not two in a row', async () => {
    const shared = await ask('What do applying a model and fine-tuning have in common?');
    const lead = shared.answer.slice(0, shared.answer.indexOf('\n'));
    expect(lead).toContain('**model application** (模型应用, using a pre-trained model as is)');
    expect(lead).not.toMatch(/\)\s*\(/);
  });

  it('splits a numbered list item with its number, so each item is one cited sentence aligned with its rendering', () => {
    const text = '1. **基础模型强大**:两者都依赖于预训练模型。\n2. **复用价值**:利用已学习到的知识。';
    expect(splitSentences(text)).toHaveLength(2);
    const shared = fixture.runtime.passageSearch.allChunks().find((chunk) => chunk.headingPath.includes('共性'));
    expect(shared?.translation?.sentences).toHaveLength(splitSentences(shared?.text ?? '').length);
  });
});
