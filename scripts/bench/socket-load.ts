import { io, type Socket } from 'socket.io-client';
import type { AskAck, ChatResponse, ClientToServerEvents, ErrorBody, ServerToClientEvents } from '../../src/shared/chat-protocol.js';
import { type LatencySummary, readProcessRss, summarize } from './bench-support.js';

type TutorSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A learner's session: questions asked in order; a new conversation starts where `newConversation` is true. */
export interface ScriptedQuestion {
  readonly message: string;
  readonly newConversation: boolean;
}

export interface LoadLevelResult {
  readonly clients: number;
  readonly asksPerClient: number;
  readonly connected: number;
  readonly connectFailures: number;
  readonly connectMs: LatencySummary;
  /** From `ask` to `answer:done`, the whole answer as the learner waits for it. */
  readonly answerMs: LatencySummary;
  /** From `ask` to the acknowledgement with the message id. */
  readonly ackMs: LatencySummary;
  /** From `ask` to the first `answer:delta`. */
  readonly firstDeltaMs: LatencySummary;
  readonly answered: number;
  readonly failures: number;
  /** Error codes seen (refused asks, answer errors, timeouts), with counts. */
  readonly failureCodes: Readonly<Record<string, number>>;
  readonly wallMs: number;
  readonly answersPerSecond: number;
  readonly serverRssBeforeBytes: number | undefined;
  readonly serverPeakRssBytes: number | undefined;
}

/**
 * Connects `clients` socket.io clients (WebSocket transport) to the server, then has all of them ask at the same
 * moment, each its own `asksPerClient` questions one after the other (follow-ups in the same conversation), and
 * measures every answer. The server's resident memory is sampled from /proc while the level runs.
 */
export async function runLoadLevel(options: {
  readonly baseUrl: string;
  readonly serverPid: number;
  readonly clients: number;
  readonly asksPerClient: number;
  readonly script: (client: number) => readonly ScriptedQuestion[];
  readonly answerTimeoutMs: number;
}): Promise<LoadLevelResult> {
  const serverRssBefore = readProcessRss(options.serverPid)?.rss;
  let serverPeak = serverRssBefore ?? 0;
  const sampler = setInterval(() => {
    const reading = readProcessRss(options.serverPid);
    if (reading) serverPeak = Math.max(serverPeak, reading.rss);
  }, 25);

  const connectTimes: number[] = [];
  const connections = await Promise.all(
    Array.from({ length: options.clients }, async () => {
      const started = performance.now();
      try {
        const socket = await connect(options.baseUrl);
        connectTimes.push(performance.now() - started);
        return socket;
      } catch {
        return undefined;
      }
    }),
  );
  const sockets = connections.filter((socket): socket is TutorSocket => socket !== undefined);

  const answerTimes: number[] = [];
  const ackTimes: number[] = [];
  const firstDeltaTimes: number[] = [];
  const failureCodes: Record<string, number> = {};
  const fail = (code: string): void => void (failureCodes[code] = (failureCodes[code] ?? 0) + 1);
  let answered = 0;

  const started = performance.now();
  await Promise.all(
    sockets.map(async (socket, client) => {
      let conversationId: string | undefined;
      for (const question of options.script(client).slice(0, options.asksPerClient)) {
        if (question.newConversation) conversationId = undefined;
        const outcome = await askOnce(
          socket,
          { message: question.message, ...(conversationId ? { conversationId } : {}) },
          options.answerTimeoutMs,
        );
        if (outcome.kind === 'done') {
          answered += 1;
          answerTimes.push(outcome.answerMs);
          ackTimes.push(outcome.ackMs);
          if (outcome.firstDeltaMs !== undefined) firstDeltaTimes.push(outcome.firstDeltaMs);
          conversationId = outcome.conversationId;
        } else {
          fail(outcome.code);
          conversationId = undefined;
        }
      }
    }),
  );
  const wallMs = performance.now() - started;
  for (const socket of sockets) socket.close();
  clearInterval(sampler);
  const last = readProcessRss(options.serverPid);
  if (last) serverPeak = Math.max(serverPeak, last.rss);

  const failures = Object.values(failureCodes).reduce((sum, count) => sum + count, 0);
  return {
    clients: options.clients,
    asksPerClient: options.asksPerClient,
    connected: sockets.length,
    connectFailures: options.clients - sockets.length,
    connectMs: summarize(connectTimes),
    answerMs: summarize(answerTimes),
    ackMs: summarize(ackTimes),
    firstDeltaMs: summarize(firstDeltaTimes),
    answered,
    failures,
    failureCodes,
    wallMs,
    answersPerSecond: answered / (wallMs / 1000),
    serverRssBeforeBytes: serverRssBefore,
    serverPeakRssBytes: serverRssBefore === undefined ? undefined : serverPeak,
  };
}

