import { afterEach, describe, expect, it } from 'vitest';
import { createEndpointQuirks } from '../../src/providers/endpoint-quirks.js';
import { createOpenAIChatModel } from '../../src/providers/openai-chat-model.js';
import { createInMemoryModelAnswerBudget } from '../../src/stores/model-budget/model-answer-budget.js';
import { createModelUseBudget } from '../../src/stores/model-budget/model-use-budget.js';
import { markersInText } from '../../src/tutor/citation-builder.js';
import { createFallbackTutorAnswerer } from '../../src/tutor/llm/fallback-tutor-answerer.js';
import { createLlmTutorAnswerer, type LlmToolsMode, ModelAnswerError } from '../../src/tutor/llm/llm-tutor-answerer.js';
import { LENGTH_LIMIT_NOTICES } from '../../src/tutor/llm/system-prompt.js';
import { createToolSupportMemory } from '../../src/tutor/llm/tool-support-memory.js';
import type { TutorAnswer, TutorAnswerer, TutorQuestion } from '../../src/tutor/tutor-types.js';
import { createFakeOpenAIServer, type FakeOpenAIServer, type FakeOpenAIServerOptions, scripted } from '../support/fake-openai-server.js';
import { createInMemoryPassageSearch, fixtureChunks } from '../support/in-memory-passage-search.js';

/**
 * The wire behaviour of the providers people run, reproduced by the fake OpenAI server: models that refuse tools
 * (Ollama, vLLM, llama.cpp), reasoning traces (`reasoning_content` and `<think>` blocks), servers that reject
 * `stream_options` or send no usage, tool-call arguments in one piece or many, `finish_reason: "length"`, error bodies
 * in each server's shape, and 429 with and without Retry-After.
 */

const chunks = fixtureChunks();
const servers: FakeOpenAIServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function fake(options: FakeOpenAIServerOptions = {}): Promise<FakeOpenAIServer> {
  const server = await createFakeOpenAIServer({ chunkDelayMs: 2, ...options });
  servers.push(server);
  return server;
}

function recordingLogger() {
  const lines: { level: string; message: string; details: Record<string, unknown> }[] = [];
  return {
    lines,
    info: (details: Record<string, unknown>, message: string) => lines.push({ level: 'info', message, details }),
    debug: (details: Record<string, unknown>, message: string) => lines.push({ level: 'debug', message, details }),
  };
}

function answerer(
  server: FakeOpenAIServer,
  options: {
    tools?: LlmToolsMode;
    logger?: ReturnType<typeof recordingLogger>;
    maxCompletionTokens?: number;
    toolSupport?: ReturnType<typeof createToolSupportMemory>;
    quirks?: ReturnType<typeof createEndpointQuirks>;
    budget?: ReturnType<typeof createModelUseBudget>;
  } = {},
) {
  return createLlmTutorAnswerer({
    chatModel: createOpenAIChatModel({
      apiKey: 'test-key',
      baseURL: server.url,
      model: 'qwen2.5:7b',
      timeoutMs: 3_000,
      ...(options.quirks ? { quirks: options.quirks } : {}),
      ...(options.budget ? { budget: options.budget } : {}),
    }),
    passageSearch: createInMemoryPassageSearch(chunks),
    resolveStandaloneQuery: (question) => question,
    suggestFollowUps: () => [],
    timeoutMs: 3_000,
    passagesPerSearch: 2,
    endpointKey: `openai:qwen2.5:7b@${new URL(server.url).host}`,
    ...(options.tools ? { tools: options.tools } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.maxCompletionTokens === undefined ? {} : { maxCompletionTokens: options.maxCompletionTokens }),
    ...(options.toolSupport ? { toolSupport: options.toolSupport } : {}),
  });
}

async function ask(target: TutorAnswerer, question: string, extra: Partial<TutorQuestion> = {}) {
  const deltas: string[] = [];
  const answer = await target.answer({ question, onDelta: (text) => deltas.push(text), ...extra });
  return { answer, streamed: deltas.join('') };
}

function expectGuarded(answer: TutorAnswer): void {
  const markers = answer.citations.map((citation) => citation.marker);
  expect(markers).toEqual(markers.map((_, index) => index + 1));
  expect(new Set(markersInText(answer.answer))).toEqual(new Set(markers));
}

const sentTools = (server: FakeOpenAIServer, index: number): unknown => server.chatRequests[index]?.body?.tools;
const messagesOf = (server: FakeOpenAIServer, index: number): { role: string; content: string }[] =>
  server.chatRequests[index]?.body?.messages ?? [];
const userText = (server: FakeOpenAIServer, index: number): string =>
  messagesOf(server, index).find((message) => message.role === 'user')?.content ?? '';

