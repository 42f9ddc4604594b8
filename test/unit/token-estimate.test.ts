import { describe, expect, it } from 'vitest';
import { estimateTextTokens, estimateTokenCount } from '../../src/providers/token-estimate.js';

describe('estimateTextTokens', () => {
  it('counts one token per CJK or full-width character and one per four other code points', () => {
    expect(estimateTextTokens('')).toBe(0);
    expect(estimateTextTokens('微调是什么')).toBe(5);
    expect(estimateTextTokens('ＡＢ，。　')).toBe(5);
    expect(estimateTextTokens('abcd')).toBe(1);
    expect(estimateTextTokens('abcde')).toBe(2);
    expect(estimateTextTokens('LoRA 微调')).toBe(2 + 2);
  });

  it('counts a surrogate pair as one code point, and a lone surrogate as one', () => {
    expect(estimateTextTokens('😀😀😀😀')).toBe(1);
    expect(estimateTextTokens('😀😀😀😀😀')).toBe(2);
    expect(estimateTextTokens('\ud83d\ud83d\ud83d\ud83d\ud83d')).toBe(2);
    expect(estimateTextTokens('\ude00abc')).toBe(1);
  });

  it('reads the text parts of message content', () => {
    expect(
      estimateTokenCount([
        { type: 'text', text: '微调' },
        { type: 'image_url', image_url: { url: 'x' } },
        { type: 'text', text: 'abcd' },
      ]),
    ).toBe(3);
  });
});
