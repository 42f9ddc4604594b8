/**
 * What an OpenAI-compatible endpoint's error says, whatever server sent it. OpenAI, Ollama's compatibility layer,
 * current vLLM and llama.cpp's server answer `{"error": {"message": …}}`; Ollama's native routes `{"error": "…"}`;
 * older vLLM `{"object": "error", "message": …, "code": 400}`; FastAPI-based servers `{"detail": …}`. The client
 * (openai-node through @langchain/openai) turns each into an error with the status and the server's text in its
 * message (test/int/llm-provider-quirks.test.ts checks all four); the predicates below read them through the causes.
 */

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
