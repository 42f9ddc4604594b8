import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isTutorError, TutorError } from '../errors/tutor-error.js';
import { normalizeQuestion } from '../retrieval/question-normalizer.js';
import type { ChatResponse, ExplainRequest } from '../shared/chat-protocol.js';
import type { ConversationStore, StoredConversation, StoredTurn } from '../stores/conversations/conversation-store.js';
import type { Logger } from '../support/logger.js';
import { raceWithAbort } from '../support/race-with-abort.js';
import { createSlidingWindowLimiter, retryAfterSeconds } from '../support/sliding-window-limiter.js';
import { toCitationPayload } from '../tutor/citation-builder.js';
import type { ConversationScopedQuestion } from '../tutor/llm/budgeted-tutor-answerer.js';
import type { ConversationTurn, TutorAnswer, TutorAnswerer } from '../tutor/tutor-types.js';

/** 128 random bits, URL-safe: unguessable, so holding the id is what gives access to a conversation. */
export function newConversationId(): string {
  return randomBytes(16).toString('base64url');
}

const CONVERSATION_ID = /^[A-Za-z0-9_-]{16,64}$/;

export interface ChatServiceDeps {
  /** Answers questions; in LLM mode this is the model with the offline fallback around it. */
  readonly answerer: TutorAnswerer;
  readonly conversations: ConversationStore;
  readonly logger: Logger;
  /** Whether the index is loaded; asks before that get NOT_READY. */
  readonly isReady: () => boolean;
  readonly maxMessageChars: number;
  /** Earlier turns given to the tutor to resolve follow-ups (the store keeps more, for display). */
  readonly historyTurns: number;
  /** Every accepted ask ends, one way or the other, within this bound. */
  readonly answerTimeoutMs: number;
  /** Asks accepted per conversation per minute (a sliding window). */
  readonly conversationAsksPerMinute: number;
  /**
   * New conversations one client address may start per minute (a sliding window, per node). How many it may hold at
   * once is the store's bound. @default 60
   */
  readonly conversationsPerAddressPerMinute?: number;
  /** Called before each answer, e.g. to enforce per-conversation budgets; throws a TutorError to refuse. */
  readonly beforeAnswer?: (conversationId: string) => Promise<void>;
}

/** An accepted question: ids are known (for the socket ack) before the answer runs. */
export interface ChatTurn {
  readonly conversationId: string;
  readonly messageId: string;
  /** Runs the answer exactly once; always releases the conversation, whatever happens. */
  run(options?: {
    readonly onDelta?: (text: string) => void;
    readonly onReset?: () => void;
    readonly signal?: AbortSignal;
  }): Promise<ChatResponse>;
}

/** Who asks: what the transport knows about the client. */
export interface AskContext {
  /** The client's address as resolved by client-address.ts (REST `req.ip`, sockets the same way). @default 'unknown' */
  readonly clientAddress?: string;
}

/** The owner key of conversations started from an address: a short hash, so stores never hold addresses. */
export function conversationOwner(clientAddress: string): string {
  return createHash('sha256').update(`tutor-owner:${clientAddress}`).digest('base64url').slice(0, 22);
}

export interface ChatService {
  /** Validates the request and reserves its conversation (one answer at a time each). Throws TutorError. */
  begin(request: unknown, context?: AskContext): Promise<ChatTurn>;
  getConversation(conversationId: string): Promise<StoredConversation>;
  /** Answers in progress right now (for graceful shutdown). */
  inFlight(): number;
  /**
   * Graceful shutdown: from now on `begin` refuses with NOT_READY (the client retries on the restarted server);
   * answers already accepted run to their end.
   */
  drain(): void;
  /**
   * The end of the shutdown grace period: every answer still running stops now with NOT_READY ("restarting"), so its
   * SSE stream ends with an `error` event and its socket gets `answer:error`.
   */
  cutOff(): void;
}

