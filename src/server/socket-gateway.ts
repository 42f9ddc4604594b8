import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { TutorError } from '../errors/tutor-error.js';
import type { Logger } from '../runtime/logger.js';
import type { AskAck, ClientToServerEvents, ServerToClientEvents } from '../shared/chat-protocol.js';
import type { ChatService } from './chat-service.js';
import { isClientFault, toClientError } from './error-mapping.js';
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
      callback(allowed ? null : 'origin not allowed', allowed);
    },
  });
  deps.configure?.(io);

  io.on('connection', (socket) => {
    const recentAsks: number[] = [];
    socket.on('ask', (request: unknown, ack: unknown) => {
      if (typeof ack !== 'function') {
        // Without an acknowledgement the client cannot learn the message id; tell it why instead of answering blind.
        socket.emit('answer:error', { messageId: '', code: 'INVALID_REQUEST', message: 'ask needs an acknowledgement callback.' });
        return;
      }
      const reply = ack as (result: AskAck) => void;
      const now = Date.now();
      while (recentAsks.length > 0 && now - (recentAsks[0] as number) > 60_000) recentAsks.shift();
      if (recentAsks.length >= deps.asksPerMinute) {
        refuse(reply, new TutorError('RATE_LIMITED', 'Too many questions in a short time. Wait a minute, then ask again.', { details: { retryAfterSeconds: 60 } }));
        return;
      }
      recentAsks.push(now);
      void handleAsk(socket, request, reply);
    });
  });

  async function handleAsk(socket: Socket<ClientToServerEvents, ServerToClientEvents>, request: unknown, reply: (result: AskAck) => void): Promise<void> {
    let turn;
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
      if (isClientFault(client.status)) deps.logger.info({ code: client.body.code }, 'socket answer refused');
      else deps.logger.error({ err: error, messageId: turn.messageId }, 'socket answer failed');
      socket.emit('answer:error', { messageId: turn.messageId, ...client.body });
    } finally {
      socket.off('disconnect', onDisconnect);
    }
  }

  function refuse(reply: (result: AskAck) => void, error: unknown): void {
    const client = toClientError(error);
    if (!isClientFault(client.status)) deps.logger.error({ err: error }, 'socket ask failed');
    reply({ error: client.body });
  }

  return io;
}
