/**
 * A real HTTP server on 127.0.0.1 (port 0) that speaks enough of the OpenAI REST wire protocol for
 * `openai` 7 and `@langchain/openai` 1.6 to talk to it: `POST /v1/chat/completions` (JSON, and
 * `stream: true` server-sent events of `chat.completion.chunk` objects ending in `data: [DONE]`) and
 * `POST /v1/embeddings` (deterministic vectors, `float` or `base64` encoded).
 *
 * Each chat request consumes the next scripted response from a queue, so a test states exactly what
 * "the model" does: answer in streamed pieces, call a tool (optionally with broken JSON arguments),
 * fail with 500 or 429, hang, cut the stream, or send a malformed chunk. Every request is recorded
 * with its parsed body so tests can assert what the client sent (messages, tools, options).
 *
 * Wire format checked against openai-node's `ChatCompletionChunk` type and SSE decoder
 * (`core/streaming.js`: `data:` lines, `[DONE]` sentinel, JSON.parse of each event) and against
 * `@langchain/openai`'s completions stream converter (role on the first delta, `tool_calls` deltas
 * keyed by `index` with `id`/`function.name` on the first piece, `finish_reason`, a final `usage`
 * chunk with empty `choices` when `stream_options.include_usage` is set).
 *
 * Test helper only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One tool call the scripted model makes. */
export interface ScriptedToolCall {
  readonly name: string;
  /** Arguments: an object is sent as JSON; a string is sent verbatim (use it for broken JSON). */
  readonly arguments: Record<string, unknown> | string;
  /** @default `call_<n>` */
  readonly id?: string;
}

interface ScriptedTiming {
  /** Pause before each streamed chunk after the first. @default server option `chunkDelayMs` */
  readonly chunkDelayMs?: number;
  /** Pause before the response starts (headers included). @default 0 */
  readonly initialDelayMs?: number;
}

/** The model answers with text, streamed in several content deltas. */
export interface ScriptedText extends ScriptedTiming {
  readonly kind: 'text';
  /** The whole answer; an array gives the exact content deltas. A string is split into `pieces` deltas. */
  readonly text: string | readonly string[];
  /** How many deltas a string `text` is split into. @default 4 */
  readonly pieces?: number;
  /** @default 'stop' */
  readonly finishReason?: 'stop' | 'length' | 'content_filter';
  /**
   * A reasoning trace streamed before the answer as `reasoning_content` deltas with `content: null`, as DeepSeek's
   * reasoner, Qwen3 on DashScope and vLLM's reasoning parsers send it (the answer's deltas then carry
   * `reasoning_content: null`). An array gives the exact deltas. @default none
   */
  readonly reasoning?: string | readonly string[];
}

/** The model calls one or more tools (optionally after some text). */
export interface ScriptedToolCalls extends ScriptedTiming {
  readonly kind: 'tool-calls';
  readonly calls: readonly ScriptedToolCall[];
  /** Content streamed before the tool calls. @default none */
  readonly text?: string;
  /** How many pieces each call's argument string is streamed in. @default 3 */
  readonly argumentPieces?: number;
}

/**
 * The error body shapes servers send: `openai` (also Ollama's /v1 routes, current vLLM, llama.cpp's server:
 * `{"error": {"message", "type", "param", "code"}}`), `ollama-native` (`{"error": "<message>"}`), `vllm-legacy`
 * (`{"object": "error", "message", "type", "param", "code"}`) and `fastapi` (`{"detail": "<message>"}`).
 */
export type ErrorBodyShape = 'openai' | 'ollama-native' | 'vllm-legacy' | 'fastapi';

/** An HTTP error with a body in one server's shape. */
export interface ScriptedHttpError extends ScriptedTiming {
  readonly kind: 'http-error';
  readonly status: number;
  readonly message?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** @default 'openai' */
  readonly shape?: ErrorBodyShape;
}