describe('endpoints whose model refuses tools', () => {
  it.each(['ollama', 'vllm', 'llama.cpp'] as const)(
    'switches a %s endpoint to retrieve-then-generate at once, answers with the model, and remembers it',
    async (refuseTools) => {
      const server = await fake({ refuseTools });
      const logger = recordingLogger();
      const tutor = answerer(server, { logger });
      server.enqueue(scripted.text('微调是在预训练模型上针对特定任务的训练 [1]。'), scripted.text('调教更广义 [1][7]。'));

      const first = await ask(tutor, '微调是什么？');
      expect(first.answer.mode).toBe('llm');
      expect(first.answer.grounded).toBe(true);
      expect(first.streamed).toBe(first.answer.answer);
      expectGuarded(first.answer);
      // The refused request carried the tool; the answer came from one call without tools, passages in the prompt.
      expect(server.chatRequests).toHaveLength(2);
      expect(sentTools(server, 0)).toHaveLength(1);
      expect(sentTools(server, 1)).toBeUndefined();
      expect(userText(server, 1)).toMatch(/<passage marker="\[1\]"/);
      const system = messagesOf(server, 1)[0]?.content ?? '';
      expect(system).not.toContain('search_article');

      const second = await ask(tutor, '调教是什么？');
      expect(second.answer.mode).toBe('llm');
      expect(second.answer.answer).not.toContain('[7]');
      expect(server.chatRequests).toHaveLength(3);
      expect(sentTools(server, 2)).toBeUndefined();
      expect(logger.lines.filter((line) => line.level === 'info' && /refuses tools/.test(line.message))).toHaveLength(1);
    },
  );

  it('never sends tools with LLM_TOOLS=off, and fails as rejected with LLM_TOOLS=on', async () => {
    const server = await fake({ refuseTools: 'ollama' });
    server.enqueue(scripted.text('微调是进一步训练 [1]。'));
    const off = await ask(answerer(server, { tools: 'off' }), '微调是什么？');
    expect(off.answer.mode).toBe('llm');
    expect(server.chatRequests).toHaveLength(1);
    expect(sentTools(server, 0)).toBeUndefined();

    const on = answerer(server, { tools: 'on' });
    const failure = await on.answer({ question: '微调是什么？' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ModelAnswerError);
    expect((failure as ModelAnswerError).failure).toBe('request-rejected');
    expect((failure as ModelAnswerError).message).toContain('does not support tools');
  });

  it('keeps the switch per endpoint and model: another endpoint sharing the memory still gets the agent', async () => {
    const refusing = await fake({ refuseTools: 'vllm' });
    const accepting = await fake();
    const toolSupport = createToolSupportMemory();
    refusing.enqueue(scripted.text('微调 [1]。'));
    accepting.enqueue(scripted.text('调教 [1]。'));
    await ask(answerer(refusing, { toolSupport }), '微调是什么？');
    await ask(answerer(accepting, { toolSupport }), '调教是什么？');
    expect(sentTools(accepting, 0)).toHaveLength(1);
  });
});

describe('reasoning traces', () => {
  it('drops reasoning_content deltas from the answer and the stream, and does not count them against its length', async () => {
    const server = await fake();
    const logger = recordingLogger();
    const reasoning = `Let me think about the passages and the marker [9]. ${'Reasoning at length. '.repeat(40)}`;
    server.enqueue(scripted.text('微调是进一步训练 [1]。', { reasoning }));
    const result = await ask(answerer(server, { logger, maxCompletionTokens: 40 }), '微调是什么？');
    expect(result.answer.answer).toBe('微调是进一步训练 [1]。');
    expect(result.streamed).toBe(result.answer.answer);
    expect(result.answer.citations).toHaveLength(1);
    expect(logger.lines.some((line) => line.level === 'debug' && /reasoning/.test(line.message))).toBe(true);
  });

  it.each([
    ['split inside both tags', ['<thi', 'nk>先看段落 [9]，', '再想想</th', 'ink>微调是进一步训练', ' [1]。']],
    ['whole tags in one delta', ['<think>先看段落</think>\n\n微调是进一步训练 [1]。']],
    ['a tag split one character at a time', [...'<think>想[9]</think>'].concat(['微调是进一步训练 [1]。'])],
  ])('removes a <think> block from content (%s) before the citation guard sees it', async (_name, pieces) => {
    for (const tools of ['on', 'off'] as const) {
      const server = await fake();
      server.enqueue(scripted.text(pieces));
      const result = await ask(answerer(server, { tools, maxCompletionTokens: 12 }), '微调是什么？');
      expect(result.answer.answer).toBe('微调是进一步训练 [1]。');
      expect(result.streamed).toBe(result.answer.answer);
      expectGuarded(result.answer);
    }
  });
});

describe('stream options, usage and tool-call arguments', () => {
  it('asks again without stream_options when a server rejects it, and remembers that for the endpoint', async () => {
    const server = await fake({ rejectStreamOptions: true });
    const quirks = createEndpointQuirks();
    const tutor = answerer(server, { quirks });
    server.enqueue(scripted.text('微调 [1]。'), scripted.text('调教 [1]。'));
    expect((await ask(tutor, '微调是什么？')).answer.mode).toBe('llm');
    expect(server.chatRequests).toHaveLength(2);
    expect(server.chatRequests[0]?.body?.stream_options).toEqual({ include_usage: true });
    expect(server.chatRequests[1]?.body?.stream_options).toBeUndefined();
    // A second model on the same endpoint (the quiz writer's, say) shares the memory: it never sends the field.
    expect((await ask(answerer(server, { quirks }), '调教是什么？')).answer.mode).toBe('llm');
    expect(server.chatRequests).toHaveLength(3);
    expect(server.chatRequests[2]?.body?.stream_options).toBeUndefined();
  });

  it('counts estimated tokens when the server sends no usage, and reported ones when it does', async () => {
    for (const omitUsage of [true, false]) {
      const server = await fake({ omitUsage });
      const spent: number[] = [];
      const counting = createInMemoryModelAnswerBudget({ answersPerWindow: 10 });
      const budget = createModelUseBudget({
        perConversation: counting,
        nodeWide: {
          tryConsume: counting.tryConsume,
          recordTokens: async (_key, tokens) => {
            spent.push(tokens);
          },
        },
      });
      server.enqueue(scripted.text('微调是进一步训练 [1]。'));
      expect((await ask(answerer(server, { budget }), '微调是什么？')).answer.mode).toBe('llm');
      expect(spent).toHaveLength(1);
      expect(spent[0]).toBeGreaterThan(50);
    }
  });

  it.each([1, 12])('runs a search whose tool-call arguments arrive in %i piece(s)', async (argumentPieces) => {
    const server = await fake();
    server.enqueue(
      scripted.toolCall('search_article', { query: '学习率 超参数' }, { argumentPieces }),
      scripted.text('学习率是超参数 [3]。'),
    );
    const result = await ask(answerer(server), '学习率是什么？');
    expect(server.chatRequests).toHaveLength(2);
    const toolMessage = messagesOf(server, 1).find((message) => message.role === 'tool');
    expect(toolMessage?.content).toMatch(/<passages query="学习率 超参数">/);
    expect(result.answer.mode).toBe('llm');
    expectGuarded(result.answer);
  });
});

describe('finish_reason "length"', () => {
  it.each([
    ['微调是什么？', 'zh', '微调是在预训练模型的基础上 [1] 继续训练，编造 [8]，然后'],
    ['What is fine-tuning?', 'en', 'Fine-tuning is further training [1] on a task, invented [8], and then'],
  ] as const)(
    'ends a cut-off answer with a notice in the learner language, its citations checked (%s)',
    async (question, language, text) => {
      const server = await fake();
      server.enqueue(scripted.text(text, { finishReason: 'length' }));
      const result = await ask(answerer(server), question);
      expect(result.answer.answer.endsWith(LENGTH_LIMIT_NOTICES[language])).toBe(true);
      expect(result.answer.answer).not.toContain('[8]');
      expect(result.streamed).toBe(result.answer.answer);
      expect(result.answer.citations).toHaveLength(1);
      expectGuarded(result.answer);
    },
  );
});

describe('error bodies and rate limits', () => {
  it.each([
    ['openai', 400, 'request-rejected'],
    ['ollama-native', 500, 'server-error'],
    ['vllm-legacy', 400, 'request-rejected'],
    ['fastapi', 503, 'server-error'],
  ] as const)('reads a %s error body (%i) with its message', async (shape, status, failure) => {
    const server = await fake();
    server.enqueue(scripted.httpError(status, `model "qwen2.5:7b" says no (${shape})`, shape));
    const error = await answerer(server)
      .answer({ question: '微调是什么？' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelAnswerError);
    expect((error as ModelAnswerError).failure).toBe(failure);
    expect((error as ModelAnswerError).status).toBe(status);
    expect((error as ModelAnswerError).message).toContain(`says no (${shape})`);
  });

  it('retries a 429 without Retry-After after its own pause, and one with Retry-After after the asked time', async () => {
    for (const retryAfterSeconds of [undefined, 0.4]) {
      const server = await fake();
      server.enqueue(scripted.rateLimit(retryAfterSeconds), scripted.text('微调 [1]。'));
      const tutor = createFallbackTutorAnswerer({ primary: answerer(server), fallback: answerer(server), retryDelayMs: 150 });
      const result = await ask(tutor, '微调是什么？');
      expect(result.answer.mode).toBe('llm');
      const [first, second] = server.chatRequests;
      const pause = (second?.receivedAt ?? 0) - (first?.receivedAt ?? 0);
      expect(pause).toBeGreaterThanOrEqual(retryAfterSeconds === undefined ? 150 : 400);
    }
  });
});
