import { io, type Socket } from 'socket.io-client';
import type {
  AskAck,
  ChatOrExplainRequest,
  ChatRequest,
  ChatResponse,
  ClientToServerEvents,
  ConversationResponse,
  ErrorBody,
  FeedbackRequest,
  LanguageCode,
  PassageResponse,
  ProgressResponse,
  QuizAnswerRequest,
  QuizGradeResponse,
  QuizQuestionResponse,
  QuizRequest,
  ServerToClientEvents,
  StartersResponse,
} from '../src/shared/chat-protocol.js';

type TutorSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type ConnectionStatus = 'connecting' | 'online' | 'offline';

export type AnswerDone = ChatResponse & { messageId: string };

export interface AnswerStreamHandlers {
  onDelta(text: string): void;
  /** The text streamed so far is void (the model failed; the fallback answers from the start). */
  onReset(): void;
  onDone(event: AnswerDone): void;
  onError(error: ErrorBody): void;
}

export interface ChatConnectionOptions {
  /** Tutor server URL (origin plus optional base path), no trailing slash. */
  readonly server: string;
  /** Called on every change of connectivity; `recovered` tells that socket.io replayed what was missed. */
  readonly onStatus: (status: ConnectionStatus, details: { recovered: boolean }) => void;
  /**
   * How long `ask` waits for the server to acknowledge a question.
   * @default 20000
   */
  readonly ackTimeoutMs?: number;
}

/** A failure of a REST call or of `ask`, with the server's error code when it sent one. */
export class ChatConnectionError extends Error {
  readonly code: string;
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: string, message: string, options: { cause?: unknown; status?: number; retryAfterSeconds?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ChatConnectionError';
    this.code = code;
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** The tutor-modes endpoints and what they answer (see src/shared/chat-protocol.ts). */
export interface ApiCall {
  (path: `/conversations/${string}/progress?language=${LanguageCode}`): Promise<ProgressResponse>;
  (path: '/quiz', body: QuizRequest): Promise<QuizQuestionResponse>;
  (path: `/quiz/${string}/answer`, body: QuizAnswerRequest): Promise<QuizGradeResponse>;
  (path: '/feedback', body: FeedbackRequest): Promise<{ feedbackId: string }>;
  (path: `/starters?language=${'zh' | 'en'}`): Promise<StartersResponse>;
}

export interface ChatConnection {
  readonly status: ConnectionStatus;
  /**
   * Sends a question (or an explain request about an earlier answer); resolves with the ids from the server's
   * acknowledgement, or rejects with ChatConnectionError.
   */
  ask(request: ChatOrExplainRequest, handlers: AnswerStreamHandlers): Promise<{ conversationId: string; messageId: string }>;
  /** Stops delivering events of an answer (new conversation, retry). */
  forget(messageId: string): void;
  /**
   * Stops a streaming answer on the server too: forgets it, then drops and reopens the socket, which makes the server
   * abort every answer that socket asked for (and its model call). No offline status is reported for the restart.
   */
  stop(messageId: string): void;
  fetchConversation(conversationId: string, signal?: AbortSignal): Promise<ConversationResponse | undefined>;
  fetchPassage(chunkId: string, signal?: AbortSignal): Promise<PassageResponse>;
  /**
   * A call of the tutor-modes API under `/api`: GET `path` without a body, POST `body` as JSON with one. Resolves with
   * the response body; rejects with ChatConnectionError (the server's code, or NETWORK / NOT_FOUND).
   */
  api: ApiCall;
  close(): void;
}

/**
 * One socket.io connection to the tutor plus its REST endpoints. Deltas that arrive before the `ask` acknowledgement
 * names their message id are buffered and handed over when it does, so no text is lost to that race.
 */
export function createChatConnection(options: ChatConnectionOptions): ChatConnection {
  const serverUrl = new URL(options.server);
  const basePath = serverUrl.pathname.replace(/\/+$/, '');
  const socket: TutorSocket = io(serverUrl.origin, {
    path: `${basePath}/socket.io`,
    // WebSocket first: it needs no sticky sessions behind a load balancer; long-polling is the fallback.
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    withCredentials: false,
    reconnectionDelay: 500,
    reconnectionDelayMax: 4000,
    randomizationFactor: 0.3,
  });
  const ackTimeoutMs = options.ackTimeoutMs ?? 20_000;
  let status: ConnectionStatus = 'connecting';
  const handlersByMessage = new Map<string, AnswerStreamHandlers>();
  /** Events for message ids nobody claimed yet, replayed in order on claim. */
  const unclaimed = new Map<string, Array<(handlers: AnswerStreamHandlers) => void>>();
  const forgotten = new Set<string>();

  const setStatus = (next: ConnectionStatus, recovered: boolean): void => {
    status = next;
    options.onStatus(next, { recovered });
  };

  /** True between a deliberate restart (stop) and the next connect: the learner is not offline. */
  let restarting = false;
  socket.on('connect', () => {
    const wasRestart = restarting;
    restarting = false;
    if (!wasRestart || status !== 'online') setStatus('online', socket.recovered);
  });
  socket.on('disconnect', () => {
    if (!restarting) setStatus('offline', false);
  });
  socket.on('connect_error', () => setStatus('offline', false));
  // The browser knows about a lost network before socket.io's heartbeat does: tell the learner at once.
  const onBrowserOffline = (): void => setStatus('offline', false);
  const onBrowserOnline = (): void => {
    // The socket survived the blip: nothing was lost. Otherwise reconnect now instead of waiting for the backoff.
    if (socket.connected) setStatus('online', true);
    else socket.connect();
  };
  window.addEventListener('offline', onBrowserOffline);
  window.addEventListener('online', onBrowserOnline);

  const dispatch = (messageId: string, deliver: (handlers: AnswerStreamHandlers) => void): void => {
    if (forgotten.has(messageId)) return;
    const handlers = handlersByMessage.get(messageId);
    if (handlers !== undefined) {
      deliver(handlers);
      return;
    }
    const queue = unclaimed.get(messageId) ?? [];
    queue.push(deliver);
    unclaimed.set(messageId, queue);
    // Bound the buffer: events for messages nobody asks about (another tab's) must not pile up forever.
    if (unclaimed.size > 20) {
      const oldest = unclaimed.keys().next().value;
      if (oldest !== undefined) unclaimed.delete(oldest);
    }
  };

  socket.on('answer:delta', (event) => dispatch(event.messageId, (handlers) => handlers.onDelta(event.text)));
  socket.on('answer:reset', (event) => dispatch(event.messageId, (handlers) => handlers.onReset()));
  socket.on('answer:done', (event) =>
    dispatch(event.messageId, (handlers) => {
      handlersByMessage.delete(event.messageId);
      handlers.onDone(event);
    }),
  );
  socket.on('answer:error', (event) =>
    dispatch(event.messageId, (handlers) => {
      handlersByMessage.delete(event.messageId);
      handlers.onError({ code: event.code, message: event.message });
    }),
  );

  /** GET (no body) or POST (JSON body) on the tutor's REST API; a 404 of a GET resolves with no body. */
  const rest = async <T>(pathname: string, signal?: AbortSignal, body?: unknown): Promise<T | undefined> => {
    let response: Response;
    try {
      response = await fetch(`${serverUrl.origin}${basePath}/api${pathname}`, {
        credentials: 'omit',
        headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
        ...(body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) }),
        ...(signal === undefined ? {} : { signal }),
      });
    } catch (error) {
      throw new ChatConnectionError('NETWORK', 'The tutor server could not be reached', { cause: error });
    }
    if (response.status === 404 && body === undefined) return undefined;
    if (!response.ok) {
      const failure = (await response.json().catch(() => undefined)) as { error?: ErrorBody } | undefined;
      const retryAfter = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
      throw new ChatConnectionError(failure?.error?.code ?? `HTTP_${response.status}`, failure?.error?.message ?? response.statusText, {
        status: response.status,
        ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
      });
    }
    return (await response.json()) as T;
  };
  const id = encodeURIComponent;