/** HTTP 429 with `Retry-After` (seconds) when given and `retry-after-ms` when given. */
export interface ScriptedRateLimit extends ScriptedTiming {
  readonly kind: 'rate-limit';
  /** undefined: no Retry-After header at all (as many compatible servers send a 429). */
  readonly retryAfterSeconds: number | undefined;
  readonly retryAfterMs?: number;
}

/** The server accepts the request and then says nothing until the client goes away. */
export interface ScriptedHang extends ScriptedTiming {
  readonly kind: 'hang';
  /** Send the SSE response headers (and `chunksBeforeHang` content chunks) first. @default false */
  readonly sendHeaders?: boolean;
  /** Content chunks sent before going silent (only with `sendHeaders`). @default [] */
  readonly chunksBeforeHang?: readonly string[];
}

/** The stream starts and the socket is destroyed after some content chunks. */
export interface ScriptedStreamCut extends ScriptedTiming {
  readonly kind: 'stream-cut';
  readonly chunksBeforeCut: readonly string[];
}

/** A `data:` line whose JSON is invalid, after some good content chunks. */
export interface ScriptedMalformedChunk extends ScriptedTiming {
  readonly kind: 'malformed-chunk';
  readonly chunksBefore: readonly string[];
  /** The raw text after `data: `. @default a truncated chunk object */
  readonly rawData?: string;
}

export type ScriptedResponse =
  | ScriptedText
  | ScriptedToolCalls
  | ScriptedHttpError
  | ScriptedRateLimit
  | ScriptedHang
  | ScriptedStreamCut
  | ScriptedMalformedChunk;

/** Shorthands for building scripted responses. */
export const scripted = {
  text: (text: string | readonly string[], options: Omit<ScriptedText, 'kind' | 'text'> = {}): ScriptedText => ({
    kind: 'text',
    text,
    ...options,
  }),
  toolCall: (
    name: string,
    args: Record<string, unknown> | string,
    options: Omit<ScriptedToolCalls, 'kind' | 'calls'> = {},
  ): ScriptedToolCalls => ({ kind: 'tool-calls', calls: [{ name, arguments: args }], ...options }),
  httpError: (status: number, message?: string, shape?: ErrorBodyShape): ScriptedHttpError => ({
    kind: 'http-error',
    status,
    ...(message === undefined ? {} : { message }),
    ...(shape === undefined ? {} : { shape }),
  }),
  rateLimit: (retryAfterSeconds: number | undefined, retryAfterMs?: number): ScriptedRateLimit =>
    retryAfterMs === undefined ? { kind: 'rate-limit', retryAfterSeconds } : { kind: 'rate-limit', retryAfterSeconds, retryAfterMs },
  hang: (options: Omit<ScriptedHang, 'kind'> = {}): ScriptedHang => ({ kind: 'hang', ...options }),
  streamCut: (chunksBeforeCut: readonly string[]): ScriptedStreamCut => ({ kind: 'stream-cut', chunksBeforeCut }),
  malformedChunk: (chunksBefore: readonly string[], rawData?: string): ScriptedMalformedChunk =>
    rawData === undefined ? { kind: 'malformed-chunk', chunksBefore } : { kind: 'malformed-chunk', chunksBefore, rawData },
} as const;

/** A request the server received. */
export interface RecordedRequest {
  readonly method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON body (undefined when the body was empty or not JSON). */
  readonly body: any;
  /** `Date.now()` when the body had been read. */
  readonly receivedAt: number;
  /** The scripted response that answered it (chat requests only). */
  readonly response?: ScriptedResponse;
  /**
   * `performance.now()` (this process's clock, sub-millisecond) when the body had been read and when the first content
   * delta was written: the model's time to first token as the client could at best see it.
   */
  readonly timing: { readonly receivedMs: number; firstContentMs?: number };
}

