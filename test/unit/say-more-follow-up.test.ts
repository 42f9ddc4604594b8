import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorpusRuntime } from '../../src/app/create-corpus-runtime.js';
import { toTurn } from '../../src/evaluation/run-evaluation.js';
import type { TutorAnswer } from '../../src/tutor/tutor-types.js';
import { createTestRuntime } from '../support/test-runtime.js';

let runtime: CorpusRuntime;
let dispose: () => Promise<void>;

beforeAll(async () => {
  ({ runtime, dispose } = await createTestRuntime());
}, 60_000);
afterAll(() => dispose());

/** The sentences an answer quotes: each citation's spans, as offsets. */
const spansOf = (answer: TutorAnswer): string[] =>
  answer.citations.flatMap((citation) => (citation.spans ?? []).map((span) => `${citation.chunkId}:${span.start}-${span.end}`));

describe('asking for more on the same topic', () => {
  it.each([
    ['What is tuning?', 'Can you say more?', /tuning/i],
    ['微调是什么？', '再详细点', /微调/],
  ])('after "%s", "%s" answers from sentences the first answer did not quote', async (first, more, topic) => {
    const opening = await runtime.offlineAnswerer.answer({ question: first });
    const again = await runtime.offlineAnswerer.answer({ question: more, history: [toTurn(first, opening)] });
    expect(again.grounded).toBe(true);
    expect(again.answer).toMatch(topic);
    const before = new Set(spansOf(opening));
    expect(spansOf(again).length).toBeGreaterThan(0);
    expect(spansOf(again).filter((span) => before.has(span))).toEqual([]);
  });
});
