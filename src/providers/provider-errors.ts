/**
 * What an OpenAI-compatible endpoint's error says, whatever server sent it. OpenAI, Ollama's compatibility layer,
 * current vLLM and llama.cpp's server answer `{"error": {"message": …}}`; Ollama's native routes `{"error": "…"}`;
 * older vLLM `{"object": "error", "message": …, "code": 400}`; FastAPI-based servers `{"detail": …}`. openai-node
 * only reads the first two, so {@link normaliseErrorBody} rewrites the others before it parses them (used as the
 * client's `fetch`), and the predicates below read the message through the error's causes.
 */

/** An error body in the shape openai-node reads (`{"error": {"message", "type", "code"}}`), from any server's shape. */
export function normaliseErrorBody(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return JSON.stringify({ error: { message: text.trim().slice(0, 500) || 'no error body', type: 'server_error' } });
  }
  if (typeof parsed !== 'object' || parsed === null) return JSON.stringify({ error: { message: String(parsed) } });
  const body = parsed as Record<string, unknown>;
  const error = body.error;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') return text;
  if (typeof error === 'string') return JSON.stringify({ error: { message: error, type: 'api_error' } });
  const message = typeof body.message === 'string' ? body.message : body.detail === undefined ? undefined : stringify(body.detail);
  if (message === undefined) return text;
  return JSON.stringify({
    error: { message, type: typeof body.type === 'string' ? body.type : 'api_error', code: body.code ?? null, param: body.param ?? null },
  });
}

function stringify(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A `fetch` whose non-2xx responses carry their error in the shape openai-node reads. */
export function createErrorNormalisingFetch(base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init);
    if (response.ok) return response;
    const text = await response.text();
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    headers.delete('content-encoding');
    headers.set('content-type', 'application/json');
    return new Response(normaliseErrorBody(text), { status: response.status, statusText: response.statusText, headers });
  };
}

/** The HTTP status and message of an error, looking through its causes. */
export function statusAndMessageOf(error: unknown): { readonly status: number | undefined; readonly message: string } {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 6 && !chain.includes(current)) {
    chain.push(current);
    current = typeof current === 'object' && 'cause' in current ? current.cause : undefined;
  }
  const status = chain
    .map((entry) => (typeof entry === 'object' && entry !== null && 'status' in entry ? entry.status : undefined))
    .find((value): value is number => typeof value === 'number');
  const message = chain
    .map((entry) => (entry instanceof Error ? entry.message : ''))
    .filter((text) => text !== '')
    .join(' | ');
  return { status, message: message === '' ? String(error) : message };
}

/**
 * Whether an endpoint refused the request because the model cannot call tools: a 400 (or 404/422/501) whose message
 * names tools or function calling, as Ollama ("registry.ollama.ai/library/gemma2:2b does not support tools"), vLLM
 * ("\"auto\" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set") and llama.cpp's server
 * ("tools param requires --jinja flag") say.
 */
export function isToolsUnsupported(error: unknown): boolean {
  const { status, message } = statusAndMessageOf(error);
  if (status === undefined || ![400, 404, 422, 501].includes(status)) return false;
  return /\btools?\b|tool[ _-]?(?:choice|call)|function[ _-]?call/iu.test(message);
}

/** Whether a server refused `stream_options` (some compatible servers reject fields they do not know): a 4xx naming it. */
export function isStreamOptionsRejected(error: unknown): boolean {
  const { status, message } = statusAndMessageOf(error);
  return status !== undefined && status >= 400 && status < 500 && /stream[_ ]options|include_usage/iu.test(message);
}
