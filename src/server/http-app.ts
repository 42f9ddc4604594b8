import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { TutorError } from '../errors/tutor-error.js';
import type { ChatResponse, ConversationResponse, HealthResponse, PassageResponse } from '../shared/chat-protocol.js';
import type { Logger } from '../support/logger.js';
import type { ChatService, ChatTurn } from './chat-service.js';
import { renderDemoPage } from './demo-page.js';
import { type ClientError, logLevelFor, toClientError } from './error-mapping.js';
import type { OriginPolicy } from './origin-policy.js';
import type { ServedCorpus } from './served-corpus.js';

export interface HttpAppDeps {
  readonly chat: ChatService;
  readonly runtime: ServedCorpus;
  readonly logger: Logger;
  readonly originPolicy: OriginPolicy;
  /** Folder with widget.js, demo.js, demo.css (built by `npm run build:widget`). */
  readonly webAssetsDir: string;
  readonly llmDescription: string;
  readonly maxBodyBytes: number;
  readonly httpRateLimitPerMinute: number;
  readonly trustProxy: boolean | number | string;
  /** Rate-limit counters shared by several nodes (Redis); in memory when absent. */
  readonly rateLimitStore?: import('express-rate-limit').Store;
  /** More API routes under /api (the tutor modes: progress, quiz, feedback), behind the origin guard and the read limiter. */
  readonly extraApiRouter?: express.Router;
}

/** Reads (passages, conversation history) allowed per IP for each question allowed (HTTP_RATE_LIMIT_PER_MINUTE). */
const READS_PER_QUESTION = 10;

/** Characters of document text shown before and after a passage by `GET /api/passages/:chunkId`. */
const PASSAGE_CONTEXT_CHARS = 240;

