/**
 * A short description for health endpoints and logs, e.g. `openai:gpt-4o-mini@api.deepseek.com`. Never includes the key.
 * Apart from openai-chat-model.ts so that naming the model (offline mode, logs) does not load `@langchain/openai`.
 */
export function describeOpenAIChatModel(options: { readonly model: string; readonly baseURL?: string | undefined }): string {
  if (options.baseURL === undefined) return `openai:${options.model}`;
  let host = options.baseURL;
  try {
    host = new URL(options.baseURL).host;
  } catch {
    // Not a URL: keep the raw text; it is configuration, not a secret.
  }
  return `openai:${options.model}@${host}`;
}