export interface FakeOpenAIServerOptions {
  /** Pause between streamed chunks. @default 5 */
  readonly chunkDelayMs?: number;
  /** Length of embedding vectors when the request has no `dimensions`. @default 64 */
  readonly embeddingDimensions?: number;
  /** Model name echoed in responses when the request names none. @default 'fake-model' */
  readonly modelName?: string;
  /**
   * Refuse every chat request that carries `tools` with a 400, as servers do for models without tool support, in the
   * words and body shape of: `ollama` ("<model> does not support tools"), `vllm` ("\"auto\" tool choice requires
   * --enable-auto-tool-choice and --tool-call-parser to be set") or `llama.cpp` ("tools param requires --jinja flag").
   * The refusal consumes no scripted response. @default tools accepted
   */
  readonly refuseTools?: 'ollama' | 'vllm' | 'llama.cpp';
  /** Refuse requests with `stream_options` (400 "Unrecognized request argument supplied: stream_options"). @default false */
  readonly rejectStreamOptions?: boolean;
  /** Never send a `usage` object, even when `stream_options.include_usage` asks for one. @default false */
  readonly omitUsage?: boolean;
}

export interface FakeOpenAIServer {
  /** Base URL ending in `/v1`, for `baseURL` / `configuration.baseURL`. */
  readonly url: string;
  /** Every request received, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Only the `POST /v1/chat/completions` requests. */
  readonly chatRequests: readonly RecordedRequest[];
  /** Adds responses to the end of the chat queue. */
  enqueue(...responses: ScriptedResponse[]): void;
  /** Scripted chat responses not yet consumed. */
  readonly pendingResponses: number;
  /** Destroys open connections (hung requests included) and stops listening. */
  close(): Promise<void>;
}

/**
 * The deterministic embedding of a text: character unigrams and bigrams hashed (FNV-1a) into
 * `dimensions` signed buckets, L2-normalised. Texts that share characters get similar vectors.
 */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const characters = Array.from(text.toLowerCase()).filter((character) => character.trim() !== '');
  const features: string[] = [...characters];
  for (let index = 0; index + 1 < characters.length; index += 1) {
    features.push(`${characters[index]}${characters[index + 1]}`);
  }
  for (const feature of features) {
    const hash = fnv1a(feature);
    const bucket = hash % dimensions;
    vector[bucket] = (vector[bucket] ?? 0) + ((hash >>> 16) & 1 ? 1 : -1);
  }
  const norm = Math.hypot(...vector);
  if (norm === 0) {
    vector[0] = 1;
    return vector;
  }
  return vector.map((value) => value / norm);
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

