import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGlossary } from '../../src/ingest/glossary.js';
import { carriesCue, evidenceKindOf } from '../../src/retrieval/evidence-cues.js';
import { compoundHeadOf } from '../../src/retrieval/sentence-openings.js';
import { createTextAnalyzer } from '../../src/retrieval/text-analyzer.js';
import { createTestRuntime, shippedCorpusDir } from '../support/test-runtime.js';

describe('evidence cues of a question kind', () => {
  it.each([
    ['微调有哪些例子？', 'example'],
    ['Can you give me an example of tuning?', 'example'],
    ['What are the risks of fine-tuning?', 'risk'],
    ['直接应用模型有什么不足？', 'risk'],
    ['为什么微调需要更多时间？', 'reason'],
    ['微调是什么意思？', 'definition'],
    ['What is fine-tuning?', 'definition'],
    ['How does the cooking analogy sum up fine-tuning?', 'summary'],
    ['Which is faster, model application or fine-tuning?', 'comparison'],
    ['微调和调教，哪个词的含义更广？', 'comparison'],
    ['How does model application handle new data?', undefined],
  ])('reads %s as asking for %s evidence', (question, kind) => {
    expect(evidenceKindOf(question)).toBe(kind);
  });

  it('takes a sentence as defining only the topic it opens with', () => {
    const sentence = { original: '- 微调(Fine-tuning): 微调通常指的是在预训练模型的基础上,针对特定任务进行进一步的训练。' };
    expect(carriesCue('definition', sentence, ['微调'])).toBe(true);
    expect(carriesCue('definition', sentence, ['调教'])).toBe(false);
  });

  it('finds a cue in the aligned English rendering as well as in the original', () => {
    expect(carriesCue('example', { original: '一个句子。', rendering: 'For example, a language model.' }, [])).toBe(true);
    expect(carriesCue('risk', { original: '**微调**:效果通常优于简单的应用,但也可能过拟合。' }, [])).toBe(true);
    expect(carriesCue('risk', { original: '**微调**:模型的参数会在新任务的数据集上进行训练。' }, [])).toBe(false);
  });
});

describe('the head of a compound topic, by segmentation', () => {
  it('takes the last word of a compound as its head, and none for a single word', async () => {
    const analyzer = createTextAnalyzer({ glossary: await loadGlossary(path.join(shippedCorpusDir, 'glossary.json')) });
    const tokenize = (text: string) => analyzer.tokenize(text);
    expect(compoundHeadOf('模型应用', tokenize)).toBe('应用');
    expect(compoundHeadOf('知识蒸馏', tokenize)).toBe('蒸馏');
    expect(compoundHeadOf('微调', tokenize)).toBeUndefined();
  });
});