  return {
    get status() {
      return status;
    },
    ask(request, handlers) {
      return new Promise((resolve, reject) => {
        // `ask` takes a message or an explain request (ChatOrExplainRequest); the socket event is typed with the former.
        socket.timeout(ackTimeoutMs).emit('ask', request as ChatRequest, (timeoutError: Error | null, ack: AskAck) => {
          if (timeoutError !== null) {
            reject(new ChatConnectionError('ACK_TIMEOUT', 'The server did not acknowledge the question', { cause: timeoutError }));
            return;
          }
          if ('error' in ack) {
            const retryAfter = (ack.error as ErrorBody & { retryAfterSeconds?: unknown }).retryAfterSeconds;
            reject(
              new ChatConnectionError(ack.error.code, ack.error.message, {
                ...(typeof retryAfter === 'number' ? { retryAfterSeconds: retryAfter } : {}),
              }),
            );
            return;
          }
          handlersByMessage.set(ack.messageId, handlers);
          const queued = unclaimed.get(ack.messageId);
          unclaimed.delete(ack.messageId);
          resolve({ conversationId: ack.conversationId, messageId: ack.messageId });
          for (const deliver of queued ?? []) {
            if (forgotten.has(ack.messageId)) break;
            deliver(handlers);
          }
        });
      });
    },
    forget(messageId) {
      forgotten.add(messageId);
      handlersByMessage.delete(messageId);
      unclaimed.delete(messageId);
    },
    stop(messageId) {
      this.forget(messageId);
      if (!socket.connected) return;
      restarting = true;
      socket.disconnect();
      socket.connect();
    },
    fetchConversation(conversationId, signal) {
      return rest<ConversationResponse>(`/conversations/${id(conversationId)}`, signal);
    },
    async fetchPassage(chunkId, signal) {
      const passage = await rest<PassageResponse>(`/passages/${id(chunkId)}`, signal);
      if (passage === undefined) throw new ChatConnectionError('PASSAGE_NOT_FOUND', 'The passage no longer exists');
      return passage;
    },
    api: (async (pathname: string, body?: unknown) => {
      const result = await rest(pathname, undefined, body);
      if (result === undefined) throw new ChatConnectionError('NOT_FOUND', 'Not found', { status: 404 });
      return result;
    }) as ApiCall,
    close() {
      window.removeEventListener('offline', onBrowserOffline);
      window.removeEventListener('online', onBrowserOnline);
      socket.close();
    },
  };
}
