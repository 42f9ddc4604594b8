import { describe, expect, it } from 'vitest';
import { askedAmountOf, statesAmount } from '../../src/retrieval/asked-amount.js';
import { standsInObjectSlot } from '../../src/retrieval/topic-slot.js';

describe('questions that ask for an amount', () => {
  it('reads what the amount is of, beside the asking words', () => {
    expect(askedAmountOf('微调一个模型要花多少钱？')).toMatchObject({ focus: '钱', scale: 'amount' });
    expect(askedAmountOf('学习率设成多少比较好？')).toMatchObject({ focus: '学习率', scale: 'amount' });
    expect(askedAmountOf('微调的时候要训练几个轮次？')).toMatchObject({ focus: '轮次' });
    expect(askedAmountOf('What is the best learning rate for fine-tuning?')).toMatchObject({ focus: 'learning rate' });
    expect(askedAmountOf('How long does fine-tuning take?')).toEqual({ phrase: 'How long', scale: 'duration' });
  });

  it('leaves yes/no questions about an amount alone', () => {
    expect(askedAmountOf('微调需要更长时间吗？')).toBeUndefined();
    expect(askedAmountOf('微调时喂的数据多少有影响吗？')).toBeUndefined();
    expect(askedAmountOf('Does the amount of data matter when fine-tuning?')).toBeUndefined();
  });

  it('finds an amount of the asked kind in a sentence, not a mere mention or an indefinite "some"', () => {
    expect(statesAmount('**微调**:时间较长,因为涉及到训练', 'duration')).toBe(true);
    expect(statesAmount('都需要较高的计算资源,如GPU支持。', 'amount')).toBe(true);
    expect(statesAmount('这可以包括超参数的调整、学习率的改变等。', 'amount')).toBe(false);
    expect(statesAmount('在某些情况下,调教可能还指的是通过人工干预来指导模型学习的过程。', 'amount')).toBe(false);
    expect(statesAmount('after many attempts and adjustments it is already very delicious.', 'duration')).toBe(false);
    // Numbers written as words state an amount too, in either language.
    expect(statesAmount('A healthy starter doubles in size within eight hours.', 'duration')).toBe(true);
    expect(statesAmount('面种在八小时内体积翻倍。', 'duration')).toBe(true);
    expect(statesAmount('Pick the one that suits the task.', 'amount')).toBe(false);
    expect(statesAmount('针对特定任务进行进一步的训练。', 'amount')).toBe(false);
  });
});

describe('objects of the article terms', () => {
  it('marks what a term acts on after a determiner, and the noun an amount is asked of', () => {
    expect(standsInObjectSlot('怎么调教一只狗？', '狗', ['调教'])).toBe('marked');
    expect(standsInObjectSlot('要花多少钱？', '钱', [])).toBe('marked');
    expect(standsInObjectSlot('How do I tune my guitar?', 'guitar', ['tune'])).toBe('marked');
    expect(standsInObjectSlot('How much does it cost to fine-tune a model?', 'cost', [])).toBe('marked');
  });

  it('leaves the other words of the question', () => {
    expect(standsInObjectSlot('汽车发动机怎么调教？', '汽车', ['调教'])).toBe('adjacent');
    expect(standsInObjectSlot('How do I fine-tune a pretrained model quickly?', 'quickly', ['fine-tune'])).toBeUndefined();
    // Right after the term with nothing marking a noun: the caller asks jieba's tag (可能 is none).
    expect(standsInObjectSlot('调教可能包括调整学习率吗？', '可能', ['调教'])).toBe('adjacent');
    expect(standsInObjectSlot('调教可能包括调整学习率吗？', '学习率', ['调教'])).toBeUndefined();
    // A word that asks a question word as its object is the predicate (调料代表什么), not what the term acts on.
    expect(standsInObjectSlot('烹饪的比喻里，调料代表什么？', '代表', ['调料'])).toBeUndefined();
    expect(standsInObjectSlot('怎么调教狗？', '狗', ['调教'])).toBe('adjacent');
  });
});
