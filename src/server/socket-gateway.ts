import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { TutorError } from '../errors/tutor-error.js';
import type { AskAck, ClientToServerEvents, ServerToClientEvents } from '../shared/chat-protocol.js';
import type { Logger } from '../support/logger.js';
import type { ChatService, ChatTurn } from './chat-service.js';
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
  /** Open connections allowed per client address. */
  readonly connectionsPerAddress: number;
  /** Whether X-Forwarded-For names the client (behind a trusted reverse proxy). */
  readonly trustProxy: boolean;
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
  const openByAddress = new Map<string, number>();
  /** The client's address: the proxy's first X-Forwarded-For entry when the proxy is trusted, else the peer. */
  const clientAddress = (request: IncomingMessage): string => {
    const forwarded = deps.trustProxy
      ? String(request.headers['x-forwarded-for'] ?? '')
          .split(',')[0]
          ?.trim()
      : '';
    return forwarded || request.socket.remoteAddress || 'unknown';
  };
  const io: TutorSocketServer = new Server(deps.httpServer, {
    path: '/socket.io',
    maxHttpBufferSize: deps.maxPayloadBytes,
    serveClient: false,
    cors: { origin: (origin, callback) => callback(null, deps.originPolicy.allows(origin)), methods: ['GET', 'POST'] },
    allowRequest: (request, callback) => {
      const origin = request.headers.origin;
      const host = request.headers.host;
      const ownOrigins = host === undefined ? [] : [`http://${host}`, `https://${host}`];
      const allowed = origin === undefined || ownOrigins.includes(origin) || deps.originPolicy.allows(origin);
      if (!allowed) return callback('origin not allowed', false);
      // One address may hold only so many connections: opening thousands must not starve everyone else.
      const address = clientAddress(request);
      if ((openByAddress.get(address) ?? 0) >= deps.connectionsPerAddress) return callback('too many connections from this address', false);
      callback(null, true);
    },
  });
  deps.configure?.(io);

  io.on('connection', (socket) => {
    const address = clientAddress(socket.request);
    openByAddress.set(address, (openByAddress.get(address) ?? 0) + 1);
    socket.once('disconnect', () => {
      const left = (openByAddress.get(address) ?? 1) - 1;
      if (left <= 0) openByAddress.delete(address);
      else openByAddress.set(address, left);
    });
    const recentAsks: number[] = [];
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
      const now = Date.now();
      while (recentAsks.length > 0 && now - (recentAsks[0] as number) >= 60_000) recentAsks.shift();
      if (recentAsks.length >= deps.asksPerMinute) {
        const retryAfterSeconds = Math.max(1, Math.ceil((60_000 - (now - (recentAsks[0] as number))) / 1000));
        refuse(
          reply,
          new TutorError('RATE_LIMITED', 'Too many questions in a short time. Wait a minute, then ask again.', {
            details: { retryAfterSeconds },
          }),
        );
        return;
      }
      recentAsks.push(now);
      void handleAsk(socket, args[0], reply);
    });
  });

  async function handleAsk(
    socket: Socket<ClientToServerEvents, ServerToClientEvents>,
    request: unknown,
    reply: (result: AskAck) => void,
  ): Promise<void> {
    let turn: ChatTurn;
    try {
      turn = await deps.chat.begin(request);
    } catch (error) {
      refuse(reply, error);
      return;
    }
    reply({ conversationId: turn.conversationId, messageId: turn.messageId });
    const controller = new AbortController();
    const onDisconnect = (): void => controller.abort(new Error('socket disconnected'));
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
      if (level === 'info') deps.logger.info({ code: client.body.code }, 'socket answer refused');
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
