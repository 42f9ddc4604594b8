import { OpenAIEmbeddings } from '@langchain/openai';

export interface OpenAIEmbeddingsOptions {
  readonly apiKey: string;
  /** Base URL of an OpenAI-compatible `/embeddings` endpoint (Ollama, vLLM, DashScope...). @default the OpenAI API */
  readonly baseURL?: string;
  /** e.g. `text-embedding-3-small`, `nomic-embed-text`. */
  readonly model: string;
  /** Output vector length, for models that can shorten their vectors (text-embedding-3-*). @default the model's own */
  readonly dimensions?: number;
  /** Bound on one HTTP request. @default 30000 */
  readonly timeoutMs?: number;
  /** Texts per request. @default 64 */
  readonly batchSize?: number;
}

export interface OpenAIEmbeddingsProvider {
  /** A LangChain `Embeddings`: use it wherever vectors are needed (index build, query embedding). */
  readonly embeddings: OpenAIEmbeddings;
  /** Stable id of the vector space, stored with an index so that a different embedder is detected. See {@link openAIEmbedderId}. */
  readonly embedderId: string;
}

/**
 * OpenAI (or compatible) embeddings. Vectors are requested as plain floats: openai-node otherwise asks
 * for `base64` by default, which not every compatible server implements.
 */
export function createOpenAIEmbeddings(options: OpenAIEmbeddingsOptions): OpenAIEmbeddingsProvider {
  const embeddings = new OpenAIEmbeddings({
    apiKey: options.apiKey,
    model: options.model,
    encodingFormat: 'float',
    batchSize: options.batchSize ?? 64,
    timeout: options.timeoutMs ?? 30_000,
    maxRetries: 1,
    ...(options.dimensions === undefined ? {} : { dimensions: options.dimensions }),
    ...(options.baseURL === undefined ? {} : { configuration: { baseURL: options.baseURL } }),
  });
  return { embeddings, embedderId: openAIEmbedderId(options) };
}

/**
 * `openai:<model>`, plus `:d<dimensions>` when the vector length is set explicitly. The base URL is left
 * out on purpose: the same model served elsewhere gives the same vectors.
 */
export function openAIEmbedderId(options: Pick<OpenAIEmbeddingsOptions, 'model' | 'dimensions'>): string {
  return options.dimensions === undefined ? `openai:${options.model}` : `openai:${options.model}:d${options.dimensions}`;
}