export function createHttpApp(deps: HttpAppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  app.set('etag', false);

  app.use((request, response, next) => {
    const requestId = sanitizeRequestId(request.get('x-request-id')) ?? randomUUID();
    response.locals.requestId = requestId;
    response.setHeader('X-Request-Id', requestId);
    const started = performance.now();
    response.on('finish', () => {
      deps.logger.info(
        { requestId, method: request.method, path: request.path, status: response.statusCode, ms: Math.round(performance.now() - started) },
        'request',
      );
    });
    next();
  });

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'", 'ws:', 'wss:'],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'none'"],
          frameAncestors: deps.originPolicy.frameAncestors,
        },
      },
      // The widget script is meant to be loaded by other sites' pages.
      crossOriginResourcePolicy: { policy: 'cross-origin' },
      crossOriginEmbedderPolicy: false,
      frameguard: false,
    }),
  );

  app.use('/api', (request, response, next) => {
    const origin = request.get('origin');
    const ownOrigin = `${request.protocol}://${request.get('host')}`;
    if (!deps.originPolicy.allows(origin, ownOrigin)) {
      next(new TutorError('ORIGIN_NOT_ALLOWED', 'This site is not allowed to use the tutor.'));
      return;
    }
    if (origin) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Vary', 'Origin');
      response.setHeader('Access-Control-Expose-Headers', 'RateLimit, RateLimit-Policy, Retry-After, X-Request-Id');
    }
    if (request.method === 'OPTIONS') {
      response.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      response.setHeader('Access-Control-Allow-Headers', 'Content-Type, Accept, X-Request-Id');
      response.setHeader('Access-Control-Max-Age', '600');
      response.status(204).end();
      return;
    }
    next();
  });

  const chatLimiter = rateLimit({
    windowMs: 60_000,
    limit: deps.httpRateLimitPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ...(deps.rateLimitStore ? { store: deps.rateLimitStore, passOnStoreError: true } : {}),
    handler: (_request, _response, next, options) => {
      next(
        new TutorError('RATE_LIMITED', 'Too many questions in a short time. Wait a minute, then ask again.', {
          details: { retryAfterSeconds: Math.ceil(options.windowMs / 1000) },
        }),
      );
    },
  });

  // Reads (a cited passage, a conversation's history) are cheap but not free: a coarser per-IP limit keeps a flood of
  // them from starving the answers. Counted per node (the shared store, when there is one, holds the chat counters).
  const readLimiter = rateLimit({
    windowMs: 60_000,
    limit: deps.httpRateLimitPerMinute * READS_PER_QUESTION,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: 'reads',
    handler: (_request, _response, next, options) => {
      next(
        new TutorError('RATE_LIMITED', 'Too many requests in a short time. Wait a minute, then try again.', {
          details: { retryAfterSeconds: Math.ceil(options.windowMs / 1000) },
        }),
      );
    },
  });

  app.get('/api/health', (_request, response) => {
    const ready = deps.runtime.hasIndex();
    const body: HealthResponse = {
      status: ready ? 'ok' : 'starting',
      chunks: ready ? deps.runtime.currentIndex().chunks.length : 0,
      embeddings: deps.runtime.embedder.id,
      llm: deps.llmDescription,
    };
    response.status(ready ? 200 : 503).json(body);
  });

  app.post(
    '/api/chat',
    chatLimiter,
    express.json({ limit: deps.maxBodyBytes, strict: true, type: () => true }),
    async (request, response, next) => {
      const wantsStream = (request.get('accept') ?? '').includes('text/event-stream');
      let turn: ChatTurn;
      try {
        turn = await deps.chat.begin(request.body as unknown);
      } catch (error) {
        next(error);
        return;
      }
      if (!wantsStream) {
        try {
          const abort = abortOnClose(response);
          const body: ChatResponse = await turn.run({ signal: abort.signal });
          abort.dispose();
          response.json(body);
        } catch (error) {
          next(error);
        }
        return;
      }
      response.status(200);
      response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
      response.setHeader('Cache-Control', 'no-cache, no-transform');
      response.setHeader('X-Accel-Buffering', 'no');
      response.flushHeaders();
      const send = (event: string, data: unknown): void => {
        if (!response.writableEnded) response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      const abort = abortOnClose(response);
      try {
        const body = await turn.run({ signal: abort.signal, onDelta: (text) => send('delta', { text }), onReset: () => send('reset', {}) });
        send('done', body);
      } catch (error) {
        const client = toClientError(error);
        logFailure(deps.logger, error, client, response.locals.requestId as string);
        send('error', client.body);
      } finally {
        abort.dispose();
        response.end();
      }
    },
  );

  app.get('/api/passages/:chunkId', readLimiter, (request, response, next) => {
    if (!deps.runtime.hasIndex()) return next(new TutorError('NOT_READY', 'The index is not loaded yet'));
    const chunk = deps.runtime.passageSearch.getChunk(String(request.params.chunkId));
    if (!chunk) return next(new TutorError('PASSAGE_NOT_FOUND', 'There is no passage with this id (the article may have been updated).'));
    const document = deps.runtime.currentIndex().documents.find((candidate) => candidate.documentId === chunk.documentId);
    const content = document?.content ?? chunk.text;
    const body: PassageResponse = {
      chunkId: chunk.chunkId,
      title: chunk.title,
      source: chunk.source,
      text: chunk.text,
      start: chunk.start,
      end: chunk.end,
      headingPath: [...chunk.headingPath],
      before: content.slice(Math.max(0, chunk.start - PASSAGE_CONTEXT_CHARS), chunk.start),
      after: content.slice(chunk.end, chunk.end + PASSAGE_CONTEXT_CHARS),
    };
    response.json(body);
  });

  app.get('/api/conversations/:conversationId', readLimiter, async (request, response, next) => {
    try {
      const conversation = await deps.chat.getConversation(String(request.params.conversationId));
      const body: ConversationResponse = {
        conversationId: conversation.conversationId,
        turns: conversation.turns.map((turn) => ({
          messageId: turn.messageId,
          question: turn.question,
          response: turn.response,
          createdAt: turn.createdAt,
        })),
      };
      response.setHeader('Cache-Control', 'no-store');
      response.json(body);
    } catch (error) {
      next(error);
    }
  });

  if (deps.extraApiRouter) app.use('/api', readLimiter, deps.extraApiRouter);

  app.use('/api', (_request, _response, next) => next(new TutorError('INVALID_REQUEST', 'Unknown API endpoint.')));

  for (const asset of ['widget.js', 'widget.js.map', 'widget.js.LEGAL.txt', 'demo.js', 'demo.js.map', 'demo.css', 'demo.css.map']) {
    app.get(`/${asset}`, (_request, response, next) => {
      const file = path.join(deps.webAssetsDir, asset);
      if (!existsSync(file)) {
        next(new TutorError('NOT_READY', `${asset} has not been built; run npm run build:widget`));
        return;
      }
      response.setHeader('Cache-Control', 'public, max-age=300');
      response.sendFile(file);
    });
  }

  app.get('/', (request, response, next) => {
    if (!deps.runtime.hasIndex()) {
      response
        .status(503)
        .setHeader('Retry-After', '2')
        .type('text/plain; charset=utf-8')
        .send('The tutor is starting (building its index). Reload in a few seconds.');
      return;
    }
    try {
      const index = deps.runtime.currentIndex();
      const origin = `${request.protocol}://${request.get('host')}`;
      response
        .type('html')
        .send(renderDemoPage({ documents: index.documents, chunks: index.chunks, widgetScriptUrl: '/widget.js', serverUrl: origin }));
    } catch (error) {
      next(error);
    }
  });

  // One central error handler: every failure, thrown or passed to next(), becomes the same JSON error shape.
  app.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
    const client = toClientError(normalizeExpressError(error));
    logFailure(deps.logger, error, client, response.locals.requestId as string | undefined);
    if (response.headersSent) {
      response.end();
      return;
    }
    if (client.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(client.retryAfterSeconds));
    response.status(client.status).json({ error: client.body });
  });

  return app;
}

