import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectTutorSocket, type TutorClientSocket } from '../support/socket-client.js';
import { startTestTutor, type TestTutor } from '../support/start-test-tutor.js';

/**
 * The per-address socket cap (SOCKET_CONNECTIONS_PER_IP) under the attacks of issue 13: connections opened first and
 * joined later, handshakes that never join, and a spoofed X-Forwarded-For behind (or without) a trusted proxy. Raw
 * engine.io WebSockets and polling requests, so nothing a client library does hides what the server allows.
 */

interface RawSocket {
  readonly ws: WebSocket;
  /** Resolves true once the namespace join was acknowledged, false when the server refused or closed. */
  join(): Promise<boolean>;
}

/** Opens an engine.io WebSocket (the handshake happens at the upgrade) without joining the namespace; null if refused. */
function openRawWebSocket(tutor: TestTutor, headers: Record<string, string> = {}): Promise<RawSocket | null> {
  const ws = new WebSocket(`ws://127.0.0.1:${tutor.port}/socket.io/?EIO=4&transport=websocket`, { headers });
  ws.on('error', () => undefined);
  const messages: string[] = [];
  const listeners = new Set<() => void>();
  ws.on('message', (data) => {
    const text = data.toString();
    messages.push(text);
    if (text === '2') ws.send('3');
    for (const listener of listeners) listener();
  });
  return new Promise((resolve) => {
    ws.once('unexpected-response', () => resolve(null));
    ws.once('close', () => resolve(null));
    const opened = (): void => {
      if (!messages.some((text) => text.startsWith('0{'))) return;
      listeners.delete(opened);
      resolve({
        ws,
        join: () =>
          new Promise<boolean>((joined) => {
            const check = (): void => {
              if (messages.some((text) => text.startsWith('40{'))) joined(true);
              else if (messages.some((text) => text.startsWith('44') || text.startsWith('41'))) joined(false);
            };
            listeners.add(check);
            ws.once('close', () => joined(false));
            ws.send('40');
            check();
          }),
      });
    };
    listeners.add(opened);
  });
}

/** An engine.io polling handshake (a session that never joins); its HTTP status. */
async function pollingHandshake(tutor: TestTutor, headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(`${tutor.baseUrl}/socket.io/?EIO=4&transport=polling`, { headers });
  await response.text();
  return response.status;
}

describe('socket connection cap per address, counted from the handshake', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
  });

  async function tutorWith(env: Record<string, string>): Promise<TestTutor> {
    const tutor = await startTestTutor({ env });
    cleanups.push(() => tutor.close());
    return tutor;
  }

  it('admits only SOCKET_CONNECTIONS_PER_IP raw WebSockets that open first and join later', async () => {
    const tutor = await tutorWith({ SOCKET_CONNECTIONS_PER_IP: '5' });
    const opened = await Promise.all(Array.from({ length: 12 }, () => openRawWebSocket(tutor)));
    cleanups.push(() => {
      for (const raw of opened) raw?.ws.terminate();
    });
    const joined = await Promise.all(opened.map((raw) => raw?.join() ?? false));
    expect(joined.filter(Boolean)).toHaveLength(5);
    // A slot comes back when a connection closes.
    const first = opened.find((raw) => raw !== null)!;
    const closed = new Promise((resolve) => first.ws.once('close', resolve));
    first.ws.close();
    await closed;
    // (The server may see the close a moment after the client: try until it has, one attempt at a time.)
    const deadline = Date.now() + 5_000;
    let again: RawSocket | null = null;
    while (again === null && Date.now() < deadline) {
      again = await openRawWebSocket(tutor);
      if (again === null) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    cleanups.push(() => again?.ws.terminate());
    expect(await again?.join()).toBe(true);
  });

  it('counts polling sessions that never join, and releases their slots when the handshake times out', async () => {
    const tutor = await tutorWith({ SOCKET_CONNECTIONS_PER_IP: '5', SOCKET_HANDSHAKE_TIMEOUT_MS: '3000' });
    const statuses = await Promise.all(Array.from({ length: 30 }, () => pollingHandshake(tutor)));
    expect(statuses.filter((status) => status === 200)).toHaveLength(5);
    expect(statuses.filter((status) => status === 403)).toHaveLength(25);
    await expect(connectTutorSocket(tutor.baseUrl)).rejects.toThrow();
    // Sessions that never joined are closed after the handshake timeout; their slots come back.
    // (Loops, not expect.poll: each attempt that succeeds takes a slot, so attempts must not overlap. The five
    // reservations were made within a moment of each other, under load not in the same millisecond.)
    const deadline = Date.now() + 8_000;
    let status = 0;
    while (status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = await pollingHandshake(tutor);
    }
    expect(status).toBe(200);
    let learner: TutorClientSocket | undefined;
    while (learner === undefined && Date.now() < deadline) {
      learner = await connectTutorSocket(tutor.baseUrl).catch(() => undefined);
      if (learner === undefined) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    if (learner === undefined) throw new Error('no slot came back for a learner after the handshake timeout');
    cleanups.push(() => void learner.close());
    expect(learner.connected).toBe(true);
  });
});

describe('the client address of a socket, resolved as Express resolves req.ip', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
  });

  /** Opens `count` sockets one after the other, each joined before the next; how many joined. */
  async function openAndJoinInTurn(tutor: TestTutor, count: number, headers: (index: number) => Record<string, string>): Promise<number> {
    let joined = 0;
    for (let index = 0; index < count; index += 1) {
      const raw = await openRawWebSocket(tutor, headers(index));
      if (raw) cleanups.push(() => raw.ws.terminate());
      if (raw && (await raw.join())) joined += 1;
    }
    return joined;
  }

  it("behind a loopback proxy that appends to the client's own X-Forwarded-For, caps the real client (rightmost untrusted hop)", async () => {
    const tutor = await startTestTutor({
      env: { SOCKET_CONNECTIONS_PER_IP: '5', TRUST_PROXY: 'loopback', HTTP_RATE_LIMIT_PER_MINUTE: '5' },
    });
    cleanups.push(() => tutor.close());
    // What nginx's `proxy_add_x_forwarded_for` sends when the client wrote a header of its own: forged, then real.
    const forged = (index: number): Record<string, string> => ({ 'x-forwarded-for': `198.51.100.${index}, 203.0.113.7` });
    // One at a time, each joined before the next opens: no race, only the address decides.
    const joined = await openAndJoinInTurn(tutor, 12, forged);
    expect(joined).toBe(5);
    // Another client of the same proxy is its own address.
    const neighbour = await openRawWebSocket(tutor, { 'x-forwarded-for': '203.0.113.8' });
    cleanups.push(() => neighbour?.ws.terminate());
    expect(await neighbour?.join()).toBe(true);
    // REST agrees: the same forged headers count against 203.0.113.7.
    const statuses: number[] = [];
    for (let index = 0; index < 7; index += 1) {
      const response = await fetch(`${tutor.baseUrl}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...forged(index) },
        body: JSON.stringify({ message: '微调是什么？' }),
      });
      await response.text();
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
  });

  it('ignores X-Forwarded-For from a peer that is not the trusted proxy (TRUST_PROXY=10.0.0.2, direct client)', async () => {
    const tutor = await startTestTutor({ env: { SOCKET_CONNECTIONS_PER_IP: '5', TRUST_PROXY: '10.0.0.2' } });
    cleanups.push(() => tutor.close());
    const joined = await openAndJoinInTurn(tutor, 12, (index) => ({ 'x-forwarded-for': `198.51.100.${index}` }));
    expect(joined).toBe(5);
  });
});
