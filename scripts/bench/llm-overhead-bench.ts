/**
 * Benchmark section "llm-overhead": what the tutor's own LLM pipeline adds to the model's latency. Against the fake
 * OpenAI server with a fixed time to first token (headers and first delta after `FIRST_TOKEN_MS`), distinct learner
 * questions (200; 50 with --quick) go through the configured answerer exactly as in production (budget, fallback,
 * search, prompt budget, strategy, reasoning filter, leak check, citation guard), once per answer strategy. For each:
 * the time from the ask to the first streamed word, minus the model's own time to first token (request received to
 * first content delta written, on the same clock). Target: p95 <= 15 ms.
 *
 * Run by scripts/bench/run-benchmarks.ts (`npm run bench -- --only=llm-overhead`); alone:
 *   node --import tsx scripts/bench/llm-overhead-bench.ts --out=/tmp/llm.json --data-dir=/tmp/bench-llm [--quick]
 */
import { pino } from 'pino';
import { createCorpusApp } from '../../src/app/create-app.js';
import { loadConfig } from '../../src/config.js';
import { createFakeOpenAIServer, scripted } from '../../test/support/fake-openai-server.js';
import {
  type LatencySummary,
  loadAverage,
  parseSectionArguments,
  repositoryRoot,
  requireValue,
  summarize,
  writeSectionResult,
} from './bench-support.js';
import { createLearnerQuestions } from './learner-questions.js';

/** One answer strategy's figures (LLM_TOOLS=on: the agent; off: retrieve-then-generate). */
export interface StrategyOverhead {
  readonly strategy: 'agent' | 'retrieve-then-generate';
  /** Ask to first streamed word, as the learner's callback sees it. */
  readonly firstWordMs: LatencySummary;
  /** The model's time to first token, as the fake measured it. */
  readonly modelFirstTokenMs: LatencySummary;
  /** First word minus the model's first token: the pipeline's own share. */
  readonly overheadMs: LatencySummary;
  readonly met: boolean;
}

export interface LlmOverheadResult {
  readonly questions: number;
  readonly firstTokenMs: number;
  readonly targetP95Ms: number;
  readonly strategies: readonly StrategyOverhead[];
  readonly loadAverageAtStart: number;
}

const FIRST_TOKEN_MS = 40;
const TARGET_P95_MS = 15;
const args = parseSectionArguments();
const dataDir = requireValue(args, 'data-dir');
const questionCount = args.quick ? 50 : 200;
const loadAverageAtStart = loadAverage();

const fake = await createFakeOpenAIServer({ chunkDelayMs: 2 });
try {
  const strategies: StrategyOverhead[] = [];
  for (const [tools, strategy] of [
    ['on', 'agent'],
    ['off', 'retrieve-then-generate'],
  ] as const) {
    const config = loadConfig(
      {
        NODE_ENV: 'production',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        OPENAI_API_KEY: 'bench-key',
        OPENAI_BASE_URL: fake.url,
        LLM_TOOLS: tools,
        LLM_ANSWERS_PER_HOUR: String(questionCount * 2),
      },
      repositoryRoot,
    );
    const app = await createCorpusApp({ config, logger: pino({ level: 'silent' }) });
    await app.corpus.ensureIndex();
    const question = createLearnerQuestions(app.corpus.analyzer.glossary);
    const firstWord: number[] = [];
    const modelFirstToken: number[] = [];
    const overhead: number[] = [];
    // One warm-up answer (module loading, the first connection), not counted.
    for (let index = -1; index < questionCount; index += 1) {
      fake.enqueue(
        scripted.text('微调是在预训练模型的基础上针对特定任务的进一步训练 [1]。它调整模型的权重 [2]。', {
          initialDelayMs: FIRST_TOKEN_MS,
          pieces: 6,
        }),
      );
      const requestsBefore = fake.chatRequests.length;
      const started = performance.now();
      let firstWordAt: number | undefined;
      const answer = await app.answerer.answer({
        question: question(index + 1),
        onDelta: (text) => {
          if (firstWordAt === undefined && text.trim() !== '') firstWordAt = performance.now();
        },
      });
      const request = fake.chatRequests[requestsBefore];
      if (answer.mode !== 'llm' || firstWordAt === undefined || request?.timing.firstContentMs === undefined) {
        throw new Error(`question ${index + 1} was not answered by the model (${answer.mode})`);
      }
      if (index < 0) continue;
      const modelMs = request.timing.firstContentMs - request.timing.receivedMs;
      firstWord.push(firstWordAt - started);
      modelFirstToken.push(modelMs);
      overhead.push(firstWordAt - started - modelMs);
    }
    const overheadMs = summarize(overhead);
    const firstWordMs = summarize(firstWord);
    strategies.push({
      strategy,
      firstWordMs,
      modelFirstTokenMs: summarize(modelFirstToken),
      overheadMs,
      met: overheadMs.p95 <= TARGET_P95_MS,
    });
    process.stdout.write(
      `llm-overhead (${strategy}): ${questionCount} questions, model first token ${FIRST_TOKEN_MS} ms; first word p50 ` +
        `${firstWordMs.p50.toFixed(1)} ms; pipeline overhead p50 ${overheadMs.p50.toFixed(1)} ms, p95 ${overheadMs.p95.toFixed(1)} ms ` +
        `(target <= ${TARGET_P95_MS} ms: ${overheadMs.p95 <= TARGET_P95_MS ? 'met' : 'MISSED'}); load ${loadAverage().toFixed(1)}\n`,
    );
  }
  const result: LlmOverheadResult = {
    questions: questionCount,
    firstTokenMs: FIRST_TOKEN_MS,
    targetP95Ms: TARGET_P95_MS,
    strategies,
    loadAverageAtStart,
  };
  await writeSectionResult(args.out, result);
} finally {
  await fake.close();
}
