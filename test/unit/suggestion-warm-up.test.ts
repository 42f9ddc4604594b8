import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChunkRecord } from '../../src/ingest/chunk-types.js';
import type { PassageSearch } from '../../src/retrieval/retrieval-types.js';
import { runInIdleSteps } from '../../src/support/idle-steps.js';
import { createFollowUpSuggester, type FollowUpRequest } from '../../src/tutor/follow-up-suggester.js';
import { createTestRuntime } from '../support/test-runtime.js';

/** The runtime's search, counting the searches made through it, over a chunk list a test can replace (a new build). */
function observedSearch(inner: PassageSearch) {
  let chunks: readonly ChunkRecord[] = inner.allChunks();
  const observed = {
    searches: 0,
    /** Stands for a rebuilt or reloaded index: the same passages in a new chunk list, which is what caches key on. */
    rebuild: () => void (chunks = [...inner.allChunks()]),
    passageSearch: {
      search: (query, options) => {
        observed.searches += 1;
        return inner.search(query, options);
      },
      allChunks: () => chunks,
      getChunk: (chunkId) => inner.getChunk(chunkId),
    } satisfies PassageSearch,
  };
  return observed;
}

/** First questions of conversations in both languages, and a follow-up, each needing suggestions checked. */
const REQUESTS: readonly FollowUpRequest[] = [
  { language: 'zh', history: [], citedChunkIds: [], question: '微调是什么？' },
  { language: 'en', history: [], citedChunkIds: [], question: 'What is the difference between fine-tuning and tuning?' },
  { language: 'zh', history: [], citedChunkIds: [], question: '调教有什么风险？' },
  { language: 'en', history: [], citedChunkIds: [], question: 'Can you give an example of a pre-trained model?' },
];

describe('suggestion checks made ahead (warm-up)', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  const suggesterOver = (observed: ReturnType<typeof observedSearch>) =>
    createFollowUpSuggester({ passageSearch: observed.passageSearch, analyzer: fixture.runtime.analyzer });

  it('without a warm-up, the first suggestions of a conversation pay searches (what the warm-up takes away)', async () => {
    const observed = observedSearch(fixture.runtime.passageSearch);
    const suggester = suggesterOver(observed);
    await suggester.suggest(REQUESTS[0] as FollowUpRequest);
    expect(observed.searches).toBeGreaterThan(0);
  });

  it('after the warm-up, no suggestion needs a search, and the suggestions are the ones made without it', async () => {
    const cold = suggesterOver(observedSearch(fixture.runtime.passageSearch));
    const observed = observedSearch(fixture.runtime.passageSearch);
    const warmed = suggesterOver(observed);
    const report = await warmed.warmUp();
    expect(report).toMatchObject({ failed: 0, stopped: false });
    expect(report.done).toBeGreaterThan(0);
    observed.searches = 0;
    for (const request of REQUESTS) expect(await warmed.suggest(request)).toEqual(await cold.suggest(request));
    expect(observed.searches).toBe(0);
  });

  it('warms an index once: a second call returns the same run', async () => {
    const suggester = suggesterOver(observedSearch(fixture.runtime.passageSearch));
    expect(suggester.warmUp()).toBe(suggester.warmUp());
  });

  it("a rebuilt index uses none of the old index's checks until it is warmed in turn", async () => {
    const observed = observedSearch(fixture.runtime.passageSearch);
    const suggester = suggesterOver(observed);
    await suggester.warmUp();
    observed.rebuild();
    observed.searches = 0;
    await suggester.suggest(REQUESTS[0] as FollowUpRequest);
    expect(observed.searches).toBeGreaterThan(0);
    const second = await suggester.warmUp();
    expect(second.done).toBeGreaterThan(0);
    observed.searches = 0;
    for (const request of REQUESTS) await suggester.suggest(request);
    expect(observed.searches).toBe(0);
  });

  it('stops when another index is swapped in before it is done', async () => {
    const observed = observedSearch(fixture.runtime.passageSearch);
    const running = suggesterOver(observed).warmUp();
    observed.rebuild();
    expect(await running).toMatchObject({ stopped: true });
  });

  it('the runtime warms the index it swaps in, a forced rebuild included', async () => {
    await fixture.runtime.whenWarm();
    const before = fixture.runtime.followUpSuggester.warmUp();
    await fixture.runtime.ensureIndex({ force: true });
    const after = fixture.runtime.followUpSuggester.warmUp();
    expect(after).not.toBe(before);
    await fixture.runtime.whenWarm();
    expect((await after).stopped).toBe(false);
  });
});

describe('runInIdleSteps', () => {
  it('lets work that arrived meanwhile run between two steps, and goes on past a step that throws', async () => {
    const order: string[] = [];
    const steps = [
      () => {
        order.push('step 1');
        // A request arriving during a step: it runs before the next step does.
        setImmediate(() => order.push('request'));
      },
      () => {
        throw new Error('check failed');
      },
      () => void order.push('step 3'),
    ];
    const report = await runInIdleSteps(steps);
    expect(order).toEqual(['step 1', 'request', 'step 3']);
    expect(report).toEqual({ done: 2, failed: 1, stopped: false });
  });
});