describe('sentence-level ranking over the shipped corpus', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  const first = async (question: string): Promise<string> => {
    const result = await fixture.runtime.passageSearch.search(question);
    expect(result.covered).toBe(true);
    return result.passages[0]!.chunk.text;
  };

  it('answers a definition with the passage that defines the term, not a short passage that only names it', async () => {
    expect(await first('微调是什么意思？')).toContain('微调通常指的是');
    expect(await first('What is fine-tuning?')).toContain('微调通常指的是');
  });

  it('ranks the passage whose heading names the aspect above the introduction that names both sides', async () => {
    expect(await first('模型应用和微调有哪些共性？')).toContain('两者都依赖于大型预训练模型');
    expect(await first('模型应用和微调的目的有什么不同？')).toContain('直接使用预训练模型在特定任务上做预测');
  });

  it('ranks the side-by-side sections, the summary conditions and the inclusion first for a contrast, a when and a relation', async () => {
    // The introduction names both sides in one sentence and said only that they differ.
    expect(await first('模型应用与微调的不同')).toContain('**应用**:');
    expect(await first('Model application or fine-tuning for a translation task — how do they differ?')).toContain('**应用**:');
    expect(await first('模型应用和微调各自有什么特点？')).toContain('**应用**:');
    expect(await first('什么时候用微调，什么时候用调教？')).toContain('使用微调');
    expect(await first('When should I say fine-tuning and when tuning?')).toContain('使用调教');
    // 一部分 matched "对模型的部分或全部参数"; 算不算 matched 不算.
    expect(await first('微调算不算调教的一部分？')).toContain('它可以包括微调在内');
  });

  it('ranks the analogy sections on the asked topic first for a question on the analogy, whose frame words are no topic', async () => {
    // 烹饪 ("cooking") is in the analogy's introduction, which ranked first for any question naming the analogy.
    expect(await first('What is fine-tuning like in the cooking analogy?')).toMatch(/微调:就像是|这个过程就是微调/);
    expect(await first('在烹饪的比喻里，微调是什么？')).toMatch(/微调:就像是|这个过程就是微调/);
    expect(await first('In the kitchen story, who is the pretrained model?')).toContain('预训练模型:就像是');
  });

  it('reaches the section headed as the common ground from other words of sameness, in both languages', async () => {
    // 相同 is a word the article never uses; the introduction names both topics and "both …" too.
    expect(await first('模型应用和微调有什么相同的地方？')).toContain('两者都依赖于大型预训练模型');
    expect(await first('What do model application and fine-tuning share?')).toContain('两者都依赖于大型预训练模型');
  });

  it('answers a definition asked with an intensifier ("What exactly…") with the defining passage', async () => {
    // "exactly" was bridged to 就是 and found the analogy's "这个过程就是微调".
    expect(await first('What exactly does fine-tuning mean?')).toContain('微调通常指的是');
  });

  it('answers a comparative the article does not use ("slower") with the sentence on the other pole ("更快")', async () => {
    expect(await first('Is model application slower than fine-tuning?')).toContain('更快,因为无需重新训练');
  });

  it('answers from "这个过程涉及调整模型的参数", which carries on the topic of the defining sentence before it', async () => {
    expect(await first('What does the fine-tuning process adjust?')).toContain('这个过程涉及调整模型的参数');
    expect(await first('微调的时候模型的参数会被调整吗？')).toContain('这个过程涉及调整模型的参数');
  });

  it('answers "what kind of model" and a definition behind a framing phrase with the defining sentence', async () => {
    expect(await first('What kind of model is a pre-trained model?')).toContain('两者都依赖于大型预训练模型');
    expect(await first('In plain words, what is model application?')).toContain('直接使用预训练模型在特定任务上做预测');
  });

  it('answers a Chinese comparative yes/no question ("比…好吗", "更长…吗") with the comparative sentence', async () => {
    expect(await first('微调的效果一定比直接应用好吗？')).toContain('效果通常优于简单的应用');
    expect(await first('微调需要更长时间吗？')).toContain('时间较长');
  });

  it('answers a risk question with the sentence that says what may go wrong for that topic', async () => {
    expect(await first('What are the risks of fine-tuning?')).toContain('但也可能过拟合');
  });

  it('answers a risk question asked in everyday words ("坏处", "go wrong") with the sentence that says what may go wrong', async () => {
    expect(await first('微调有什么坏处？')).toContain('但也可能过拟合');
    expect(await first('What can go wrong when fine-tuning?')).toContain('但也可能过拟合');
  });

  it('answers a question on the model application’s risk with the sentence on its drawback, not the introduction', async () => {
    expect(await first('What is the downside of just applying a pre-trained model?')).toMatch(/但可能效果不如微调|任务相似度较高的情况/);
  });

  it('does not let degree words ("很好的") or a general word the article lacks pick the passage', async () => {
    // "很好的" used to find the analogy's "做得很好的菜"; 时候 ("when") was bridged to 时间 at its full unseen weight.
    expect(await first('微调需要很好的显卡吗？')).toContain('GPU');
    expect(await first('数据不多的时候，微调会不会过拟合？')).toContain('但也可能过拟合');
  });

  it('weighs a general word in the topic slot as the topic: an aspect in everyday words finds a comparison section', async () => {
    // 结果 is general language and the corpus lacks it; at the floor, the introduction naming both sides won.
    expect(await first('模型应用和微调在结果上有什么差别？')).not.toContain('两种不同的使用方法');
  });

  it("answers a comparison asked in a respect's everyday words with the section its heading names", async () => {
    // "accuracy" is 准确 to the glossary, which the article uses only of word choice ("更准确地传达你的意图").
    const accuracy = await first('How do fine-tuning and model application compare in accuracy?');
    expect(accuracy).toMatch(/效果通常优于简单的应用|长期来看效果更好/);
    expect(accuracy).not.toContain('更准确地传达');
    // 为了 is in the common ground's "都是为了…"; what each is for is the section headed "1. 目的".
    expect(await first('模型应用和微调各自是为了什么？')).toContain('直接使用预训练模型在特定任务上做预测');
  });

  it('does not take a respect word of a question that compares nothing as a comparison section', async () => {
    expect(await first('微调能提高翻译的准确率吗？')).toContain('适应特定的翻译');
  });

  it('answers a cooking-analogy contrast from the analogy passages, not from the heading-only introduction', async () => {
    const text = await first('在烹饪的比喻里，微调和调教有什么不同？');
    expect(text).not.toContain('想象你是一名厨师');
    expect(text).toMatch(/微调|调教/);
  });

  it('answers "how does the analogy sum up" from the section headed as a summary', async () => {
    expect(await first('烹饪的比喻最后是怎么总结微调的？')).toContain('对一道已经做得很好的菜进行小调整');
  });
});
