import { describe, expect, it } from 'vitest';
import type { ChunkRecord } from '../../src/ingest/chunk-types.js';
import type { TextAnalyzer } from '../../src/retrieval/text-analyzer.js';
import { composeNotCovered, corpusTopics } from '../../src/tutor/offline/not-covered.js';
import { isSmallTalk, readSmallTalk } from '../../src/tutor/small-talk.js';

describe('small-talk reader', () => {
  it('reads greetings, thanks, acknowledgements and goodbyes in Chinese and English as small talk', () => {
    for (const message of [
      '谢谢',
      '你好',
      '您好！',
      '好的',
      '嗯嗯',
      '明白了',
      '再见',
      '拜拜',
      'hi',
      'Hello',
      'thanks!',
      'Thank you',
      'ok',
      'got it',
      'bye',
    ]) {
      expect(isSmallTalk(message), message).toBe(true);
    }
  });

  it('tolerates punctuation, emoji, particles, case and several phrases in one message', () => {
    for (const message of [
      'ok 谢谢',
      '谢谢啦~',
      '好的，谢谢！🙏',
      '嗯嗯，明白了…',
      'Thanks a lot!!! 😊',
      'HI THERE 👋',
      'ok, thanks :)',
      '👍 谢谢老师',
      '谢谢，再见',
    ]) {
      expect(isSmallTalk(message), message).toBe(true);
    }
  });

  it('keeps the question after a greeting or thanks, with the social part taken off', () => {
    expect(readSmallTalk('谢谢！那调教呢？')).toEqual({ kinds: ['thanks'], rest: '那调教呢？' });
    expect(readSmallTalk('hi, what is fine-tuning?')).toEqual({ kinds: ['greeting'], rest: 'what is fine-tuning?' });
    expect(readSmallTalk('你好，微调和调教有什么区别？').rest).toBe('微调和调教有什么区别？');
    expect(readSmallTalk('Thanks! But why?').rest).toBe('But why?');
    for (const message of ['谢谢！那调教呢？', 'hi, what is fine-tuning?', 'thanks, and tuning?'])
      expect(isSmallTalk(message), message).toBe(false);
  });

  it('does not read a phrase that is only the start of a word or a question', () => {
    // 好处 is not 好 + 处, 可以举个例子 not 可以 + 举个例子, "hierarchy" not "hi" + "erarchy".
    for (const message of ['好处是什么？', '可以举个例子吗？', '行不行？', 'hierarchy?', 'types of tuning', 'okapi']) {
      expect(readSmallTalk(message), message).toEqual({ kinds: [], rest: message });
      expect(isSmallTalk(message), message).toBe(false);
    }
  });

  it('leaves short questions to the answerer: "为什么？" has no social phrase, and an acknowledgement asked ("ok?") questions the answer', () => {
    for (const message of ['为什么？', 'why?', 'ok?', '好吗？', '是吗？', 'really?', '那调教呢？', '举个例子']) {
      expect(isSmallTalk(message), message).toBe(false);
    }
  });
});

describe('the topics a refusal names', () => {
  it('are the glossary terms of the titles, less answer-kind words and modifiers, for any corpus', () => {
    const terms = [
      { zh: '深度学习', en: ['deep learning'], gloss: 'deep learning' },
      { zh: '优化器', en: ['optimizer'], gloss: 'optimizer' },
      { zh: '正则化', en: ['regularisation'], gloss: 'regularisation' },
      { zh: '区别', en: ['difference'], gloss: 'difference' },
    ];
    const analyzer = {
      findGlossaryTerms: (text: string) => terms.filter((term) => text.includes(term.zh)),
    } as unknown as TextAnalyzer;
    const chunks = [{ title: '深度学习的优化器和正则化的区别' }, { title: '正则化' }] as unknown as ChunkRecord[];
    expect(corpusTopics(chunks, analyzer).map((term) => term.zh)).toEqual(['优化器', '正则化']);
    const refusal = composeNotCovered('zh', chunks, analyzer);
    expect(refusal).toContain('讲的是优化器和正则化');
    expect(composeNotCovered('en', chunks, analyzer)).toContain('is about optimizer and regularisation');
  });
});
