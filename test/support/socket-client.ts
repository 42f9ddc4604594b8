import { io, type Socket } from 'socket.io-client';
import type {
  AskAck,
  ChatRequest,
  ChatResponse,
  ClientToServerEvents,
  ErrorBody,
  ServerToClientEvents,
} from '../../src/shared/chat-protocol.js';

export type TutorClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function connectTutorSocket(
  baseUrl: string,
  options: { extraHeaders?: Record<string, string>; transports?: ('websocket' | 'polling')[] } = {},
): Promise<TutorClientSocket> {
  const socket: TutorClientSocket = io(baseUrl, {
    transports: options.transports ?? ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(options.extraHeaders ? { extraHeaders: options.extraHeaders } : {}),
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

export interface AskOutcome {
  readonly ack: AskAck;
  readonly deltas: string[];
  readonly resets: number;
  readonly done?: ChatResponse & { messageId: string };
  readonly error?: { messageId: string } & ErrorBody;
}

/**
 * Emits `ask` and collects everything the server sends for that message until `answer:done` or `answer:error`.
 * `onAck` runs when the acknowledgement arrives: the server has then accepted the ask and reserved its conversation.
 */
export function ask(
  socket: TutorClientSocket,
  request: ChatRequest | unknown,
  timeoutMs = 10_000,
  onAck?: (ack: AskAck) => void,
): Promise<AskOutcome> {
  return new Promise((resolve, reject) => {
    const deltas: string[] = [];
    let resets = 0;
    let messageId: string | undefined;
    let ack: AskAck | undefined;
    const early: { kind: 'delta' | 'done' | 'error' | 'reset'; event: { messageId: string } }[] = [];
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no answer:done or answer:error within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = (outcome: AskOutcome): void => {
      cleanup();
      resolve(outcome);
    };
    const onDelta = (event: { messageId: string; text: string }): void => {
      if (messageId === undefined) return void early.push({ kind: 'delta', event });
      if (event.messageId === messageId) deltas.push(event.text);
    };
    const onReset = (event: { messageId: string }): void => {
      if (messageId === undefined) return void early.push({ kind: 'reset', event });
      if (event.messageId === messageId) {
        resets += 1;
        deltas.length = 0;
      }
    };
    const onDone = (event: ChatResponse & { messageId: string }): void => {
      if (messageId === undefined) return void early.push({ kind: 'done', event });
      if (event.messageId === messageId) finish({ ack: ack!, deltas, resets, done: event });
    };
    const onError = (event: { messageId: string } & ErrorBody): void => {
      if (messageId === undefined) return void early.push({ kind: 'error', event });
      if (event.messageId === messageId) finish({ ack: ack!, deltas, resets, error: event });
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      socket.off('answer:delta', onDelta);
      socket.off('answer:reset', onReset);
      socket.off('answer:done', onDone);
      socket.off('answer:error', onError);
    };
    socket.on('answer:delta', onDelta);
    socket.on('answer:reset', onReset);
    socket.on('answer:done', onDone);
    socket.on('answer:error', onError);
    socket.emit('ask', request as ChatRequest, (result: AskAck) => {
      ack = result;
      onAck?.(result);
      if ('error' in result) return finish({ ack: result, deltas, resets });
      messageId = result.messageId;
      for (const { kind, event } of early.splice(0)) {
        if (kind === 'delta') onDelta(event as { messageId: string; text: string });
        else if (kind === 'reset') onReset(event);
        else if (kind === 'done') onDone(event as ChatResponse & { messageId: string });
        else onError(event as { messageId: string } & ErrorBody);
      }
    });
  });
}

/** Starts an ask and resolves once the server has acknowledged it; `outcome` resolves when its answer ends. */
export async function askAcknowledged(
  socket: TutorClientSocket,
  request: ChatRequest | unknown,
  timeoutMs = 10_000,
): Promise<{ readonly ack: AskAck; readonly outcome: Promise<AskOutcome> }> {
  let acknowledge: (ack: AskAck) => void = () => undefined;
  const acknowledged = new Promise<AskAck>((resolve) => {
    acknowledge = resolve;
  });
  const outcome = ask(socket, request, timeoutMs, (result) => acknowledge(result));
  const ack = await Promise.race([acknowledged, outcome.then((result) => result.ack)]);
  return { ack, outcome };
}
