import path from 'node:path';
import { z } from 'zod';
import { TutorError } from './errors/tutor-error.js';

const positiveInteger = z.coerce.number().int().positive();
const optionalNonEmpty = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/**
 * Every setting of the tutor, read from the environment. This is the only module that reads `process.env`;
 * `.env.example` documents each variable with its default.
 */
const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    CORPUS_DIR: z.string().default('corpus'),
    DATA_DIR: z.string().default('data'),
    GLOSSARY_FILE: z.string().optional(),
    EMBEDDINGS: z.enum(['local', 'openai']).default('local'),
    LOCAL_EMBEDDING_DIMENSIONS: positiveInteger.max(4096).default(512),
    CHUNK_MAX_CHARS: positiveInteger.min(40).max(4000).default(260),
    CHUNK_MIN_CHARS: z.coerce.number().int().min(0).max(4000).default(80),
    CHUNK_OVERLAP_SENTENCES: z.coerce.number().int().min(0).max(5).default(0),
    COVERAGE_THRESHOLD: z.coerce.number().min(0).max(1).default(0.35),
    RETRIEVAL_TOP_K: positiveInteger.max(20).default(4),
    OPENAI_API_KEY: optionalNonEmpty,
    OPENAI_BASE_URL: z
      .url({ message: 'must be a URL such as http://localhost:11434/v1' })
      .optional()
      .or(z.literal('').transform(() => undefined)),
    OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
    OPENAI_EMBEDDINGS_MODEL: z.string().min(1).default('text-embedding-3-small'),
    LLM_MAX_COMPLETION_TOKENS: positiveInteger.max(32_000).default(800),
    LLM_RETRY_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(500),
    ANSWER_TIMEOUT_MS: positiveInteger.max(600_000).default(30_000),
    MAX_MESSAGE_CHARS: positiveInteger.max(100_000).default(2000),
    HISTORY_TURNS: positiveInteger.max(100).default(10),
    TRANSCRIPT_TURNS: positiveInteger.max(5000).default(200),
    CONVERSATION_TTL_MINUTES: positiveInteger.max(60 * 24 * 30).default(120),
    MAX_CONVERSATIONS: positiveInteger.default(10_000),
    CONVERSATIONS_PER_IP: positiveInteger.default(1000),
    CONVERSATIONS_PER_IP_PER_MINUTE: positiveInteger.default(60),
    ALLOWED_ORIGINS: z.string().default('*'),
    TRUST_PROXY: z.string().default('false'),
    HTTP_RATE_LIMIT_PER_MINUTE: positiveInteger.default(60),
    SOCKET_ASKS_PER_MINUTE: positiveInteger.default(30),
    CONVERSATION_ASKS_PER_MINUTE: positiveInteger.default(20),
    MAX_BODY_BYTES: positiveInteger.max(10_000_000).default(16_384),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
    REDIS_URL: optionalNonEmpty.pipe(z.url({ message: 'must be a URL such as redis://localhost:6379' }).optional()),
    INDEX_WATCH_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(2000),
    LLM_MAX_PROMPT_TOKENS: positiveInteger.max(200_000).default(6000),
    LLM_ANSWERS_PER_CONVERSATION_PER_HOUR: positiveInteger.default(60),
    LLM_ANSWERS_PER_HOUR: positiveInteger.default(2000),
    LLM_TOKENS_PER_CONVERSATION_PER_HOUR: positiveInteger.default(300_000),
    LLM_TOKENS_PER_HOUR: positiveInteger.default(10_000_000),
    LLM_TOOLS: z.enum(['auto', 'on', 'off']).default('auto'),
    SOCKET_CONNECTIONS_PER_IP: positiveInteger.default(200),
    SOCKET_HANDSHAKE_TIMEOUT_MS: positiveInteger.max(120_000).default(10_000),
  })
  .superRefine((value, context) => {
    if (value.EMBEDDINGS === 'openai' && value.OPENAI_API_KEY === undefined) {
      context.addIssue({ code: 'custom', path: ['OPENAI_API_KEY'], message: 'is required when EMBEDDINGS=openai' });
    }
    if (value.CHUNK_MIN_CHARS > value.CHUNK_MAX_CHARS) {
      context.addIssue({ code: 'custom', path: ['CHUNK_MIN_CHARS'], message: 'must not exceed CHUNK_MAX_CHARS' });
    }
  });

export type RawConfig = z.infer<typeof configSchema>;

