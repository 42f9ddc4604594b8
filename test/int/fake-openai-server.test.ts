import { type AIMessageChunk, HumanMessage } from '@langchain/core/messages';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAIChatModel, estimateTokenCount } from '../../src/providers/openai-chat-model.js';
import { createOpenAIEmbeddings, openAIEmbedderId } from '../../src/providers/openai-embeddings.js';
import { createFakeOpenAIServer, type FakeOpenAIServer, fakeEmbedding, scripted } from '../support/fake-openai-server.js';

let server: FakeOpenAIServer;
beforeEach(async () => {
  server = await createFakeOpenAIServer({ chunkDelayMs: 2 });
});
afterEach(async () => {
  await server.close();
});

const searchTool = {
  type: 'function' as const,
  function: {
    name: 'search_article',
    description: 'Search the article',
    parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
  },
};

function chatModel(timeoutMs = 2_000) {
  return createOpenAIChatModel({ apiKey: 'test-key', baseURL: server.url, model: 'gpt-4o-mini', timeoutMs });
}

async function postChat(body: Record<string, unknown>): Promise<Response> {
  return fetch(`${server.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer raw' },
    body: JSON.stringify(body),
  });
}

/** The JSON payloads of an SSE body, `[DONE]` kept as a string. */
function sseData(text: string): unknown[] {
  return text
    .split('\n\n')
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice('data: '.length))
    .map((data) => (data === '[DONE]' ? data : JSON.parse(data)));
}

describe('fake OpenAI server over raw HTTP', () => {
  it('streams a scripted answer as chat.completion.chunk events ending in [DONE], with usage on request', async () => {
    server.enqueue(scripted.text(['微调', '是在预训练', '模型上的训练。']));
    const response = await postChat({
      model: 'm-1',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: '什么是微调？' }],
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = sseData(await response.text()) as any[];
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1);
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk' && chunk.model === 'm-1')).toBe(true);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    const contents = chunks.flatMap((chunk) => chunk.choices.map((choice: any) => choice.delta.content ?? ''));
    expect(contents.join('')).toBe('微调是在预训练模型上的训练。');
    expect(contents.filter((content) => content !== '')).toEqual(['微调', '是在预训练', '模型上的训练。']);
    const finishing = chunks.find((chunk) => chunk.choices[0]?.finish_reason != null);
    expect(finishing.choices[0].finish_reason).toBe('stop');
    const usage = chunks.at(-1);
    expect(usage.choices).toEqual([]);
    expect(usage.usage.total_tokens).toBe(usage.usage.prompt_tokens + usage.usage.completion_tokens);
    expect(server.requests[0]?.body.messages).toEqual([{ role: 'user', content: '什么是微调？' }]);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer raw');
  });

  it('answers a non-streaming request with one chat.completion object', async () => {
    server.enqueue(scripted.toolCall('search_article', { query: '调教' }));
    const response = await postChat({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
    const body = (await response.json()) as any;
    expect(body.object).toBe('chat.completion');
    expect(body.choices[0].finish_reason).toBe('tool_calls');
    expect(body.choices[0].message.tool_calls[0]).toMatchObject({
      type: 'function',
      function: { name: 'search_article', arguments: '{"query":"调教"}' },
    });
  });

  it('streams tool-call arguments in pieces keyed by index, with id and name on the first piece', async () => {
    server.enqueue(scripted.toolCall('search_article', { query: 'fine-tuning vs tuning' }, { argumentPieces: 4 }));
    const events = sseData(await (await postChat({ model: 'm', stream: true, messages: [] })).text()) as any[];
    const toolDeltas = events
      .filter((event) => event !== '[DONE]')
      .flatMap((event) => event.choices.flatMap((choice: any) => choice.delta.tool_calls ?? []));
    expect(toolDeltas[0]).toMatchObject({ index: 0, id: expect.stringMatching(/^call_/), function: { name: 'search_article' } });
    expect(toolDeltas.slice(1).every((delta: any) => delta.id === undefined && delta.index === 0)).toBe(true);
    expect(toolDeltas.length).toBeGreaterThanOrEqual(4);
    expect(JSON.parse(toolDeltas.map((delta: any) => delta.function.arguments).join(''))).toEqual({
      query: 'fine-tuning vs tuning',
    });
  });

  it('fails loudly when a test sends more requests than it scripted', async () => {
    const response = await postChat({ model: 'm', messages: [] });
    expect(response.status).toBe(500);
    expect(((await response.json()) as any).error.message).toContain('no scripted response');
  });

  it('serves deterministic embeddings as floats or base64 float32', async () => {
    const post = async (body: Record<string, unknown>) =>
      (await (
        await fetch(`${server.url}/embeddings`, {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        })
      ).json()) as any;
    const floats = await post({ model: 'e', input: ['微调', 'tuning'], dimensions: 8 });
    const base64 = await post({ model: 'e', input: ['微调'], dimensions: 8, encoding_format: 'base64' });
    expect(floats.data[0].embedding).toHaveLength(8);
    const decoded = Array.from(new Float32Array(Uint8Array.from(Buffer.from(base64.data[0].embedding, 'base64')).buffer));
    expect(decoded).toHaveLength(8);
    decoded.forEach((value, index) => {
      expect(value).toBeCloseTo(floats.data[0].embedding[index], 5);
    });
    expect(floats.data[0].embedding).toEqual(fakeEmbedding('微调', 8));
    expect(floats.data[1].embedding).not.toEqual(floats.data[0].embedding);
  });
});

describe('createOpenAIChatModel against the fake server', () => {
  it('streams content deltas in order and sends the model, messages and limits', async () => {
    server.enqueue(scripted.text('Fine-tuning adapts a pretrained model.', { pieces: 5 }));
    const model = chatModel();
    const deltas: string[] = [];
    for await (const chunk of await model.stream([new HumanMessage('What is fine-tuning?')])) {
      if (typeof chunk.content === 'string' && chunk.content !== '') deltas.push(chunk.content);
    }
    expect(deltas.length).toBeGreaterThanOrEqual(4);
    expect(deltas.join('')).toBe('Fine-tuning adapts a pretrained model.');
    const body = server.chatRequests[0]?.body;
    expect(body).toMatchObject({
      model: 'gpt-4o-mini',
      stream: true,
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'What is fine-tuning?' }],
    });
    expect(server.chatRequests[0]?.headers.authorization).toBe('Bearer test-key');
  });

  it('answers invoke() without reaching for the network to count tokens', async () => {
    server.enqueue(scripted.text('简短的回答。'));
    const started = Date.now();
    const message = await chatModel().invoke([new HumanMessage('你好')]);
    expect(message.content).toBe('简短的回答。');
    // LangChain's default token estimate would fetch a tiktoken table from the internet and stall here.
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(estimateTokenCount('微调 fine-tuning')).toBe(2 + Math.ceil(' fine-tuning'.length / 4));
  });

  it('assembles streamed tool-call pieces into a tool call and sends the tool schema', async () => {
    server.enqueue(scripted.toolCall('search_article', { query: '微调和调教的区别' }));
    const model = chatModel().bindTools([searchTool]);
    let message: AIMessageChunk | undefined;
    for await (const chunk of await model.stream([new HumanMessage('区别？')]))
      message = message === undefined ? chunk : message.concat(chunk);
    expect(message?.tool_calls).toEqual([expect.objectContaining({ name: 'search_article', args: { query: '微调和调教的区别' } })]);
    expect(server.chatRequests[0]?.body.tools[0].function.name).toBe('search_article');
  });

  it('reports tool-call arguments that are not JSON as an invalid tool call', async () => {
    server.enqueue(scripted.toolCall('search_article', '{"query": }'));
    const message = await chatModel()
      .bindTools([searchTool])
      .invoke([new HumanMessage('x')]);
    expect(message.tool_calls).toEqual([]);
    expect(message.invalid_tool_calls?.[0]).toMatchObject({ name: 'search_article', args: '{"query": }' });
  });

  it('surfaces a 500 at once, without retrying inside the client', async () => {
    server.enqueue(scripted.httpError(500));
    await expect(chatModel().invoke([new HumanMessage('x')])).rejects.toMatchObject({ status: 500 });
    expect(server.chatRequests).toHaveLength(1);
  });

  it('surfaces a 429 with its Retry-After header', async () => {
    server.enqueue(scripted.rateLimit(3, 2500));
    const error = (await chatModel()
      .invoke([new HumanMessage('x')])
      .catch((caught: unknown) => caught)) as { status: number; headers: Headers };
    expect(error.status).toBe(429);
    expect(error.headers.get('retry-after')).toBe('3');
    expect(error.headers.get('retry-after-ms')).toBe('2500');
    expect(server.chatRequests).toHaveLength(1);
  });

  it('fails a stream that is cut mid-way after the first deltas arrived', async () => {
    server.enqueue(scripted.streamCut(['微调', '是']));
    const deltas: string[] = [];
    const consume = async () => {
      for await (const chunk of await chatModel().stream([new HumanMessage('x')])) {
        if (typeof chunk.content === 'string' && chunk.content !== '') deltas.push(chunk.content);
      }
    };
    await expect(consume()).rejects.toThrow(/terminated|socket|closed/i);
    expect(deltas).toEqual(['微调', '是']);
  });

  it('fails on a data line that is not JSON', async () => {
    server.enqueue(scripted.malformedChunk(['ok']));
    await expect(chatModel().invoke([new HumanMessage('x')])).rejects.toThrow(/malformed|JSON/i);
  });

  it('leaves a hung request to the caller, whose abort ends it', async () => {
    server.enqueue(scripted.hang({ sendHeaders: true, chunksBeforeHang: ['部分'] }));
    const started = Date.now();
    await expect(chatModel(10_000).invoke([new HumanMessage('x')], { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});

describe('createOpenAIEmbeddings against the fake server', () => {
  it('is a LangChain Embeddings with a stable id, returning the server vectors', async () => {
    const { embeddings, embedderId } = createOpenAIEmbeddings({
      apiKey: 'test-key',
      baseURL: server.url,
      model: 'text-embedding-3-small',
      dimensions: 16,
    });
    expect(embedderId).toBe('openai:text-embedding-3-small:d16');
    expect(openAIEmbedderId({ model: 'nomic-embed-text' })).toBe('openai:nomic-embed-text');
    const [first, second] = await embeddings.embedDocuments(['微调', '调教']);
    expect(first).toEqual(fakeEmbedding('微调', 16).map((value) => expect.closeTo(value, 6)));
    expect(second).toHaveLength(16);
    expect(await embeddings.embedQuery('微调')).toEqual(first);
    const body = server.requests[0]?.body;
    expect(body).toMatchObject({ model: 'text-embedding-3-small', dimensions: 16, encoding_format: 'float' });
  });
});
