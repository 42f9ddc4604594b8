import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Store as RateLimitStore } from 'express-rate-limit';
import type { TutorConfig } from '../config.js';
import type { ConversationStore } from '../stores/conversations/conversation-store.js';
import type { Logger } from '../support/logger.js';
import type { TutorModes } from '../tutor/tutor-modes.js';
import type { TutorAnswerer } from '../tutor/tutor-types.js';
import { type ChatService, createChatService } from './chat-service.js';
import { createHttpApp } from './http-app.js';
import { createOriginPolicy } from './origin-policy.js';
import type { ServedCorpus } from './served-corpus.js';
import { createSocketGateway, type TutorSocketServer } from './socket-gateway.js';
import { createTutorModesRouter } from './tutor-modes-router.js';

export interface TutorServerDeps {
  readonly config: TutorConfig;
  readonly logger: Logger;
  readonly runtime: ServedCorpus;
  readonly answerer: TutorAnswerer;
  readonly conversations: ConversationStore;
  readonly llmDescription: string;
  readonly webAssetsDir: string;
  readonly rateLimitStore?: RateLimitStore;
  readonly configureSocketServer?: (io: TutorSocketServer) => void;
  readonly beforeAnswer?: (conversationId: string) => Promise<void>;
  /** Quiz, progress and feedback; without it those routes are absent. */
  readonly tutorModes?: TutorModes;
}

export interface TutorServer {
  readonly httpServer: HttpServer;
  readonly io: TutorSocketServer;
  readonly chat: ChatService;
  /** Starts listening; resolves with the bound port (useful with port 0). */
  listen(port: number, host?: string): Promise<number>;
  /**
   * Graceful stop: stop listening (new connections are refused) and refuse new questions on open connections
   * (NOT_READY, "restarting"), let answers in flight finish and reach their clients (up to SHUTDOWN_GRACE_MS), then
   * disconnect every socket and close the HTTP server. Idempotent.
   */
  close(): Promise<void>;
}

export function createTutorServer(deps: TutorServerDeps): TutorServer {
  const { config } = deps;
  const originPolicy = createOriginPolicy(config.allowedOrigins);
  const chat = createChatService({
    answerer: deps.answerer,
    conversations: deps.conversations,
    logger: deps.logger,
    isReady: () => deps.runtime.hasIndex(),
    maxMessageChars: config.maxMessageChars,
    historyTurns: config.historyTurns,
    answerTimeoutMs: config.answerTimeoutMs,
    conversationAsksPerMinute: config.rateLimits.conversationAsksPerMinute,
    ...(deps.beforeAnswer ? { beforeAnswer: deps.beforeAnswer } : {}),
  });
  const app = createHttpApp({
    chat,
    runtime: deps.runtime,
    logger: deps.logger,
    originPolicy,
    webAssetsDir: deps.webAssetsDir,
    llmDescription: deps.llmDescription,
    maxBodyBytes: config.maxBodyBytes,
    httpRateLimitPerMinute: config.rateLimits.httpPerMinute,
    trustProxy: config.trustProxy,
    ...(deps.rateLimitStore ? { rateLimitStore: deps.rateLimitStore } : {}),
    ...(deps.tutorModes ? { extraApiRouter: createTutorModesRouter({ modes: deps.tutorModes, maxBodyBytes: config.maxBodyBytes }) } : {}),
  });
  const httpServer = createServer(app);
  // Slow-loris bounds: a request must arrive whole within these.
  httpServer.headersTimeout = 15_000;
  httpServer.requestTimeout = 30_000;
  const openSockets = new Set<Socket>();
  httpServer.on('connection', (socket) => {
    openSockets.add(socket);
    socket.once('close', () => openSockets.delete(socket));
  });
  const io = createSocketGateway({
    httpServer,
    chat,
    logger: deps.logger,
    originPolicy,
    maxPayloadBytes: config.maxBodyBytes,
    asksPerMinute: config.rateLimits.socketAsksPerMinute,
    connectionsPerAddress: config.socketConnectionsPerIp,
    trustProxy: config.trustProxy !== false,
    ...(deps.configureSocketServer ? { configure: deps.configureSocketServer } : {}),
  });

  let closing: Promise<void> | undefined;

  return {
    httpServer,
    io,
    chat,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          resolve((httpServer.address() as AddressInfo).port);
        });
      });
    },
    close() {
      closing ??= (async () => {
        chat.drain();
        const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeIdleConnections();
        const deadline = Date.now() + config.shutdownGraceMs;
        while (chat.inFlight() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
        if (chat.inFlight() > 0)
          deps.logger.warn({ inFlight: chat.inFlight() }, 'Shutdown grace period over; answers still in flight are cut off');
        // The last answer's done event is emitted right after its turn is released: let it leave before sockets close.
        await new Promise((resolve) => setTimeout(resolve, 50));
        await new Promise<void>((resolve) => void io.close(() => resolve()));
        for (const socket of openSockets) socket.destroy();
        await stopped;
      })();
      return closing;
    },
  };
}
