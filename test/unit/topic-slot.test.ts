import { describe, expect, it } from 'vitest';
import { standsInEnglishTopicSlot, standsInTopicSlot } from '../../src/retrieval/topic-slot.js';

describe('the topic slot of a question', () => {
  it('finds a Chinese topic that opens a compound cut into pieces, and the object ending a how-to question', () => {
    expect(standsInTopicSlot('提示词工程和微调哪个好？', '提示')).toBe(true);
    expect(standsInTopicSlot('微调时怎么给数据打标签？', '标签')).toBe(true);
    expect(standsInTopicSlot('调教除了调整超参数，还能举出别的例子吗？', '举出')).toBe(false);
    // The head of a 的 phrase ending the question; not a word inside it.
    expect(standsInTopicSlot('微调能消除模型的偏见吗？', '偏见')).toBe(true);
    expect(standsInTopicSlot('微调能消除模型的偏见吗？', '消除')).toBe(false);
  });

  it('finds an English topic as the subject of a defining or how question, or joined by a coordinator', () => {
    expect(standsInEnglishTopicSlot('What is dropout and how does it prevent overfitting?', 'dropout')).toBe(true);
    expect(standsInEnglishTopicSlot("What's distillation?", 'distillation')).toBe(true);
    expect(standsInEnglishTopicSlot('How does 4-bit quantization of a large model work?', 'quantization')).toBe(true);
    expect(standsInEnglishTopicSlot('Is RAG or fine-tuning better?', 'rag')).toBe(true);
    expect(standsInEnglishTopicSlot('Is fine-tuning better than distillation?', 'distillation')).toBe(true);
  });

  it('finds the subject of a how question, the head of the noun phrase a definition or a choice is asked of, and a Latin word in either case in a Chinese question', () => {
    expect(standsInEnglishTopicSlot('How does knowledge distillation compress a model?', 'distillation')).toBe(true);
    expect(standsInEnglishTopicSlot('How do fashion models train for the runway?', 'fashion')).toBe(true);
    expect(standsInEnglishTopicSlot('Which scale model kits are good for beginners?', 'kits')).toBe(true);
    expect(standsInEnglishTopicSlot('What is the learning rate warmup?', 'warmup')).toBe(true);
    // A modifier is not the head; a plural subject's next word is its verb.
    expect(standsInEnglishTopicSlot('What is a typical fine-tuning task?', 'typical')).toBe(false);
    expect(standsInEnglishTopicSlot('How do seasonings map onto model parameters?', 'map')).toBe(false);
    expect(standsInEnglishTopicSlot('强化学习中的Q-learning是什么？', 'q-learning')).toBe(true);
    // The learner or a pronoun as the subject: the how-to action is read by its own slot, not its object.
    expect(standsInEnglishTopicSlot('How do I label data for fine-tuning?', 'data')).toBe(false);
    expect(standsInEnglishTopicSlot('How does it compress a model?', 'compress')).toBe(false);
  });

  it('leaves out other words and subjects followed by more of the clause', () => {
    expect(standsInEnglishTopicSlot('How do I label data for fine-tuning?', 'label')).toBe(true);
    expect(standsInEnglishTopicSlot('Can I just reuse an off-the-shelf model without retraining it?', 'off-the-shelf')).toBe(false);
    expect(standsInEnglishTopicSlot('In the cooking analogy, who is the reader asked to imagine being?', 'reader')).toBe(false);
    expect(standsInEnglishTopicSlot('What is the reader asked to imagine?', 'reader')).toBe(false);
  });

  it('reads every place the word stands, in either case for English, and stays fast for a stream of new words', () => {
    // The first 蒸馏 stands in no slot; the second, before 和, does.
    expect(standsInTopicSlot('蒸馏模型里的蒸馏和微调有什么区别？', '蒸馏')).toBe(true);
    expect(standsInEnglishTopicSlot('WHAT IS DROPOUT?', 'dropout')).toBe(true);
    expect(standsInEnglishTopicSlot('what is Dropout?', 'DROPOUT')).toBe(true);
    expect(standsInEnglishTopicSlot('What is dropouts?', 'dropout')).toBe(false);
    // Words are not compiled into patterns: a thousand new words cost a few milliseconds, not seconds.
    const started = performance.now();
    for (let n = 0; n < 1000; n += 1)
      standsInTopicSlot('在大模型里面，知识蒸馏和微调相比有什么不一样？', `词${String.fromCharCode(0x4e00 + n)}`);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
