import { describe, expect, it } from 'vitest';
import { carriesCue, evidenceKindOf } from '../../src/retrieval/evidence-cues.js';

describe('definition cues by sentence structure, not by an article’s wording', () => {
  it.each([
    ['蒸馏是一种把大模型压缩成小模型的方法。'],
    ['蒸馏通常指的是用大模型教小模型。'],
    ['蒸馏则称为知识迁移的一种。'],
    ['**蒸馏**:通常是用教师模型的输出训练学生模型。'],
    ['蒸馏(Distillation): 蒸馏指用大模型的输出训练小模型。'],
    // The term described in apposition, where the sentence names it.
    ['两者都依赖于蒸馏,这种方法通常是用大模型的输出训练小模型。'],
  ])('reads %s as defining 蒸馏', (original) => {
    expect(carriesCue('definition', { original }, ['蒸馏'])).toBe(true);
  });

  it.each([
    ['**蒸馏**:时间较长,因为涉及到训练。'],
    ['蒸馏就像是把一锅汤熬浓。'],
    ['在实践中，蒸馏是常用的。'],
    ['微调是在预训练模型上继续训练。'],
    // A subject joined with another term defines the pair, not one of them.
    ['蒸馏和剪枝是两种不同的压缩方法。'],
  ])('does not read %s as defining 蒸馏', (original) => {
    expect(carriesCue('definition', { original }, ['蒸馏'])).toBe(false);
  });

  it('reads an English rendering that opens with the term and a copula as a definition', () => {
    const sentence = { original: '蒸馏是一种方法。', rendering: 'Distillation is a way to compress a model.' };
    expect(carriesCue('definition', sentence, ['distillation'])).toBe(true);
    expect(carriesCue('definition', { original: '', rendering: 'Distillation: slower, because it trains.' }, ['distillation'])).toBe(false);
  });

  it('reads the same sentence again for each question: it defines the term it opens with, not another asked later', () => {
    const sentence = { original: '**蒸馏**:蒸馏是一种压缩方法。', rendering: '**Distillation** is a way to compress a model.' };
    expect(carriesCue('definition', sentence, ['剪枝', 'pruning'])).toBe(false);
    expect(carriesCue('definition', sentence, ['distillation'])).toBe(true);
    expect(carriesCue('definition', sentence, ['蒸馏'])).toBe(true);
    expect(carriesCue('definition', sentence, ['pruning'])).toBe(false);
  });
});

describe('comparatives by morphology', () => {
  it.each([
    ['Which one is cheaper?'],
    ['Which is broader, fine-tuning or tuning?'],
    ['Which takes longer than the other?'],
    ['哪个范围更大？'],
    // A comparative yes/no question wants the comparative sentence as much.
    ['蒸馏比量化更快吗？'],
    ['Is distillation slower than quantization?'],
    ['Does distillation take more time than quantization?'],
  ])('reads %s as asking for a comparison', (question) => {
    expect(evidenceKindOf(question)).toBe('comparison');
  });

  it.each([['蒸馏会更新权重吗？'], ['Is distillation a kind of fine-tuning?'], ['蒸馏比较常用吗？']])(
    'does not read the plain yes/no question %s as a comparison',
    (question) => {
      expect(evidenceKindOf(question)).not.toBe('comparison');
    },
  );

  it('reads a sentence with 更/较 or an English comparative before "than" as comparative evidence', () => {
    expect(carriesCue('comparison', { original: '应用更快。' }, [])).toBe(true);
    expect(carriesCue('comparison', { original: '', rendering: 'Distillation is cheaper than training.' }, [])).toBe(true);
    expect(carriesCue('comparison', { original: '应用直接使用模型。', rendering: 'Application uses the model.' }, [])).toBe(false);
  });

  it('does not read 更像是 ("is rather like", a figure) as comparing a degree', () => {
    expect(carriesCue('comparison', { original: '剪枝:更像是给树修掉多余的枝条。' }, [])).toBe(false);
  });
});

describe('questions on what two things share', () => {
  it.each([
    ['蒸馏和量化有什么相同的地方？'],
    ['蒸馏和量化有哪些共同点？'],
    ['What do distillation and quantization have in common?'],
    ['What do they share?'],
  ])('reads %s as asking for what both share', (question) => {
    expect(evidenceKindOf(question)).toBe('shared');
  });

  it('finds the shared ground by the section heading (original or rendered), not by "both" in a sentence', () => {
    expect(carriesCue('shared', { original: '两者都需要数据。', headings: '共同点' }, [])).toBe(true);
    expect(carriesCue('shared', { original: '', rendering: 'Both need data.', headings: 'What they have in common' }, [])).toBe(true);
    // An introduction says "both …" before it turns to the differences.
    expect(carriesCue('shared', { original: '它们都涉及预训练模型,但侧重点不同。', rendering: 'Both involve a model.' }, [])).toBe(false);
  });
});

describe('definition questions with an intensifier', () => {
  it.each([['What exactly does distillation mean?'], ['What exactly is distillation?'], ['What does distillation mean?']])(
    'reads %s as asking for a definition',
    (question) => {
      expect(evidenceKindOf(question)).toBe('definition');
    },
  );
});

