import { describe, expect, it } from 'vitest';
import { echoedVerdictWords } from '../../src/tutor/offline/yes-no-verb.js';

describe('the verb a Chinese yes/no verdict echoes', () => {
  it.each([
    ['蒸馏需要大模型吗？', '需要', '不需要'],
    ['剪枝需不需要重新训练？', '需要', '不需要'],
    ['蒸馏会改变小模型的结构吗？', '会', '不会'],
    ['剪枝能不能减少参数？', '能', '不能'],
    ['蒸馏可以用在翻译上吗？', '可以', '不可以'],
    ['剪枝有没有风险？', '有', '没有'],
  ])('answers %s with %s / %s', (question, yes, no) => {
    expect(echoedVerdictWords(question)).toEqual({ yes, no });
  });

  it.each([['蒸馏是不是需要大模型？'], ['剪枝就是蒸馏吗？'], ['蒸馏适合翻译吗？'], ['剪枝的性能好吗？'], ['学会蒸馏难吗？']])(
    'keeps 是的 / 不是 for %s (asked with 是, or with no such verb)',
    (question) => {
      expect(echoedVerdictWords(question)).toBeUndefined();
    },
  );
});