export interface TutorConfig {
  readonly env: RawConfig['NODE_ENV'];
  readonly port: number;
  readonly host: string;
  readonly logLevel: RawConfig['LOG_LEVEL'];
  readonly corpusDir: string;
  readonly dataDir: string;
  readonly glossaryFile: string;
  readonly embeddings:
    | { readonly provider: 'local'; readonly dimensions: number }
    | { readonly provider: 'openai'; readonly model: string };
  readonly chunker: { readonly maxChars: number; readonly minChars: number; readonly overlapSentences: number };
  readonly retrieval: { readonly coverageThreshold: number; readonly topK: number };
  /** Present when OPENAI_API_KEY is set: answers then come from the chat model. */
  readonly llm?: {
    readonly apiKey: string;
    readonly baseURL?: string;
    readonly model: string;
    readonly embeddingsModel: string;
    readonly maxCompletionTokens: number;
    readonly retryDelayMs: number;
    /** LLM_TOOLS: the agent with its search tool (`on`), retrieve-then-generate (`off`), or the agent until refused (`auto`). */
    readonly tools: 'auto' | 'on' | 'off';
  };
  readonly openAiEmbeddings?: { readonly apiKey: string; readonly baseURL?: string; readonly model: string };
  readonly answerTimeoutMs: number;
  readonly maxMessageChars: number;
  /** Earlier turns given to the tutor (follow-up resolution, the model's prompt). */
  readonly historyTurns: number;
  /** Turns kept per conversation for display after a reload (progress counts them all); at least `historyTurns`. */
  readonly transcriptTurns: number;
  readonly conversationTtlMs: number;
  readonly maxConversations: number;
  /** Conversations one client address may hold at once (its own oldest go first) and create per minute. */
  readonly conversationLimits: { readonly perAddress: number; readonly perAddressPerMinute: number };
  /** Origins allowed to use the API and embed the widget; `'*'` allows any. */
  readonly allowedOrigins: '*' | readonly string[];
  /** Express `trust proxy` setting, so rate limits see the client's address behind a reverse proxy. */
  readonly trustProxy: boolean | number | string;
  readonly rateLimits: { readonly httpPerMinute: number; readonly socketAsksPerMinute: number; readonly conversationAsksPerMinute: number };
  readonly maxBodyBytes: number;
  readonly shutdownGraceMs: number;
  /** With a Redis URL, conversations, rate limits and socket.io rooms are shared by every node. */
  readonly redisUrl?: string;
  /** How often a serving node checks for a newer index build (0 turns the check off). */
  readonly indexWatchIntervalMs: number;
  /**
   * LLM budgets: prompt size per model call; model uses (answers, quizzes, drafts) and tokens per conversation and per
   * node in any hour.
   */
  readonly llmBudget: {
    readonly maxPromptTokens: number;
    readonly answersPerConversationPerHour: number;
    readonly answersPerHour: number;
    readonly tokensPerConversationPerHour: number;
    readonly tokensPerHour: number;
  };
  /** Open socket.io connections allowed from one client address, counted from the handshake on. */
  readonly socketConnectionsPerIp: number;
  /** A socket.io handshake that has not joined the namespace by then is closed and its slot released. */
  readonly socketHandshakeTimeoutMs: number;
}