describe('which questions ask for a definition', () => {
  it.each([
    ['What is distillation?'],
    ['Could you tell me what distillation is?'],
    ['I wonder what distillation means.'],
    // 怎么 here asks for the whole story, not for a way of doing: a definition, not a how-to.
    ['蒸馏是怎么一回事？'],
    ['蒸馏是怎么回事？'],
  ])('reads %s as asking for a definition', (question) => {
    expect(evidenceKindOf(question)).toBe('definition');
  });
});

describe('definitions behind a framing phrase, and questions on what kind of thing a term is', () => {
  it.each([
    ['In plain words, what is distillation?'],
    ['Put simply, what is distillation?'],
    ['What kind of method is distillation?'],
    ['What sort of process is distillation?'],
    ['蒸馏是什么样的方法？'],
    ['文中的蒸馏是一种怎样的技术？'],
  ])('reads %s as asking for a definition', (question) => {
    expect(evidenceKindOf(question)).toBe('definition');
  });

  it.each([['蒸馏适合什么样的任务？'], ['What kind of tasks is distillation good for?']])(
    'does not read %s, which asks what the term serves, as a definition',
    (question) => {
      expect(evidenceKindOf(question)).not.toBe('definition');
    },
  );
});

describe('Chinese comparatives without 比…更', () => {
  it.each([['蒸馏的效果一定比量化好吗？'], ['量化的效果比蒸馏差吗？'], ['蒸馏需要更长时间吗？'], ['蒸馏会更慢吗？']])(
    'reads %s as asking for a comparison',
    (question) => {
      expect(evidenceKindOf(question)).toBe('comparison');
    },
  );

  it.each([['蒸馏能更好地适应新任务吗？'], ['比如翻译任务，蒸馏好吗？']])('does not read %s as a comparison', (question) => {
    expect(evidenceKindOf(question)).not.toBe('comparison');
  });

  it('does not read 更 of 更新 / 更改 (update, change) as a comparative cue', () => {
    expect(carriesCue('comparison', { original: '**应用**:不需要进行大量的参数更新。' }, [])).toBe(false);
    expect(carriesCue('comparison', { original: '模型的结构会变更。' }, [])).toBe(false);
    expect(carriesCue('comparison', { original: '**应用**:更快,因为无需重新训练。' }, [])).toBe(true);
  });

  it.each([
    ['什么时候用蒸馏，什么时候用剪枝？'],
    ['什么情况下直接用模型就够了？'],
    ['When should I say pruning?'],
    ['In what cases is distillation enough?'],
  ])('reads %s as asking for a condition', (question) => {
    expect(evidenceKindOf(question)).toBe('condition');
  });

  it('reads a conditional or "in cases where" sentence as stating a condition, not a temporal "when …ing" frame', () => {
    expect(carriesCue('condition', { original: '如果是在已有模型上继续训练,使用蒸馏' }, [])).toBe(true);
    expect(carriesCue('condition', { original: '', rendering: 'It usually suits cases where the tasks are similar.' }, [])).toBe(true);
    expect(carriesCue('condition', { original: '', rendering: 'When discussing large models, the two words differ.' }, [])).toBe(false);
  });

  it.each([
    ['蒸馏算不算剪枝的一部分？'],
    ['剪枝和蒸馏是什么关系？'],
    ['剪枝是压缩的一种吗？'],
    ['Is distillation just a kind of pruning?'],
  ])('reads %s as asking how two things relate', (question) => {
    expect(evidenceKindOf(question)).toBe('relation');
  });

  it.each([['蒸馏会更新模型的一部分参数吗？'], ['What kind of model is a student model?'], ['Does pruning include removing weights?']])(
    'does not read %s (a part of something, a kind asked, a member asked) as a relation',
    (question) => {
      expect(evidenceKindOf(question)).not.toBe('relation');
    },
  );

  it('reads an inclusion or breadth as stating a relation', () => {
    expect(carriesCue('relation', { original: '剪枝这个词通常更广义,它可以包括蒸馏在内。' }, [])).toBe(true);
    expect(carriesCue('relation', { original: '', rendering: 'Pruning is broader and includes distillation.' }, [])).toBe(true);
    expect(carriesCue('relation', { original: '蒸馏需要一个大模型。' }, [])).toBe(false);
  });

  it.each([['在烹饪的比喻里，剪枝是什么？'], ['What is pruning like in the cooking analogy?'], ['故事里的厨师代表什么？']])(
    'reads %s as asking for the analogy',
    (question) => {
      expect(evidenceKindOf(question)).toBe('analogy');
    },
  );

  it('reads a sentence under a heading of the analogy or an example as the analogy', () => {
    expect(carriesCue('analogy', { original: '这个过程就是剪枝。', headings: '用园艺的例子来理解剪枝' }, [])).toBe(true);
    expect(carriesCue('analogy', { original: '剪枝去掉不重要的连接。', headings: '区别' }, [])).toBe(false);
  });
});