export function createChatService(deps: ChatServiceDeps): ChatService {
  const busy = new Set<string>();
  const asks = createSlidingWindowLimiter({ limit: deps.conversationAsksPerMinute, windowMs: 60_000, maxKeys: 50_000 });
  const creations = createSlidingWindowLimiter({ limit: deps.conversationsPerAddressPerMinute ?? 60, windowMs: 60_000, maxKeys: 50_000 });
  let draining = false;
  const shutdown = new AbortController();

  /** Sliding one-minute window per conversation. */
  function admitAsk(conversationId: string): void {
    const verdict = asks.tryTake(conversationId);
    if (verdict.allowed) return;
    const seconds = retryAfterSeconds(verdict);
    throw new TutorError('RATE_LIMITED', `Too many questions in this conversation in a short time. Wait ${seconds} s, then ask again.`, {
      details: { retryAfterSeconds: seconds },
    });
  }

  /** Sliding one-minute window of conversations started per client address. */
  function admitNewConversation(clientAddress: string): void {
    const verdict = creations.tryTake(clientAddress);
    if (verdict.allowed) return;
    const seconds = retryAfterSeconds(verdict);
    throw new TutorError(
      'RATE_LIMITED',
      `Too many new conversations from your network in a short time. Wait ${seconds} s, or go on in an open conversation.`,
      { details: { retryAfterSeconds: seconds } },
    );
  }
  const requestSchema = z.object({
    message: z.string({ error: 'message must be a string' }).optional(),
    conversationId: z.string({ error: 'conversationId must be a string' }).optional(),
    explain: z
      .object({
        messageId: z.string({ error: 'explain.messageId must be a string' }).min(1).max(64),
        style: z.enum(['simpler', 'analogy'], { error: 'explain.style must be "simpler" or "analogy"' }).optional(),
        language: z.enum(['zh', 'en'], { error: 'explain.language must be "zh" or "en"' }).optional(),
      })
      .refine((explain) => explain.style !== undefined || explain.language !== undefined, 'explain needs a style or a language')
      .optional(),
  });

  type ParsedRequest =
    | { readonly kind: 'message'; readonly message: string; readonly conversationId?: string }
    | { readonly kind: 'explain'; readonly explain: ExplainRequest; readonly conversationId: string };

  function parse(request: unknown): ParsedRequest {
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      throw new TutorError('INVALID_REQUEST', 'Send a JSON object like {"message": "微调是什么？"}.');
    }
    const parsed = requestSchema.safeParse(request);
    if (!parsed.success) throw new TutorError('INVALID_REQUEST', parsed.error.issues.map((issue) => issue.message).join('; '));
    if (parsed.data.message === undefined && parsed.data.explain === undefined)
      throw new TutorError('INVALID_REQUEST', 'message is required.');
    const conversationId = parsed.data.conversationId;
    if (conversationId !== undefined && !CONVERSATION_ID.test(conversationId)) {
      throw new TutorError('CONVERSATION_NOT_FOUND', 'This conversation does not exist (it may have expired). Start a new one.');
    }
    const explain = parsed.data.explain;
    if (explain !== undefined) {
      if (parsed.data.message !== undefined)
        throw new TutorError('INVALID_REQUEST', 'Send either a message or an explain request, not both.');
      if (conversationId === undefined) throw new TutorError('INVALID_REQUEST', 'explain needs the conversationId of the answer.');
      return {
        kind: 'explain',
        conversationId,
        explain: {
          messageId: explain.messageId,
          ...(explain.style ? { style: explain.style } : {}),
          ...(explain.language ? { language: explain.language } : {}),
        },
      };
    }
    if (parsed.data.message === undefined) throw new TutorError('INVALID_REQUEST', 'message is required.');
    const message = parsed.data.message.trim();
    // Markup or invisible characters alone ("<b></b>", a zero-width space) leave nothing to answer.
    if (message.length === 0 || normalizeQuestion(message) === '') throw new TutorError('INVALID_REQUEST', 'The message is empty.');
    if ([...message].length > deps.maxMessageChars) {
      throw new TutorError('MESSAGE_TOO_LONG', `The message is too long: at most ${deps.maxMessageChars} characters.`, {
        details: { maxMessageChars: deps.maxMessageChars },
      });
    }
    if (
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this check refuses
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(message) ||
      /[\ud800-\udfff]/u.test(message.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))
    ) {
      throw new TutorError('INVALID_REQUEST', 'The message contains characters that are not text.');
    }
    return conversationId === undefined ? { kind: 'message', message } : { kind: 'message', message, conversationId };
  }

  async function getConversation(conversationId: string): Promise<StoredConversation> {
    const conversation = CONVERSATION_ID.test(conversationId) ? await deps.conversations.get(conversationId) : undefined;
    if (!conversation)
      throw new TutorError('CONVERSATION_NOT_FOUND', 'This conversation does not exist (it may have expired). Start a new one.');
    return conversation;
  }

  /** The conversation to answer in; while the store is unavailable, an unsaved one (the answer comes without history). */
  async function openConversation(requestedId: string | undefined, clientAddress: string): Promise<StoredConversation> {
    if (requestedId === undefined) admitNewConversation(clientAddress);
    try {
      return requestedId === undefined
        ? await deps.conversations.create(newConversationId(), { owner: conversationOwner(clientAddress) })
        : await getConversation(requestedId);
    } catch (error) {
      if (!isTutorError(error, 'STORE_UNAVAILABLE')) throw error;
      const timestamp = new Date().toISOString();
      return { conversationId: requestedId ?? newConversationId(), turns: [], createdAt: timestamp, updatedAt: timestamp };
    }
  }

  async function begin(request: unknown, context: AskContext = {}): Promise<ChatTurn> {
    const parsed = parse(request);
    if (draining) throw shuttingDown();
    if (!deps.isReady()) throw new TutorError('NOT_READY', 'The index is not loaded yet');
    const conversation =
      parsed.kind === 'explain'
        ? await getConversation(parsed.conversationId)
        : await openConversation(parsed.conversationId, context.clientAddress ?? 'unknown');
    // An explain request answers the explained turn's standalone query again, in another style or language.
    const explained =
      parsed.kind === 'explain' ? conversation.turns.find((turn) => turn.messageId === parsed.explain.messageId) : undefined;
    if (parsed.kind === 'explain' && !explained) throw new TutorError('INVALID_REQUEST', 'There is no such answer in this conversation.');
    // Explaining an explain-again answer in the other language keeps its style ("用中文" on an analogy stays an analogy).
    const explainRequest: ExplainRequest | undefined =
      parsed.kind === 'explain'
        ? {
            ...parsed.explain,
            ...(parsed.explain.style === undefined && explained?.explainStyle ? { style: explained.explainStyle } : {}),
          }
        : undefined;
    const message = parsed.kind === 'explain' ? explainLabel(explainRequest ?? parsed.explain, explained as StoredTurn) : parsed.message;
    const conversationId = conversation.conversationId;
    if (draining) throw shuttingDown();
    if (busy.has(conversationId)) {
      throw new TutorError('CONVERSATION_BUSY', 'An answer is still being written in this conversation. Wait for it, then ask again.');
    }
    admitAsk(conversationId);
    // Reserved before any await, so two asks racing in the same conversation cannot both pass the check above.
    busy.add(conversationId);
    try {
      await deps.beforeAnswer?.(conversationId);
    } catch (error) {
      busy.delete(conversationId);
      throw error;
    }
    const messageId = randomUUID();
    let ran = false;

    return {
      conversationId,
      messageId,
      async run(options = {}) {
        if (ran) throw new Error('A chat turn runs once');
        ran = true;
        const timeout = AbortSignal.timeout(deps.answerTimeoutMs);
        const signal = AbortSignal.any([timeout, shutdown.signal, ...(options.signal ? [options.signal] : [])]);
        const started = performance.now();
        /** Why an answer stopped early: the client left (info, not a failure), or the time bound passed. */
        const stopped = (cause: unknown): TutorError =>
          shutdown.signal.aborted
            ? shuttingDown(cause)
            : !timeout.aborted && options.signal?.aborted
              ? new TutorError('CLIENT_DISCONNECTED', `The client disconnected after ${Math.round(performance.now() - started)} ms`, {
                  cause,
                })
              : new TutorError('ANSWER_TIMEOUT', `No answer within ${deps.answerTimeoutMs} ms`, { cause });
        try {
          const history: ConversationTurn[] = conversation.turns.slice(-deps.historyTurns).map((turn) => ({
            question: turn.question,
            searchedFor: turn.response.searchedFor,
            answer: turn.response.answer,
            citedChunkIds: turn.response.citations.map((citation) => citation.chunkId),
            language: turn.language,
            followUps: turn.response.followUps,
            grounded: turn.response.grounded,
          }));
          // The conversation id travels with the question so per-conversation budgets (LLM answers per hour) apply.
          // The answerer reads the normalised text (NFKC, no markup or invisible characters); the turn stores what was typed.
          const question: ConversationScopedQuestion = {
            question: explained ? explained.response.searchedFor : normalizeQuestion(message),
            history: explained ? [] : history,
            ...(explainRequest?.style ? { style: explainRequest.style } : {}),
            ...(explainRequest?.language ? { language: explainRequest.language } : {}),
            signal,
            conversationId,
            ...(options.onDelta ? { onDelta: options.onDelta } : {}),
            ...(options.onReset ? { onReset: options.onReset } : {}),
          };
          const answer = await raceWithAbort(deps.answerer.answer(question), signal, (reason) => stopped(reason));
          const response = toResponse(answer);
          const turn: StoredTurn = {
            messageId,
            question: message,
            response,
            language: answer.language,
            createdAt: new Date().toISOString(),
            ...(explainRequest?.style ? { explainStyle: explainRequest.style } : {}),
          };
          try {
            await deps.conversations.appendTurn(conversationId, turn);
          } catch (error) {
            // The learner still gets the answer; only the history is lost. A store outage is logged once by the store.
            const level = isTutorError(error, 'STORE_UNAVAILABLE') ? 'debug' : 'warn';
            deps.logger[level]({ err: error, conversationId }, 'Could not save the turn; the conversation history may be incomplete');
          }
          deps.logger.info(
            {
              conversationId,
              messageId,
              mode: answer.mode,
              grounded: answer.grounded,
              citations: answer.citations.length,
              ms: Math.round(performance.now() - started),
            },
            'answered',
          );
          return { conversationId, ...response };
        } catch (error) {
          // The answerer gave up because of the abort (with an error of its own): say why it was aborted.
          if (signal.aborted && !isTutorError(error)) throw stopped(error);
          throw error;
        } finally {
          busy.delete(conversationId);
        }
      },
    };
  }

  return {
    begin,
    getConversation,
    inFlight: () => busy.size,
    drain: () => {
      draining = true;
    },
    cutOff: () => {
      draining = true;
      shutdown.abort(new Error('shutdown grace period over'));
    },
  };
}