/** body-parser's errors (bad JSON, too large) carry `type`; they become our codes. */
function normalizeExpressError(error: unknown): unknown {
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') return new TutorError('PAYLOAD_TOO_LARGE', 'The request body is too large.', { cause: error });
  if (type === 'entity.parse.failed') return new TutorError('INVALID_REQUEST', 'The request body is not valid JSON.', { cause: error });
  if (type === 'encoding.unsupported' || type === 'charset.unsupported' || type === 'request.aborted' || type === 'entity.verify.failed') {
    return new TutorError('INVALID_REQUEST', 'The request body could not be read.', { cause: error });
  }
  // Any other client error Express or its parsers raise (e.g. a malformed %-escape in the path) is the client's.
  const status =
    (error as { status?: unknown; statusCode?: unknown } | null)?.status ?? (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500 && !(error instanceof TutorError)) {
    return status === 413
      ? new TutorError('PAYLOAD_TOO_LARGE', 'The request body is too large.', { cause: error })
      : new TutorError('INVALID_REQUEST', 'The request could not be read.', { cause: error });
  }
  return error;
}

function logFailure(logger: Logger, error: unknown, client: ClientError, requestId: string | undefined): void {
  const level = logLevelFor(client);
  if (level === 'info') logger.info({ requestId, code: client.body.code, status: client.status }, 'request refused');
  else logger[level]({ requestId, err: error, code: client.body.code, status: client.status }, 'request failed');
}

function abortOnClose(response: Response): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onClose = (): void => {
    if (!response.writableFinished) controller.abort(new Error('client disconnected'));
  };
  response.on('close', onClose);
  return { signal: controller.signal, dispose: () => response.off('close', onClose) };
}

function sanitizeRequestId(value: string | undefined): string | undefined {
  return value !== undefined && /^[\w.-]{1,64}$/.test(value) ? value : undefined;
}