function splitIntoPieces(text: string, pieces: number): string[] {
  const characters = Array.from(text);
  const count = Math.max(1, Math.min(pieces, characters.length));
  const size = Math.ceil(characters.length / count);
  const result: string[] = [];
  for (let index = 0; index < characters.length; index += size) {
    result.push(characters.slice(index, index + size).join(''));
  }
  return result.length > 0 ? result : [''];
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function createFakeOpenAIServer(options: FakeOpenAIServerOptions = {}): Promise<FakeOpenAIServer> {
  const chunkDelayMs = options.chunkDelayMs ?? 5;
  const embeddingDimensions = options.embeddingDimensions ?? 64;
  const defaultModel = options.modelName ?? 'fake-model';
  const queue: ScriptedResponse[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let completionCounter = 0;
  let toolCallCounter = 0;

  const server: Server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        sendJson(response, 500, { error: { message: `fake server failure: ${String(error)}`, type: 'server_error' } });
      } else {
        response.destroy();
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const rawBody = await readBody(request);
    let body: unknown;
    try {
      body = rawBody.length > 0 ? JSON.parse(rawBody) : undefined;
    } catch {
      body = undefined;
    }
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const timing: { receivedMs: number; firstContentMs?: number } = { receivedMs: performance.now() };
    const base = { method: request.method ?? 'GET', path, headers: { ...request.headers }, body, receivedAt: Date.now(), timing };

    if (request.method === 'POST' && path === '/v1/embeddings') {
      requests.push(base);
      handleEmbeddings(body, response);
      return;
    }
    if (request.method === 'POST' && path === '/v1/chat/completions') {
      const refusal = refusalFor(body as ChatRequestBody | undefined);
      if (refusal !== undefined) {
        requests.push(base);
        sendJson(response, 400, refusal);
        return;
      }
      const scriptedResponse = queue.shift();
      requests.push(scriptedResponse === undefined ? base : { ...base, response: scriptedResponse });
      if (scriptedResponse === undefined) {
        sendJson(response, 500, {
          error: { message: 'fake OpenAI server: no scripted response left for this request', type: 'server_error' },
        });
        return;
      }
      await handleChat(body as ChatRequestBody | undefined, scriptedResponse, request, response, timing);
      return;
    }
    requests.push(base);
    sendJson(response, 404, { error: { message: `no route for ${request.method} ${path}`, type: 'invalid_request_error' } });
  }

  /** The 400 body a server with the configured limits sends for this request, if it refuses it. */
  function refusalFor(body: ChatRequestBody | undefined): unknown {
    const model = body?.model ?? defaultModel;
    if (options.rejectStreamOptions === true && body?.stream_options !== undefined) {
      return errorBody('openai', 'Unrecognized request argument supplied: stream_options', 400);
    }
    if (options.refuseTools !== undefined && Array.isArray(body?.tools) && body.tools.length > 0) {
      if (options.refuseTools === 'ollama')
        return errorBody('openai', `registry.ollama.ai/library/${model} does not support tools`, 400, 'api_error');
      if (options.refuseTools === 'vllm') {
        return errorBody(
          'openai',
          '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set',
          400,
          'BadRequestError',
        );
      }
      return errorBody('openai', 'tools param requires --jinja flag', 400);
    }
    return undefined;
  }

  function handleEmbeddings(body: unknown, response: ServerResponse): void {
    const request = (body ?? {}) as { input?: unknown; model?: string; dimensions?: number; encoding_format?: string };
    const inputs = typeof request.input === 'string' ? [request.input] : request.input;
    if (!Array.isArray(inputs) || !inputs.every((input): input is string => typeof input === 'string')) {
      sendJson(response, 400, { error: { message: 'input must be a string or an array of strings', type: 'invalid_request_error' } });
      return;
    }
    const dimensions = request.dimensions ?? embeddingDimensions;
    const data = inputs.map((input, index) => {
      const vector = fakeEmbedding(input, dimensions);
      const embedding = request.encoding_format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
      return { object: 'embedding', index, embedding };
    });
    const promptTokens = inputs.reduce((sum, input) => sum + Array.from(input).length, 0);
    sendJson(response, 200, {
      object: 'list',
      data,
      model: request.model ?? defaultModel,
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    });
  }

  async function handleChat(
    body: ChatRequestBody | undefined,
    scriptedResponse: ScriptedResponse,
    request: IncomingMessage,
    response: ServerResponse,
    timing: { receivedMs: number; firstContentMs?: number },
  ): Promise<void> {
    const streaming = body?.stream === true;
    const includeUsage = body?.stream_options?.include_usage === true && options.omitUsage !== true;
    const model = body?.model ?? defaultModel;
    completionCounter += 1;
    const completionId = `chatcmpl-fake-${completionCounter}`;
    const created = Math.floor(Date.now() / 1000);
    const delay = scriptedResponse.chunkDelayMs ?? chunkDelayMs;
    let clientGone = false;
    response.on('close', () => {
      clientGone = true;
    });
    if (scriptedResponse.initialDelayMs !== undefined && scriptedResponse.initialDelayMs > 0) {
      await sleep(scriptedResponse.initialDelayMs);
    }

    const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): string =>
      JSON.stringify({
        id: completionId,
        object: 'chat.completion.chunk',
        created,
        model,
        system_fingerprint: 'fp_fake',
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      });
    const usageChunk = (completionText: string): string =>
      JSON.stringify({
        id: completionId,
        object: 'chat.completion.chunk',
        created,
        model,
        system_fingerprint: 'fp_fake',
        choices: [],
        usage: usageFor(body, completionText),
      });

    const startStream = (): void => {
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      response.flushHeaders();
    };
    /** Writes SSE events one by one with the configured pause; false when the client went away. */
    const writeEvents = async (events: readonly string[]): Promise<boolean> => {
      for (const [index, event] of events.entries()) {
        if (clientGone) return false;
        if (index > 0 && delay > 0) await sleep(delay);
        if (clientGone) return false;
        response.write(`data: ${event}\n\n`);
        if (timing.firstContentMs === undefined && /"content":"[^"]/u.test(event)) timing.firstContentMs = performance.now();
      }
      return !clientGone;
    };
    const contentEvents = (pieces: readonly string[]): string[] => [
      chunk({ role: 'assistant', content: '', refusal: null }),
      ...pieces.map((piece) => chunk({ content: piece })),
    ];

    switch (scriptedResponse.kind) {
      case 'text': {
        const pieces =
          typeof scriptedResponse.text === 'string'
            ? splitIntoPieces(scriptedResponse.text, scriptedResponse.pieces ?? 4)
            : [...scriptedResponse.text];
        const fullText = pieces.join('');
        const finishReason = scriptedResponse.finishReason ?? 'stop';
        if (!streaming) {
          sendJson(response, 200, {
            id: completionId,
            object: 'chat.completion',
            created,
            model,
            system_fingerprint: 'fp_fake',
            choices: [
              {
                index: 0,
                message: { role: 'assistant', content: fullText, refusal: null, annotations: [] },
                logprobs: null,
                finish_reason: finishReason,
              },
            ],
            ...(options.omitUsage === true ? {} : { usage: usageFor(body, fullText) }),
          });
          return;
        }
        startStream();
        const reasoning =
          scriptedResponse.reasoning === undefined
            ? []
            : typeof scriptedResponse.reasoning === 'string'
              ? splitIntoPieces(scriptedResponse.reasoning, 3)
              : [...scriptedResponse.reasoning];
        const events =
          reasoning.length === 0
            ? [...contentEvents(pieces), chunk({}, finishReason)]
            : [
                chunk({ role: 'assistant', content: null, reasoning_content: '' }),
                ...reasoning.map((piece) => chunk({ content: null, reasoning_content: piece })),
                ...pieces.map((piece) => chunk({ content: piece, reasoning_content: null })),
                chunk({}, finishReason),
              ];
        if (includeUsage) events.push(usageChunk(fullText));
        events.push('[DONE]');
        if (await writeEvents(events)) response.end();
        return;
      }
      case 'tool-calls': {
        const calls = scriptedResponse.calls.map((call) => {
          toolCallCounter += 1;
          return {
            id: call.id ?? `call_${toolCallCounter}`,
            name: call.name,
            argumentText: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
          };
        });
        const content = scriptedResponse.text ?? '';
        if (!streaming) {
          sendJson(response, 200, {
            id: completionId,
            object: 'chat.completion',
            created,
            model,
            system_fingerprint: 'fp_fake',
            choices: [
              {
                index: 0,
                message: {
                  role: 'assistant',
                  content: content === '' ? null : content,
                  refusal: null,
                  annotations: [],
                  tool_calls: calls.map((call) => ({
                    id: call.id,
                    type: 'function',
                    function: { name: call.name, arguments: call.argumentText },
                  })),
                },
                logprobs: null,
                finish_reason: 'tool_calls',
              },
            ],
            usage: usageFor(body, content + calls.map((call) => call.argumentText).join('')),
          });
          return;
        }
        startStream();
        const events: string[] =
          content === '' ? [chunk({ role: 'assistant', content: null, refusal: null })] : contentEvents(splitIntoPieces(content, 2));
        for (const [index, call] of calls.entries()) {
          events.push(
            chunk({
              tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }],
            }),
          );
          for (const piece of splitIntoPieces(call.argumentText, scriptedResponse.argumentPieces ?? 3)) {
            events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
          }
        }
        events.push(chunk({}, 'tool_calls'));
        if (includeUsage) events.push(usageChunk(content + calls.map((call) => call.argumentText).join('')));
        events.push('[DONE]');
        if (await writeEvents(events)) response.end();
        return;
      }
      case 'http-error': {
        sendJson(
          response,
          scriptedResponse.status,
          errorBody(
            scriptedResponse.shape ?? 'openai',
            scriptedResponse.message ?? `Scripted HTTP ${scriptedResponse.status} from the fake server`,
            scriptedResponse.status,
          ),
          scriptedResponse.headers,
        );
        return;
      }
      case 'rate-limit': {
        const headers: Record<string, string> = {};
        if (scriptedResponse.retryAfterSeconds !== undefined) headers['retry-after'] = String(scriptedResponse.retryAfterSeconds);
        if (scriptedResponse.retryAfterMs !== undefined) headers['retry-after-ms'] = String(scriptedResponse.retryAfterMs);
        sendJson(
          response,
          429,
          {
            error: {
              message: 'Rate limit reached for requests (scripted by the fake server)',
              type: 'requests',
              param: null,
              code: 'rate_limit_exceeded',
            },
          },
          headers,
        );
        return;
      }
      case 'hang': {
        if (scriptedResponse.sendHeaders === true) {
          startStream();
          await writeEvents(contentEvents(scriptedResponse.chunksBeforeHang ?? []));
        }
        // Say nothing more; the request ends when the client aborts or the server closes.
        await new Promise<void>((resolve) => request.socket.once('close', () => resolve()));
        return;
      }
      case 'stream-cut': {
        if (!streaming) {
          // A JSON body cut in the middle: headers promise more bytes than arrive.
          const partial = `{"id":"${completionId}","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"`;
          response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(partial.length + 200) });
          response.write(partial);
          await sleep(delay);
          request.socket.destroy();
          return;
        }
        startStream();
        await writeEvents(contentEvents(scriptedResponse.chunksBeforeCut));
        await sleep(delay);
        request.socket.destroy();
        return;
      }
      case 'malformed-chunk': {
        const rawData =
          scriptedResponse.rawData ??
          `{"id":"${completionId}","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"unterminated`;
        if (!streaming) {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(rawData);
          return;
        }
        startStream();
        if (!(await writeEvents(contentEvents(scriptedResponse.chunksBefore)))) return;
        await sleep(delay);
        response.write(`data: ${rawData}\n\n`);
        await sleep(delay);
        response.end('data: [DONE]\n\n');
        return;
      }
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return requests;
    },
    get chatRequests() {
      return requests.filter((recorded) => recorded.path === '/v1/chat/completions');
    },
    enqueue(...responses) {
      queue.push(...responses);
    },
    get pendingResponses() {
      return queue.length;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface ChatRequestBody {
  model?: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  messages?: unknown[];
  tools?: unknown[];
}

/** An error body in one server's shape (see {@link ErrorBodyShape}). */
function errorBody(shape: ErrorBodyShape, message: string, status: number, type?: string): unknown {
  const errorType = type ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
  switch (shape) {
    case 'openai':
      return { error: { message, type: errorType, param: null, code: null } };
    case 'ollama-native':
      return { error: message };
    case 'vllm-legacy':
      return { object: 'error', message, type: errorType, param: null, code: status };
    case 'fastapi':
      return { detail: message };
  }
}

function usageFor(body: ChatRequestBody | undefined, completionText: string): Record<string, number> {
  const promptTokens = Math.ceil(JSON.stringify(body?.messages ?? []).length / 4);
  const completionTokens = Math.max(1, Math.ceil(Array.from(completionText).length / 2));
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

function sendJson(response: ServerResponse, status: number, payload: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(payload);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  response.end(text);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
