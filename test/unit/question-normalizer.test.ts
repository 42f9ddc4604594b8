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
    expect(normalizeQuestion('<span class="x">微</span>调<p>调教</p>')).toBe('微调调教');
    expect(normalizeQuestion('<p>What is</p><p>fine-tuning?</p>')).toBe('What is fine-tuning?');
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
    expect(normalizeQuestion('  what\u3000\tis\n\nit  ')).toBe('what is it');
  });

  it('removes whitespace between Chinese characters, which cuts a word in two, and keeps it beside Latin words', () => {
    expect(normalizeQuestion('  微调\u3000\t是\n\n什么  ')).toBe('微调是什么');
    expect(normalizeQuestion('模型应\n用和微调<br>有什么区别？')).toBe('模型应用和微调有什么区别？');
    expect(normalizeQuestion('什么是 LoRA 微调')).toBe('什么是 LoRA 微调');
  });

  it('drops emoji and keeps one mark of a repeated question or exclamation mark', () => {
    expect(normalizeQuestion('微调会过拟合吗？？？😊')).toBe('微调会过拟合吗？');
    expect(normalizeQuestion('Is tuning broader??? 🤔👍🏽')).toBe('Is tuning broader?');
    expect(normalizeQuestion('微调是什么？!! ❤️')).toBe('微调是什么？');
  });

  it('puts back the apostrophe of a contraction typed without it, and leaves words that only look like one', () => {
    expect(normalizeQuestion('whats finetuning')).toBe("what's finetuning");
    expect(normalizeQuestion('Whats the difference? I dont get it, isnt tuning broader?')).toBe(
      "What's the difference? I don't get it, isn't tuning broader?",
    );
    expect(normalizeQuestion('were its weights well tuned')).toBe('were its weights well tuned');
  });

  it('leaves ordinary questions as they are', () => {
    expect(normalizeQuestion('微调是什么？')).toBe('微调是什么？');
    expect(normalizeQuestion('What is fine-tuning?')).toBe('What is fine-tuning?');
  });

  it('reduces markup-only input to the empty string', () => {
    expect(normalizeQuestion('<b></b>\u200b')).toBe('');
  });
});
