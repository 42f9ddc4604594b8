import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toTurn } from '../../src/evaluation/run-evaluation.js';
import { markersInText } from '../../src/tutor/citation-builder.js';
import type { TutorAnswer } from '../../src/tutor/tutor-types.js';
import { createTestRuntime } from '../support/test-runtime.js';

function expectConsistentCitations(answer: TutorAnswer, corpusContent: (documentTitle: string) => string): void {
  const markers = markersInText(answer.answer);
  expect(markers.sort()).toEqual(answer.citations.map((citation) => citation.marker).sort());
  answer.citations.forEach((citation, index) => {
    expect(citation.marker).toBe(index + 1);
    expect(corpusContent(citation.title).slice(citation.start, citation.end)).toBe(citation.text);
  });
}

describe('offline tutor answerer', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  let contentOf: (title: string) => string;
  beforeAll(async () => {
    fixture = await createTestRuntime();
    const documents = fixture.runtime.currentIndex().documents;
    contentOf = (title) => documents.find((document) => document.title === title)!.content;
  });
  afterAll(() => fixture.dispose());

  it('answers a Chinese question with quoted sentences, each followed by a marker of a retrieved passage', async () => {
    const answer = await fixture.runtime.offlineAnswerer.answer({ question: '微调和调教有什么区别？' });
    expect(answer.grounded).toBe(true);
    expect(answer.mode).toBe('offline');
    expect(answer.language).toBe('zh');
    expect(answer.answer).toContain('微调');
    expect(answer.answer).toContain('调教');
    expectConsistentCitations(answer, contentOf);
    // Every quoted sentence is the article's own text, from the passage its marker names.
    for (const match of answer.answer.matchAll(/([^\n\]]+?)\[(\d+)\]/g)) {
      const sentence = match[1]!.replace(/^.*?：\n*/, '').trim();
      const citation = answer.citations.find((entry) => entry.marker === Number(match[2]))!;
      const flatten = (text: string): string => text.replace(/^\s*(?:[-*]|\d+\.)\s+/gm, '').replace(/\s+/g, '');
      if (sentence.length > 6) expect(flatten(citation.text)).toContain(flatten(sentence));
    }
    expect(answer.answer.length).toBeLessThan(700);
  });

  it('answers an English question in English (the renderings), with the key terms glossed', async () => {
    const answer = await fixture.runtime.offlineAnswerer.answer({ question: 'What is the difference between fine-tuning and tuning?' });
    expect(answer.language).toBe('en');
    expect(answer.grounded).toBe(true);
    expect(answer.answer).toMatch(/^The article contrasts \*\*fine-tuning\*\* \(微调\) and \*\*tuning\*\* \(调教\)/);
    // The corpus has English renderings: the article's sentences are told in English, not quoted in Chinese.
    expect(answer.answer).toMatch(/fine-tuning usually refers to/i);
    expect(answer.answer).not.toMatch(/^>/m);
    expectConsistentCitations(answer, contentOf);
    expect(answer.followUps.length).toBeGreaterThanOrEqual(2);
    for (const followUp of answer.followUps) expect(followUp).toMatch(/^[\x20-\x7e]+$/);
  });

  it('resolves "那调教呢？" with the earlier turn and reports the query it searched', async () => {
    const first = await fixture.runtime.offlineAnswerer.answer({ question: '微调是什么？' });
    const followUp = await fixture.runtime.offlineAnswerer.answer({ question: '那调教呢？', history: [toTurn('微调是什么？', first)] });
    expect(followUp.searchedFor).toBe('调教是什么？');
    expect(followUp.grounded).toBe(true);
    expect(followUp.citations.some((citation) => citation.text.includes('调教这个词通常更广义'))).toBe(true);
  });

  it('resolves "Can you give me an example of it?" to the earlier topic', async () => {
    const first = await fixture.runtime.offlineAnswerer.answer({ question: 'What is tuning?' });
    const followUp = await fixture.runtime.offlineAnswerer.answer({
      question: 'Can you give me an example of it?',
      history: [toTurn('What is tuning?', first)],
    });
    expect(followUp.searchedFor).toBe('Can you give me an example of tuning?');
    expect(followUp.grounded).toBe(true);
    expect(followUp.answer).toMatch(/example/i);
  });

  it('says what the article covers, with no citations, when the question is outside it', async () => {
    const answer = await fixture.runtime.offlineAnswerer.answer({ question: '今天北京天气怎么样？' });
    expect(answer.grounded).toBe(false);
    expect(answer.citations).toEqual([]);
    expect(markersInText(answer.answer)).toEqual([]);
    expect(answer.answer).toContain('理解大模型的微调和调教的区别');
    expect(answer.followUps.length).toBeGreaterThanOrEqual(2);
  });

  it('names in a refusal the topics the article is about, from its titles and glossary, not its section headings', async () => {
    const zh = await fixture.runtime.offlineAnswerer.answer({ question: '今天北京天气怎么样？' });
    expect(zh.answer).toContain('讲的是微调、调教和模型应用');
    for (const heading of ['总结一下', '共性', '「区别」', '烹饪的例子']) expect(zh.answer).not.toContain(heading);
    const en = await fixture.runtime.offlineAnswerer.answer({ question: 'What is the capital of France?' });
    expect(en.answer).toMatch(/is about fine-tuning, tuning and model application/);
    expect(en.answer).not.toMatch(/large model(?! )|\bdifference\b/i);
  });

  it('suggests follow-ups that are themselves answerable and differ from what was asked', async () => {
    const answer = await fixture.runtime.offlineAnswerer.answer({ question: '什么是预训练模型？' });
    expect(answer.followUps.length).toBeGreaterThanOrEqual(2);
    expect(answer.followUps.length).toBeLessThanOrEqual(3);
    for (const followUp of answer.followUps) {
      expect(followUp).not.toBe('什么是预训练模型？');
      const result = await fixture.runtime.passageSearch.search(followUp);
      expect(result.covered).toBe(true);
    }
  });

  it('streams the answer text through onDelta', async () => {
    const pieces: string[] = [];
    const answer = await fixture.runtime.offlineAnswerer.answer({ question: '什么是过拟合？', onDelta: (text) => pieces.push(text) });
    expect(pieces.join('')).toBe(answer.answer);
  });
});