/**
 * Validates the environment and fails fast with a message that names each wrong variable and what to set, e.g.
 * `PORT: expected a number (got "abc")`.
 */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): TutorConfig {
  const result = configSchema.safeParse(environment);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const given = name in environment ? ` (got ${JSON.stringify(String(environment[name]).slice(0, 80))})` : '';
      return `${name}: ${issue.message}${given}`;
    });
    throw new TutorError(
      'CONFIG_INVALID',
      `Invalid configuration; fix these environment variables (see .env.example):\n  ${problems.join('\n  ')}`,
      {
        details: { problems },
      },
    );
  }
  const raw = result.data;
  const corpusDir = path.resolve(cwd, raw.CORPUS_DIR);
  const withBase = <T extends object>(value: T, baseURL: string | undefined): T & { baseURL?: string } =>
    baseURL === undefined ? value : { ...value, baseURL };
  return {
    env: raw.NODE_ENV,
    port: raw.PORT,
    host: raw.HOST,
    logLevel: raw.LOG_LEVEL,
    corpusDir,
    dataDir: path.resolve(cwd, raw.DATA_DIR),
    glossaryFile: raw.GLOSSARY_FILE === undefined ? path.join(corpusDir, 'glossary.json') : path.resolve(cwd, raw.GLOSSARY_FILE),
    embeddings:
      raw.EMBEDDINGS === 'openai'
        ? { provider: 'openai', model: raw.OPENAI_EMBEDDINGS_MODEL }
        : { provider: 'local', dimensions: raw.LOCAL_EMBEDDING_DIMENSIONS },
    chunker: { maxChars: raw.CHUNK_MAX_CHARS, minChars: raw.CHUNK_MIN_CHARS, overlapSentences: raw.CHUNK_OVERLAP_SENTENCES },
    retrieval: { coverageThreshold: raw.COVERAGE_THRESHOLD, topK: raw.RETRIEVAL_TOP_K },
    ...(raw.OPENAI_API_KEY === undefined
      ? {}
      : {
          llm: withBase(
            {
              apiKey: raw.OPENAI_API_KEY,
              model: raw.OPENAI_MODEL,
              embeddingsModel: raw.OPENAI_EMBEDDINGS_MODEL,
              maxCompletionTokens: raw.LLM_MAX_COMPLETION_TOKENS,
              retryDelayMs: raw.LLM_RETRY_DELAY_MS,
              tools: raw.LLM_TOOLS,
            },
            raw.OPENAI_BASE_URL,
          ),
        }),
    ...(raw.EMBEDDINGS === 'openai' && raw.OPENAI_API_KEY !== undefined
      ? { openAiEmbeddings: withBase({ apiKey: raw.OPENAI_API_KEY, model: raw.OPENAI_EMBEDDINGS_MODEL }, raw.OPENAI_BASE_URL) }
      : {}),
    answerTimeoutMs: raw.ANSWER_TIMEOUT_MS,
    maxMessageChars: raw.MAX_MESSAGE_CHARS,
    historyTurns: raw.HISTORY_TURNS,
    transcriptTurns: Math.max(raw.TRANSCRIPT_TURNS, raw.HISTORY_TURNS),
    conversationTtlMs: raw.CONVERSATION_TTL_MINUTES * 60_000,
    maxConversations: raw.MAX_CONVERSATIONS,
    conversationLimits: { perAddress: raw.CONVERSATIONS_PER_IP, perAddressPerMinute: raw.CONVERSATIONS_PER_IP_PER_MINUTE },
    allowedOrigins: parseOrigins(raw.ALLOWED_ORIGINS),
    trustProxy: parseTrustProxy(raw.TRUST_PROXY),
    rateLimits: {
      httpPerMinute: raw.HTTP_RATE_LIMIT_PER_MINUTE,
      socketAsksPerMinute: raw.SOCKET_ASKS_PER_MINUTE,
      conversationAsksPerMinute: raw.CONVERSATION_ASKS_PER_MINUTE,
    },
    maxBodyBytes: raw.MAX_BODY_BYTES,
    shutdownGraceMs: raw.SHUTDOWN_GRACE_MS,
    ...(raw.REDIS_URL === undefined ? {} : { redisUrl: raw.REDIS_URL }),
    indexWatchIntervalMs: raw.INDEX_WATCH_INTERVAL_MS,
    llmBudget: {
      maxPromptTokens: raw.LLM_MAX_PROMPT_TOKENS,
      answersPerConversationPerHour: raw.LLM_ANSWERS_PER_CONVERSATION_PER_HOUR,
      answersPerHour: raw.LLM_ANSWERS_PER_HOUR,
      tokensPerConversationPerHour: raw.LLM_TOKENS_PER_CONVERSATION_PER_HOUR,
      tokensPerHour: raw.LLM_TOKENS_PER_HOUR,
    },
    socketConnectionsPerIp: raw.SOCKET_CONNECTIONS_PER_IP,
    socketHandshakeTimeoutMs: raw.SOCKET_HANDSHAKE_TIMEOUT_MS,
  };
}

function parseOrigins(value: string): '*' | string[] {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0 || entries.includes('*')) return '*';
  return entries.map((entry) => {
    try {
      return new URL(entry).origin;
    } catch (error) {
      throw new TutorError('CONFIG_INVALID', `ALLOWED_ORIGINS: ${JSON.stringify(entry)} is not an origin such as https://school.example`, {
        cause: error,
      });
    }
  });
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false' || value === '') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/**
 * Whether DEBUG is set: the CLI then prints stacks with its errors. Read apart from loadConfig because it must work when
 * the configuration itself is what failed.
 */
export function debugOutputEnabled(environment: NodeJS.ProcessEnv = process.env): boolean {
  return environment.DEBUG !== undefined && environment.DEBUG !== '' && environment.DEBUG !== '0';
}
