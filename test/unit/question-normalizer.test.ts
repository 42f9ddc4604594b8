import { describe, expect, it } from 'vitest';
import { normalizeQuestion } from '../../src/retrieval/question-normalizer.js';

describe('normalizeQuestion', () => {
  it('folds full-width Latin letters and punctuation to half-width (NFKC)', () => {
    expect(normalizeQuestion('ｗｈａｔ ｉｓ ｆｉｎｅ-ｔｕｎｉｎｇ？')).toBe('what is fine-tuning?');
    expect(normalizeQuestion('ＧＰＵ是什么')).toBe('GPU是什么');
  });

  it('removes zero-width characters inside words', () => {
    expect(normalizeQuestion('微\u200b调是什么')).toBe('微调是什么');
    expect(normalizeQuestion('\ufeff调\u200d教\u2060呢')).toBe('调教呢');
  });

  it('removes soft hyphens', () => {
    expect(normalizeQuestion('What is fine-tun\u00ading?')).toBe('What is fine-tuning?');
  });

  it('removes bidi controls', () => {
    expect(normalizeQuestion('\u202e微调\u202c是\u200f什么\u2066?\u2069')).toBe('微调是什么?');
  });

  it('strips HTML tags, joining inline ones and separating block ones', () => {
    expect(normalizeQuestion('<b>微调</b>是什么')).toBe('微调是什么');
    expect(normalizeQuestion('<span class="x">微</span>调<p>调教</p>')).toBe('微调 调教');
    expect(normalizeQuestion('a<br/>b<script>alert(1)</script>c')).toBe('a b c');
    expect(normalizeQuestion('<!-- note -->微调')).toBe('微调');
  });

  it('decodes entities after tags are gone, so escaped markup stays text', () => {
    expect(normalizeQuestion('微调&amp;调教')).toBe('微调&调教');
    expect(normalizeQuestion('&lt;b&gt;微调')).toBe('<b>微调');
    expect(normalizeQuestion('&#x5FAE;&#35843;')).toBe('微调');
    expect(normalizeQuestion('fine-tun&shy;ing&nbsp;?')).toBe('fine-tuning ?');
    expect(normalizeQuestion('a&#1;b&#xD800;c&unknown;')).toBe('abc&unknown;');
  });

  it('collapses whitespace, ideographic spaces included, and trims', () => {
    expect(normalizeQuestion('  微调\u3000\t是\n\n什么  ')).toBe('微调 是 什么');
  });

  it('leaves ordinary questions as they are', () => {
    expect(normalizeQuestion('微调是什么？')).toBe('微调是什么？');
    expect(normalizeQuestion('What is fine-tuning?')).toBe('What is fine-tuning?');
  });

  it('reduces markup-only input to the empty string', () => {
    expect(normalizeQuestion('<b></b>\u200b')).toBe('');
  });
});
