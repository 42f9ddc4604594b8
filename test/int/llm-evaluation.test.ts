import { describe, expect, it } from 'vitest';
import { createCorpusApp } from '../../src/app/create-app.js';
import type { EvaluationCase } from '../../src/evaluation/evaluation-cases.js';
import { createLlmMeter, evaluateConfiguredModel, proseLanguage, runLlmEvaluation } from '../../src/evaluation/llm-evaluation.js';
import { createFakeOpenAIServer, scripted } from '../support/fake-openai-server.js';
import { createRecordingLogger, createTemporaryDirectory, testConfig } from '../support/test-runtime.js';

/** Evaluation cases in the shape of test/eval/cases.json (the fields the LLM run reads). */
const cases = [
  {
    id: 'zh-finetune',
    language: 'zh',
    category: 'definition',
    turns: ['微调是什么意思？'],
    covered: true,
    expect: ['针对特定任务'],
    must: [],
  },
  { id: 'en-tuning', language: 'en', category: 'definition', turns: ['What does tuning mean?'], covered: true, expect: ['调教'], must: [] },
  {
    id: 'zh-follow-up',
    language: 'zh',
    category: 'follow-up-2',
    turns: ['微调是什么？', '那调教呢？'],
    covered: true,
    expect: ['调教'],
    must: [],
  },
  { id: 'zh-out-of-scope', language: 'zh', category: 'out-of-scope', turns: ['今天天气怎么样？'], covered: false, expect: [], must: [] },
] as unknown as EvaluationCase[];

describe('npm run eval -- --llm against the fake model', () => {
  it('measures fallback rate, citation validity, grounding, language, latency and tokens of the model answers', async () => {
    const fake = await createFakeOpenAIServer({ chunkDelayMs: 5 });
    const data = await createTemporaryDirectory('tutor-llm-eval-');
    try {
      const config = testConfig({
        dataDir: data.dir,
        env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.url, LLM_RETRY_DELAY_MS: '10', ANSWER_TIMEOUT_MS: '4000' },
      });
      const meter = createLlmMeter();
      const app = await createCorpusApp({ config, logger: createRecordingLogger().logger, observeModel: meter.observer });
      await app.corpus.ensureIndex();
      fake.enqueue(
        // zh-finetune: one valid marker, one invented.
        scripted.text('微调是在预训练模型上针对特定任务的进一步训练 [1]，另见 [9]。', { initialDelayMs: 40 }),
        // en-tuning: two valid markers, in English with a Chinese gloss.
        scripted.text('Tuning (调教) is the broader idea: every adjustment of a model [1][2].'),
        // zh-follow-up: the earlier turn, then the measured one failing twice (offline fallback).
        scripted.text('微调是进一步训练 [1]。'),
        scripted.httpError(500),
        scripted.httpError(500),
        // zh-out-of-scope: the model says the article does not cover it, citing nothing.
        scripted.text('文章没有讲到天气。'),
      );
      const report = await runLlmEvaluation({ runtime: app.corpus, answerer: app.answerer, meter, cases });
      expect(fake.pendingResponses).toBe(0);
      expect(report.measures.map((measure) => measure.mode)).toEqual(['llm', 'llm', 'offline-fallback', 'llm']);
      expect(report.fallbackRate).toBe(0.25);
      expect(report.modelAnswers).toBe(3);
      expect(report.strategies).toEqual({ agent: 3 });
      expect(report.citationValidity).toBe(3 / 4);
      expect(report.groundedShare).toBe(1);
      expect(report.notCoveredAccuracy).toBe(1);
      expect(report.answerLanguage).toBe(1);
      const first = report.measures[0]!;
      expect(first.firstWordMs).toBeGreaterThanOrEqual(40);
      expect(first.totalMs).toBeGreaterThanOrEqual(first.firstWordMs!);
      expect(first.tokens).toBeGreaterThan(100);
      expect(first.modelCalls).toBe(1);
      expect(report.firstWordMs.p95).toBeGreaterThanOrEqual(report.firstWordMs.p50);
      expect(report.tokensPerAnswer).toBeGreaterThan(100);
      // The standard figures come from the evaluation runner and scoring the offline run uses: every case, and the
      // model's answers alone.
      expect(report.evaluation.outcomes.map((outcome) => outcome.id)).toEqual(cases.map((entry) => entry.id));
      expect(report.evaluation.records[2]?.final.answer?.mode).toBe('offline-fallback');
      expect(report.evaluation.overall.cases).toBe(4);
      expect(report.modelFigures.cases).toBe(3);
      expect(report.modelFigures.notCoveredAccuracy).toBe(report.notCoveredAccuracy);
    } finally {
      await fake.close();
      await data.remove();
    }
  });

  it('prints the LLM-mode section, and refuses clearly without a configured model', async () => {
    const fake = await createFakeOpenAIServer({ chunkDelayMs: 1 });
    const data = await createTemporaryDirectory('tutor-llm-eval-');
    try {
      const logger = createRecordingLogger().logger;
      const offline = testConfig({ dataDir: data.dir });
      await expect(evaluateConfiguredModel({ config: offline, logger, cases })).rejects.toThrow(/set OPENAI_API_KEY/);
      const config = testConfig({
        dataDir: data.dir,
        env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.url, OPENAI_MODEL: 'qwen2.5:7b' },
      });
      fake.enqueue(scripted.text('微调是进一步训练 [1]。'));
      const text = await evaluateConfiguredModel({ config, logger, cases: cases.slice(0, 1) });
      expect(text).toMatch(/^LLM mode: openai:qwen2\.5:7b@127\.0\.0\.1:\d+, 1 cases, 1 answered by the model \(agent 1\)/);
      expect(text).toMatch(/citation validity \(kept \/ emitted\): 1\.000/);
      expect(text).toMatch(/time to first word: p50 \d+ ms, p95 \d+ ms/);
      expect(text).toMatch(/over the model's answers only .*citation precision [\d.-]+/);
      expect(text).toContain('answered by openai:qwen2.5:7b@');
      expect(text).toMatch(/hit@1: [\d.]+/);
    } finally {
      await fake.close();
      await data.remove();
    }
  });

  it('reads the prose language past citation markers and parenthesised glosses', () => {
    expect(proseLanguage('Fine-tuning (微调) adjusts the weights of a pretrained model (预训练模型) [1].')).toBe('en');
    expect(proseLanguage('微调是在预训练模型的基础上进行的训练，例如 LoRA [1]。')).toBe('zh');
  });
});