const EXPLAIN_LABELS = {
  simpler: { zh: '更简单一点：', en: 'Explain more simply: ' },
  analogy: { zh: '用比喻解释：', en: 'With an analogy: ' },
  language: { zh: '用中文：', en: 'In English: ' },
} as const;
const ANY_EXPLAIN_LABEL = new RegExp(
  `^(?:${Object.values(EXPLAIN_LABELS)
    .flatMap((labels) => [labels.zh, labels.en])
    .join('|')})+`,
);

/** The question an explain turn is stored under: a short label in the learner's language and the original question. */
function explainLabel(explain: ExplainRequest, turn: StoredTurn): string {
  const language = explain.language ?? turn.language;
  const label = explain.style ? EXPLAIN_LABELS[explain.style][language] : EXPLAIN_LABELS.language[language];
  return `${label}${turn.question.replace(ANY_EXPLAIN_LABEL, '')}`;
}

function shuttingDown(cause?: unknown): TutorError {
  return new TutorError('NOT_READY', 'The tutor is restarting; ask again in a few seconds.', {
    details: { shuttingDown: true, retryAfterSeconds: 5 },
    ...(cause === undefined ? {} : { cause }),
  });
}

function toResponse(answer: TutorAnswer): Omit<ChatResponse, 'conversationId'> {
  return {
    answer: answer.answer,
    citations: answer.citations.map(toCitationPayload),
    followUps: [...answer.followUps],
    grounded: answer.grounded,
    searchedFor: answer.searchedFor,
    mode: answer.mode,
    language: answer.language,
    ...(answer.corrections === undefined || answer.corrections.length === 0
      ? {}
      : { corrections: answer.corrections.map((entry) => ({ ...entry })) }),
    ...(answer.notice === undefined ? {} : { notice: answer.notice }),
  };
}
