import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { TutorError } from '../errors/tutor-error.js';
import type { AskAck, ClientToServerEvents, ServerToClientEvents } from '../shared/chat-protocol.js';
import type { Logger } from '../support/logger.js';
import { createSlidingWindowLimiter, retryAfterSeconds } from '../support/sliding-window-limiter.js';
import type { ChatService, ChatTurn } from './chat-service.js';
import { createConnectionSlots } from './connection-slots.js';
import { logLevelFor, toClientError } from './error-mapping.js';
import type { OriginPolicy } from './origin-policy.js';

export interface SocketGatewayDeps {
  readonly httpServer: HttpServer;
  readonly chat: ChatService;
  readonly logger: Logger;
  readonly originPolicy: OriginPolicy;
  /** Largest socket.io message accepted, in bytes. */
  readonly maxPayloadBytes: number;
  /** Asks one connection may make per minute. */
  readonly asksPerMinute: number;
  /** Open connections allowed per client address, counted from the handshake on. */
  readonly connectionsPerAddress: number;
  /**
   * A connection that has not joined the namespace by then is closed and its slot released (socket.io's
   * `connectTimeout`). @default 10000
   */
  readonly handshakeTimeoutMs?: number;
  /** The client's address, resolved exactly as Express resolves `req.ip` (see client-address.ts). */
  readonly clientAddress: (request: IncomingMessage) => string;
  /** Lets a multi-node deployment plug in the Redis adapter before sockets connect. */
  readonly configure?: (io: TutorSocketServer) => void;
}

export type TutorSocketServer = Server<ClientToServerEvents, ServerToClientEvents>;

/**
 * The socket.io endpoint: `ask` with an acknowledgement, then `answer:delta`… and exactly one of `answer:done` or
 * `answer:error` per accepted ask. The Origin of the handshake is checked here, because socket.io's CORS option does
 * not stop cross-site WebSocket connections.
 */
