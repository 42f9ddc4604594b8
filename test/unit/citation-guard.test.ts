import { describe, expect, it } from 'vitest';
import { markersInText as markersIn } from '../../src/tutor/citation-builder.js';
import {
  createStreamingCitationGuard,
  type GuardedAnswer,
  guardCitations,
  type MarkedPassage,
  resolverFor,
} from '../../src/tutor/llm/citation-guard.js';
import { FIXTURE_DOCUMENT, fixtureChunks } from '../support/in-memory-passage-search.js';

const chunks = fixtureChunks();
const chunkAt = (index: number) => {
  const chunk = chunks[index];
  if (chunk === undefined) throw new Error(`no fixture chunk ${index}`);
  return chunk;
};
/** The model was shown passages [1], [2], [3] (fixture chunks 1, 2, 4). */
const given: MarkedPassage[] = [
  { marker: 1, chunk: chunkAt(1) },
  { marker: 2, chunk: chunkAt(2) },
  { marker: 3, chunk: chunkAt(4) },
];

/** The invariants every guarded answer must satisfy, checked on each result below. */
function expectInvariants(result: GuardedAnswer): void {
  const markers = markersIn(result.answer);
  const citationMarkers = result.citations.map((citation) => citation.marker);
  expect(citationMarkers).toEqual(citationMarkers.map((_, index) => index + 1));
  expect(new Set(markers)).toEqual(new Set(citationMarkers));
  expect(result.grounded).toBe(result.citations.length > 0);
  expect(result.answer).toBe(result.answer.trim());
  for (const citation of result.citations) {
    expect(FIXTURE_DOCUMENT.content.slice(citation.start, citation.end)).toBe(citation.text);
  }
}

describe('guardCitations', () => {
  it('keeps valid markers and resolves them to the passages the model was given', () => {
    const result = guardCitations('微调是在预训练模型上针对特定任务的训练 [1]。调教更广义 [2]。', given);
    expect(result.answer).toBe('微调是在预训练模型上针对特定任务的训练 [1]。调教更广义 [2]。');
    expect(result.citations.map((citation) => citation.chunkId)).toEqual([chunkAt(1).chunkId, chunkAt(2).chunkId]);
    expect(result.citations[0]).toMatchObject({
      marker: 1,
      title: FIXTURE_DOCUMENT.title,
      source: FIXTURE_DOCUMENT.source,
      text: chunkAt(1).text,
    });
    expect(result.grounded).toBe(true);
    expectInvariants(result);
  });

  it('removes a marker that points to no given passage and renumbers the rest by first appearance', () => {
    const result = guardCitations('Tuning is broader [3]. It covers hyperparameters [7]. Fine-tuning adapts a model [1].', given);
    expect(result.answer).toBe('Tuning is broader [1]. It covers hyperparameters. Fine-tuning adapts a model [2].');
    expect(result.citations.map((citation) => citation.chunkId)).toEqual([chunkAt(4).chunkId, chunkAt(1).chunkId]);
    expectInvariants(result);
  });

  it('splits grouped forms into plain markers and keeps only the valid numbers', () => {
    const result = guardCitations('A [2, 9] B [1，3] C【3】 D [2][2] E [^1] F [1-3]', given);
    expect(result.answer).toBe('A [1] B [2][3] C[3] D [1] E [2] F [2][1][3]');
    expectInvariants(result);
  });

  it('gives one number to a passage cited repeatedly', () => {
    const result = guardCitations('One [2]. Two [2]. Three [1][1].', given);
    expect(result.answer).toBe('One [1]. Two [1]. Three [2].');
    expect(result.citations).toHaveLength(2);
    expectInvariants(result);
  });

  it('tidies the space a dropped marker leaves', () => {
    expect(guardCitations('Claim [9].', given).answer).toBe('Claim.');
    expect(guardCitations('Claim [9] and more [1]', given).answer).toBe('Claim and more [1]');
    expect(guardCitations('第一行 [9]\n第二行【8】。', given).answer).toBe('第一行\n第二行。');
    expect(guardCitations('[9] Leading marker.', given).answer).toBe('Leading marker.');
    expect(guardCitations('A [9][1] B', given).answer).toBe('A [1] B');
  });

  it('is ungrounded with no citations when nothing valid is cited', () => {
    const result = guardCitations('The article does not say [5]. 文章没有提到这一点。', given);
    expect(result).toEqual({ answer: 'The article does not say. 文章没有提到这一点。', citations: [], grounded: false });
    expect(guardCitations('No markers at all.', []).grounded).toBe(false);
  });

  it('leaves bracketed text that is not a marker alone', () => {
    const result = guardCitations('See [the summary] and [a, b]; arrays like x[i] stay; an open [1 stays too', given);
    expect(result.answer).toBe('See [the summary] and [a, b]; arrays like x[i] stay; an open [1 stays too');
    expect(result.citations).toEqual([]);
  });

  it('never leaves an uncited [n] even for huge numbers', () => {
    const result = guardCitations('Huge [123456789] and [0] are not passages [2].', given);
    expect(result.answer).toBe('Huge and are not passages [1].');
    expectInvariants(result);
  });
});

describe('createStreamingCitationGuard', () => {
  const samples = [
    '微调是在预训练模型上针对特定任务的训练 [1]。调教更广义 [2, 9]，包括超参数调整【3】。',
    'Tuning is broader [3]. It covers hyperparameters [7].\n\nFine-tuning adapts a model [1][1] and [9] more.',
    '  [9] Leading [2]  and   trailing [8]  ',
    'Open bracket [ at the end [1',
  ];

  it('streams exactly the text the one-shot guard produces, however the deltas are split', () => {
    for (const sample of samples) {
      const expected = guardCitations(sample, given);
      const characters = Array.from(sample);
      for (let pieceLength = 1; pieceLength <= 7; pieceLength += 1) {
        const guard = createStreamingCitationGuard(resolverFor(given));
        let streamed = '';
        for (let index = 0; index < characters.length; index += pieceLength) {
          streamed += guard.push(characters.slice(index, index + pieceLength).join(''));
        }
        streamed += guard.flush();
        expect(streamed, `${JSON.stringify(sample)} in pieces of ${pieceLength}`).toBe(expected.answer);
        expect(guard.result()).toEqual(expected);
      }
    }
  });

  it('holds back an unfinished marker only until it closes', () => {
    const guard = createStreamingCitationGuard(resolverFor(given));
    expect(guard.push('微调更具体 [')).toBe('微调更具体');
    expect(guard.push('2')).toBe('');
    expect(guard.push(']。')).toBe(' [1]。');
    expect(guard.push('Next')).toBe('Next');
    expect(guard.flush()).toBe('');
    expect(guard.result().citations.map((citation) => citation.chunkId)).toEqual([chunkAt(2).chunkId]);
  });

  it('judges each marker against the passages known when it completes', () => {
    const known: MarkedPassage[] = [{ marker: 1, chunk: chunkAt(0) }];
    const dynamicGuard = createStreamingCitationGuard((marker) => known.find((passage) => passage.marker === marker)?.chunk);
    expect(dynamicGuard.push('Before the search [2]. ')).toBe('Before the search.');
    known.push({ marker: 2, chunk: chunkAt(3) });
    expect(dynamicGuard.push('After the search [2].')).toBe(' After the search [1].');
    dynamicGuard.flush();
    expect(dynamicGuard.result().citations.map((citation) => citation.chunkId)).toEqual([chunkAt(3).chunkId]);
  });
});
