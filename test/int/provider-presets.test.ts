import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCorpusApp } from '../../src/app/create-app.js';
import { createLlmMeter } from '../../src/evaluation/llm-evaluation.js';
import { createFakeOpenAIServer, type FakeOpenAIServerOptions, scripted } from '../support/fake-openai-server.js';
import { createRecordingLogger, createTemporaryDirectory, testConfig } from '../support/test-runtime.js';

/**
 * The provider presets of docs/PROVIDERS.md, each set up through configuration only (the variables the doc tells a
 * user to set) against the fake server behaving as that provider does on the wire, and what LLM_TOOLS=auto picks.
 */
interface Preset {
  readonly name: string;
  readonly env: Record<string, string>;
  readonly server: FakeOpenAIServerOptions;
  readonly reply: Parameters<typeof scripted.text>[1];
  readonly strategy: 'agent' | 'retrieve-then-generate';
}

const PRESETS: readonly Preset[] = [
  { name: 'OpenAI', env: { OPENAI_MODEL: 'gpt-4o-mini' }, server: {}, reply: {}, strategy: 'agent' },
  {
    name: 'DeepSeek (deepseek-reasoner: reasoning_content deltas)',
    env: { OPENAI_MODEL: 'deepseek-reasoner' },
    server: {},
    reply: { reasoning: 'The passages say fine-tuning is further training [9].' },
    strategy: 'agent',
  },
  {
    name: 'Qwen, DashScope compatible mode (qwen3 thinking: reasoning_content)',
    env: { OPENAI_MODEL: 'qwen-plus' },
    server: {},
    reply: { reasoning: '先看段落。' },
    strategy: 'agent',
  },
  {
    name: 'Ollama, a model without tool support',
    env: { OPENAI_MODEL: 'gemma2:2b', OPENAI_API_KEY: 'ollama' },
    server: { refuseTools: 'ollama' },
    reply: {},
    strategy: 'retrieve-then-generate',
  },
  {
    name: 'Ollama, a tool-calling model',
    env: { OPENAI_MODEL: 'qwen2.5:7b', OPENAI_API_KEY: 'ollama' },
    server: {},
    reply: {},
    strategy: 'agent',
  },
  {
    name: 'vLLM without --enable-auto-tool-choice',
    env: { OPENAI_MODEL: 'Qwen/Qwen2.5-7B-Instruct', OPENAI_API_KEY: 'EMPTY' },
    server: { refuseTools: 'vllm' },
    reply: {},
    strategy: 'retrieve-then-generate',
  },
  {
    name: "llama.cpp's server without --jinja (no usage either)",
    env: { OPENAI_MODEL: 'local', OPENAI_API_KEY: 'none' },
    server: { refuseTools: 'llama.cpp', omitUsage: true },
    reply: {},
    strategy: 'retrieve-then-generate',
  },
  {
    name: 'a server rejecting stream_options, with LLM_TOOLS=off',
    env: { OPENAI_MODEL: 'local', LLM_TOOLS: 'off' },
    server: { rejectStreamOptions: true },
    reply: {},
    strategy: 'retrieve-then-generate',
  },
];

describe('provider presets through configuration only', () => {
  let data: Awaited<ReturnType<typeof createTemporaryDirectory>>;
  beforeAll(async () => {
    data = await createTemporaryDirectory('tutor-presets-');
  });
  afterAll(() => data.remove());

  it.each(PRESETS)('$name', async (preset) => {
    const fake = await createFakeOpenAIServer({ chunkDelayMs: 1, ...preset.server });
    try {
      const config = testConfig({ dataDir: data.dir, env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.url, ...preset.env } });
      const meter = createLlmMeter();
      const app = await createCorpusApp({ config, logger: createRecordingLogger().logger, observeModel: meter.observer });
      await app.corpus.ensureIndex();
      fake.enqueue(scripted.text('微调是在预训练模型的基础上针对特定任务的进一步训练 [1]。', preset.reply));
      meter.reset();
      const answer = await app.answerer.answer({ question: '微调是什么？' });
      expect(answer.mode).toBe('llm');
      expect(answer.answer).toBe('微调是在预训练模型的基础上针对特定任务的进一步训练 [1]。');
      expect(meter.read().stats?.strategy).toBe(preset.strategy);
      expect(meter.read().tokens).toBeGreaterThan(0);
      const last = fake.chatRequests.at(-1)?.body;
      expect(last.model).toBe(preset.env.OPENAI_MODEL);
      expect(last.stream).toBe(true);
      expect(last.tools === undefined).toBe(preset.strategy === 'retrieve-then-generate');
      expect(app.llmDescription).toBe(`openai:${preset.env.OPENAI_MODEL}@${new URL(fake.url).host}`);
    } finally {
      await fake.close();
    }
  });
});