function connect(baseUrl: string): Promise<TutorSocket> {
  const socket: TutorSocket = io(baseUrl, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 30_000 });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

type AskOutcome =
  | { kind: 'done'; conversationId: string; answerMs: number; ackMs: number; firstDeltaMs: number | undefined }
  | { kind: 'failed'; code: string };

/** One `ask`: resolves at `answer:done` (or a refusal, `answer:error`, a disconnect or the timeout). */
function askOnce(socket: TutorSocket, request: { message: string; conversationId?: string }, timeoutMs: number): Promise<AskOutcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    let messageId: string | undefined;
    let ackMs = Number.NaN;
    let firstDeltaMs: number | undefined;
    // Events can only follow the acknowledgement on one connection, but keep any that arrive first.
    const early: { kind: 'delta' | 'done' | 'error'; event: { messageId: string } & Partial<ChatResponse & ErrorBody> }[] = [];
    const finish = (outcome: AskOutcome): void => {
      clearTimeout(timer);
      socket.off('answer:delta', onDelta);
      socket.off('answer:done', onDone);
      socket.off('answer:error', onError);
      socket.off('disconnect', onDisconnect);
      resolve(outcome);
    };
    const onDelta = (event: { messageId: string; text: string }): void => {
      if (messageId === undefined) return void early.push({ kind: 'delta', event });
      if (event.messageId === messageId && firstDeltaMs === undefined) firstDeltaMs = performance.now() - started;
    };
    const onDone = (event: ChatResponse & { messageId: string }): void => {
      if (messageId === undefined) return void early.push({ kind: 'done', event });
      if (event.messageId !== messageId) return;
      if (event.answer.length === 0) {
        finish({ kind: 'failed', code: 'EMPTY_ANSWER' });
        return;
      }
      finish({ kind: 'done', conversationId: event.conversationId, answerMs: performance.now() - started, ackMs, firstDeltaMs });
    };
    const onError = (event: { messageId: string } & ErrorBody): void => {
      if (messageId === undefined) return void early.push({ kind: 'error', event });
      if (event.messageId === messageId) finish({ kind: 'failed', code: event.code });
    };
    const onDisconnect = (): void => finish({ kind: 'failed', code: 'DISCONNECTED' });
    const timer = setTimeout(() => finish({ kind: 'failed', code: 'TIMEOUT' }), timeoutMs);
    socket.on('answer:delta', onDelta);
    socket.on('answer:done', onDone);
    socket.on('answer:error', onError);
    socket.on('disconnect', onDisconnect);
    socket.emit('ask', request, (ack: AskAck) => {
      ackMs = performance.now() - started;
      if ('error' in ack) return finish({ kind: 'failed', code: ack.error.code });
      messageId = ack.messageId;
      for (const { kind, event } of early.splice(0)) {
        if (kind === 'delta') onDelta(event as { messageId: string; text: string });
        else if (kind === 'done') onDone(event as ChatResponse & { messageId: string });
        else onError(event as { messageId: string } & ErrorBody);
      }
    });
  });
}
