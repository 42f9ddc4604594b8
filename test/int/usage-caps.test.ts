import { afterEach, describe, expect, it } from 'vitest';
import { createFakeOpenAIServer, type FakeOpenAIServer, scripted } from '../support/fake-openai-server.js';
import { ask, connectTutorSocket, type TutorClientSocket } from '../support/socket-client.js';
import { startTestTutor, type TestTutor } from '../support/start-test-tutor.js';

describe('caps that keep one client from starving others or running up the bill', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
  });

  it('refuses socket connections from one address beyond SOCKET_CONNECTIONS_PER_IP, and accepts again once one closes', async () => {
    const tutor: TestTutor = await startTestTutor({ env: { SOCKET_CONNECTIONS_PER_IP: '3' } });
    cleanups.push(() => tutor.close());
    const sockets: TutorClientSocket[] = [];
    for (let index = 0; index < 3; index += 1) sockets.push(await connectTutorSocket(tutor.baseUrl));
    cleanups.push(() => {
      for (const socket of sockets) socket.close();
    });
    await expect(connectTutorSocket(tutor.baseUrl)).rejects.toThrow();
    const outcome = await ask(sockets[0]!, { message: '微调是什么？' });
    expect(outcome.done?.grounded).toBe(true);
    sockets.pop()!.close();
    // The server frees the slot when it sees the disconnect.
    await expect.poll(() => tutor.server.io.of('/').sockets.size).toBe(2);
    const again = await connectTutorSocket(tutor.baseUrl);
    sockets.push(again);
    expect(again.connected).toBe(true);
  });

  it('stops calling the model past LLM_ANSWERS_PER_HOUR for the whole node, whatever the conversation', async () => {
    const fake: FakeOpenAIServer = await createFakeOpenAIServer();
    cleanups.push(() => fake.close());
    const tutor = await startTestTutor({ env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.url, LLM_ANSWERS_PER_HOUR: '2' } });
    cleanups.push(() => tutor.close());
    const socket = await connectTutorSocket(tutor.baseUrl);
    cleanups.push(() => void socket.close());
    fake.enqueue(scripted.text('微调更具体 [1]。'), scripted.text('调教更广义 [1]。'));
    const modes: string[] = [];
    // Three fresh conversations: the third gets an offline answer and the model is not called a third time.
    for (const message of ['微调是什么？', '调教是什么？', '预训练模型是什么？']) modes.push((await ask(socket, { message })).done!.mode);
    expect(modes).toEqual(['llm', 'llm', 'offline-fallback']);
    expect(fake.chatRequests).toHaveLength(2);
  });
});
