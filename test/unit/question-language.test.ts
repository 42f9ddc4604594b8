import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src/retrieval/text-analyzer.js';

describe('the language of a question is the language of its frame', () => {
  it.each([
    ['What does 微调 mean?', 'en'],
    ['Explain 预训练模型 to me', 'en'],
    ['what is 微掉 in simple terms?', 'en'],
    ['How is 调教 different from 微调?', 'en'],
    ['LoRA 是什么', 'zh'],
    ['微调和LoRA有什么区别', 'zh'],
    ['什么是fine-tuning', 'zh'],
    ['fine-tuning和tuning的区别', 'zh'],
    ['微调是什么？', 'zh'],
    ['What is fine-tuning?', 'en'],
  ] as const)('%s → %s', (question, language) => {
    expect(detectLanguage(question)).toBe(language);
  });

  it('falls back to the characters when neither or both languages frame the question', () => {
    expect(detectLanguage('调教 vs 微调')).toBe('zh');
    expect(detectLanguage('GPU')).toBe('en');
  });
});
