import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectQuestionIntent } from '../../src/tutor/question-intent.js';
import type { TutorAnswer } from '../../src/tutor/tutor-types.js';
import { citedSentences } from '../support/cited-sentences.js';
import { createTestRuntime } from '../support/test-runtime.js';

/**
 * Learners ask what a thing is in more ways than "什么是X" and of more things than the article's three main terms: the
 * answer is the sentence that defines it, or, for a term the article only names (学习率, 前向传播, 特定任务), the
 * sentence that says most of it under a frame that says the article gives no definition.
 */
describe('definition answers', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  const ask = (question: string): Promise<TutorAnswer> => fixture.runtime.offlineAnswerer.answer({ question });
  const cited = (answer: TutorAnswer): string[] => citedSentences(fixture.runtime.passageSearch, answer);

  it('reads requests to explain a thing, "啥叫X", "X means?" and "X, in short?" as definitions', () => {
    for (const question of [
      '啥叫强化学习',
      '解释一下泛化能力',
      '简单说说前向传播',
      '给我讲讲调教',
      '微调到底是个什么东西',
      'explain reinforcement learning',
      'EXPLAIN fine-tuning please',
      'Generalization ability means?',
      'fine-tuning means what?',
      "what's model application, in short?",
      '预训练模型是一种怎样的模型？',
      '如何理解微调？',
      'How should I understand tuning?',
      "What does the term 'model application' refer to?",
    ])
      expect(detectQuestionIntent(question), question).toBe('definition');
    // How, why, a contrast, an analogy or "it" (explain it again) are not asked for by the explain frame.
    expect(detectQuestionIntent('解释一下微调怎么做')).toBe('how');
    expect(detectQuestionIntent('Explain how fine-tuning works')).toBe('how');
    expect(detectQuestionIntent('Explain it more simply')).not.toBe('definition');
    expect(detectQuestionIntent('Explain fine-tuning as if it were preparing a dish for a guest.')).not.toBe('definition');
    expect(detectQuestionIntent('请解释一下微调和调教')).not.toBe('definition');
    expect(detectQuestionIntent('Summarize the article in short')).toBe('summary');
  });

  it('"X到底指啥" and "What counts as X?" are answered with the sentence that defines X', async () => {
    const chinese = await ask('微调到底指啥？');
    expect(cited(chinese)[0]).toContain('针对特定任务进行进一步的训练');
    const english = await ask('What counts as a pre-trained model?');
    expect(cited(english)[0]).toContain('这些模型通常是在大规模数据集上训练得到的');
  });

  it('a definition asked how the article defines it is answered, not refused', async () => {
    for (const question of ['How does the article define fine-tuning?', 'how would you define tuning?']) {
      const answer = await ask(question);
      expect(answer.grounded, question).toBe(true);
      expect(cited(answer)[0], question).toMatch(/针对特定任务进行进一步的训练|调教这个词通常更广义/);
    }
  });

  it('the term alone ("微调？", "tuning = ?") asks what it is; a trailing "anyway" names nothing', async () => {
    for (const question of ['微调？', 'fine-tuning?', 'what is finetuning anyway']) {
      const answer = await ask(question);
      expect(answer.grounded, question).toBe(true);
      expect(cited(answer)[0], question).toContain('针对特定任务进行进一步的训练');
    }
    expect(cited(await ask('tuning = ?'))[0]).toContain('调教这个词通常更广义');
  });

  it('a term jieba cuts across (学习率指 → 学习/率指) is still the word asked about', async () => {
    const sentences = cited(await ask('学习率指什么？'));
    expect(sentences).toEqual([expect.stringContaining('学习率的改变')]);
  });

  it('a term the article only names: its sentence, under a frame that says there is no definition', async () => {
    const chinese = await ask('学习率是什么？');
    expect(chinese.answer).toContain('文章没有专门给「学习率」下定义');
    // The sentence points back to tuning's statement: the frame names tuning instead of citing that statement too.
    expect(chinese.answer).toContain('在讲「调教」时提到了它');
    expect(cited(chinese)).toEqual([expect.stringContaining('超参数的调整、学习率的改变')]);
    const english = await ask('In this article, what is forward propagation?');
    expect(english.answer).toMatch(/^The article does not define \*\*forward pass\*\* \(前向传播\) as such/);
    expect(cited(english)).toEqual([expect.stringContaining('仅在给定新数据时执行前向传播')]);
  });

  it('a term the article names by listing its instances is answered with the list', async () => {
    for (const question of ['特定任务指什么？', "What's a specific task?"])
      expect(cited(await ask(question)), question).toEqual([expect.stringContaining('特定的翻译、情感分析或问答任务')]);
  });

  it('a term the article defines keeps the ordinary frame; the next list item under its own label is another point', async () => {
    const answer = await ask('什么叫做预训练模型？');
    expect(answer.answer).toContain('「预训练模型」是什么？');
    expect(cited(answer)).toEqual([expect.stringContaining('这些模型通常是在大规模数据集上训练得到的')]);
  });

  it('a Chinese definition defines the term right before its frame, unless terms are joined as its subject', async () => {
    const finetune = await ask('大模型的微调指什么？');
    expect(finetune.answer).toContain('「微调」是什么？');
    expect(cited(finetune)[0]).toContain('针对特定任务进行进一步的训练');
    expect(cited(await ask('在机器学习中，调教是什么意思？'))[0]).toContain('调教这个词通常更广义');
    const hyperparameter = await ask('微调中的超参数是什么？');
    expect(hyperparameter.answer).toContain('文章没有专门给「超参数」下定义');
    expect(cited(hyperparameter)).toEqual([expect.stringContaining('超参数的调整')]);
  });

  it('the article’s secondary terms reach their sentence in English too; a head word in apposition defines nothing', async () => {
    const similarity = await ask('What is task similarity?');
    expect(similarity.answer).toMatch(/^The article does not define \*\*task similarity\*\* \(任务相似度\)/);
    expect(cited(similarity)).toEqual([expect.stringContaining('任务相似度较高的情况')]);
    expect(cited(await ask('What does general knowledge mean?'))).toEqual([expect.stringContaining('微调假设模型已经具有通用的知识')]);
    // "…大型预训练模型,这些模型通常是…" describes pre-trained models, not a language model (语言模型's head word 模型).
    expect((await ask('What is a language model?')).answer).toMatch(/^The article does not define \*\*language model\*\*/);
    expect((await ask('What is a pre-trained model?')).answer).toMatch(/^What is \*\*pre-trained model\*\*/);
  });

  it('asked for the short version ("in short", "put simply"), a definition is its defining sentence alone', async () => {
    expect(cited(await ask("what's model application, in short?"))).toEqual([
      expect.stringContaining('直接使用预训练模型在特定任务上做预测'),
    ]);
    expect(cited(await ask('Put simply, what is fine-tuning?'))).toEqual([expect.stringContaining('针对特定任务进行进一步的训练')]);
  });
});
