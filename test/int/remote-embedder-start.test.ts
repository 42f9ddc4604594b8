import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { createTestRuntime } from '../support/test-runtime.js';

/**
 * With an OpenAI-compatible embedder every search is a paid embedding request: the suggestion checks the local embedder
 * makes ahead at start-up (about 62 searches) are not made ahead with it.
 */
describe('start-up with a remote embedder (EMBEDDINGS=openai)', () => {
  let fake: FakeOpenAIServer;
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  const embeddingRequests = () => fake.requests.filter((request) => request.path === '/v1/embeddings').length;

  beforeAll(async () => {
    fake = await createFakeOpenAIServer();
    fixture = await createTestRuntime({ env: { EMBEDDINGS: 'openai', OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.url } });
  });
  afterAll(async () => {
    await fixture.dispose();
    await fake.close();
  });

  it('makes no embedding request after the index build until a learner asks', async () => {
    const afterBuild = embeddingRequests();
    expect(afterBuild).toBeGreaterThan(0);
    await fixture.runtime.whenWarm();
    // Idle turns of the event loop, where a warm-up would run its searches.
    for (let turn = 0; turn < 20; turn += 1) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(embeddingRequests()).toBe(afterBuild);

    const answer = await fixture.runtime.offlineAnswerer.answer({ question: '微调是什么？', history: [] });
    expect(answer.grounded).toBe(true);
    expect(answer.followUps.length).toBeGreaterThan(0);
    expect(embeddingRequests()).toBeGreaterThan(afterBuild);
  });
});