export function createSocketGateway(deps: SocketGatewayDeps): TutorSocketServer {
  const handshakeTimeoutMs = deps.handshakeTimeoutMs ?? 10_000;
  const slots = createConnectionSlots({ perAddress: deps.connectionsPerAddress, handshakeTimeoutMs });
  const asks = createSlidingWindowLimiter({ limit: deps.asksPerMinute, windowMs: 60_000 });
  const io: TutorSocketServer = new Server(deps.httpServer, {
    path: '/socket.io',
    maxHttpBufferSize: deps.maxPayloadBytes,
    serveClient: false,
    connectTimeout: handshakeTimeoutMs,
    cors: { origin: (origin, callback) => callback(null, deps.originPolicy.allows(origin)), methods: ['GET', 'POST'] },
    allowRequest: (request, callback) => {
      const origin = request.headers.origin;
      const host = request.headers.host;
      const ownOrigins = host === undefined ? [] : [`http://${host}`, `https://${host}`];
      const allowed = origin === undefined || ownOrigins.includes(origin) || deps.originPolicy.allows(origin);
      if (!allowed) return callback('origin not allowed', false);
      // One address may hold only so many connections: opening thousands must not starve everyone else. The slot is
      // taken here, at the handshake, so connections that have not joined the namespace yet count too.
      if (!slots.reserve(request, deps.clientAddress(request))) return callback('too many connections from this address', false);
      callback(null, true);
    },
  });
  io.engine.on(
    'connection',
    (engineSocket: { request: IncomingMessage; once(event: 'close', listener: () => void): void; close(): void }) => {
      const slot = slots.bind(engineSocket.request, () => engineSocket.close());
      // The handshake outlived its reservation (slower than handshakeTimeoutMs): it holds no slot, so it may not stay.
      if (!slot) return engineSocket.close();
      engineSocket.once('close', () => slot.close());
    },
  );
  io.engine.on('close', () => slots.clear());
  deps.configure?.(io);

  io.on('connection', (socket) => {
    slots.joined(socket.request);
    const address = deps.clientAddress(socket.request);
    socket.once('disconnect', () => asks.forget(socket.id));
    // An event this API does not have gets a clear refusal in its acknowledgement (when it asked for one) and is
    // otherwise ignored; the connection stays usable.
    socket.onAny((event: unknown, ...args: unknown[]) => {
      if (event === 'ask') return;
      const ack = args.at(-1);
      if (typeof ack !== 'function') return;
      const name = typeof event === 'string' ? event.slice(0, 40) : typeof event;
      refuse(
        ack as (result: AskAck) => void,
        new TutorError('INVALID_REQUEST', `Unknown event ${JSON.stringify(name)}; the only event is "ask".`),
      );
    });
    socket.on('ask', (...args: unknown[]) => {
      const ack = args.at(-1);
      if (typeof ack !== 'function') {
        // Without an acknowledgement the client cannot learn the message id; tell it why instead of answering blind.
        socket.emit('answer:error', { messageId: '', code: 'INVALID_REQUEST', message: 'ask needs an acknowledgement callback.' });
        return;
      }
      const reply = ack as (result: AskAck) => void;
      if (args.length !== 2) {
        refuse(
          reply,
          new TutorError('INVALID_REQUEST', 'ask takes one payload, like {"message": "微调是什么？"}, and an acknowledgement.'),
        );
        return;
      }
      const verdict = asks.tryTake(socket.id);
      if (!verdict.allowed) {
        const seconds = retryAfterSeconds(verdict);
        refuse(
          reply,
          new TutorError('RATE_LIMITED', `Too many questions in a short time. Wait ${seconds} s, then ask again.`, {
            details: { retryAfterSeconds: seconds },
          }),
        );
        return;
      }
      void handleAsk(socket, address, args[0], reply);
    });
  });

  async function handleAsk(
    socket: Socket<ClientToServerEvents, ServerToClientEvents>,
    clientAddress: string,
    request: unknown,
    reply: (result: AskAck) => void,
  ): Promise<void> {
    let turn: ChatTurn;
    try {
      turn = await deps.chat.begin(request, { clientAddress });
    } catch (error) {
      refuse(reply, error);
      return;
    }
    reply({ conversationId: turn.conversationId, messageId: turn.messageId });
    const controller = new AbortController();
    const onDisconnect = (): void => controller.abort(new TutorError('CLIENT_DISCONNECTED', 'The socket disconnected mid-answer'));
    socket.once('disconnect', onDisconnect);
    try {
      const response = await turn.run({
        signal: controller.signal,
        onDelta: (text) => socket.emit('answer:delta', { messageId: turn.messageId, text }),
        onReset: () => socket.emit('answer:reset', { messageId: turn.messageId }),
      });
      socket.emit('answer:done', { messageId: turn.messageId, ...response });
    } catch (error) {
      const client = toClientError(error);
      const level = logLevelFor(client);
      if (client.body.code === 'CLIENT_DISCONNECTED')
        deps.logger.info({ code: client.body.code, messageId: turn.messageId }, 'socket client disconnected mid-answer; answer abandoned');
      else if (level === 'info') deps.logger.info({ code: client.body.code }, 'socket answer refused');
      else deps.logger[level]({ err: error, code: client.body.code, messageId: turn.messageId }, 'socket answer failed');
      socket.emit('answer:error', { messageId: turn.messageId, ...client.body });
    } finally {
      socket.off('disconnect', onDisconnect);
    }
  }

  function refuse(reply: (result: AskAck) => void, error: unknown): void {
    const client = toClientError(error);
    const level = logLevelFor(client);
    // Refusals are the client's business and can come in floods: debug only.
    if (level === 'info') deps.logger.debug({ code: client.body.code }, 'socket ask refused');
    else deps.logger[level]({ err: error, code: client.body.code }, 'socket ask failed');
    reply({ error: client.body });
  }

  return io;
}
