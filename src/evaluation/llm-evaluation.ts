/**
 * `npm run eval -- --llm`: the evaluation cases through the configured model, the way a learner's conversation goes
 * (earlier turns answered first and given as history), measuring what only a model run can tell:
 * - fallback rate (answers the offline answerer gave because the model failed or its budget was spent);
 * - grounded share, citation validity (passage numbers the model cited that the guard kept, over all it cited),
 *   citation precision (cited passages relevant to the case) and not-covered accuracy, on the model's answers;
 * - answer language (the answer's prose in the case's language);
 * - latency: time to the first streamed word and to the whole answer (p50, p95);
 * - tokens per answer (the server's usage, or the estimate when it sends none), and which strategy answered.
 * Only the last turn of each case is measured; the retrieval figures (hit@k, MRR) are the offline run's, since both
 * answer paths start from the same search.
 */
import type { ModelObserver } from '../app/create-answerer.js';
import { createCorpusApp } from '../app/create-app.js';
import type { CorpusRuntime } from '../app/create-corpus-runtime.js';
import type { TutorConfig } from '../config.js';
import { TutorError } from '../errors/tutor-error.js';
import type { Logger } from '../support/logger.js';
import type { LlmAnswerStats } from '../tutor/llm/llm-tutor-answerer.js';
import type { ConversationTurn, Language, TutorAnswerer } from '../tutor/tutor-types.js';
import type { EvaluationCase } from './evaluation-cases.js';
import { isRelevant, toTurn } from './run-evaluation.js';

/** Counts what the model does during one measured answer. */
export interface LlmMeter {
  /** Give it to the app (`createCorpusApp({ observeModel })`). */
  readonly observer: ModelObserver;
  /** Starts a measured answer: the counts start from zero. */
  reset(): void;
  /** Tokens of the model calls since the reset, and the last model answer's stats (none when the fallback answered). */
  read(): { readonly tokens: number; readonly calls: number; readonly stats?: LlmAnswerStats };
}

export function createLlmMeter(): LlmMeter {
  let tokens = 0;
  let calls = 0;
  let stats: LlmAnswerStats | undefined;
  return {
    observer: {
      onModelCall: (spent) => {
        tokens += spent;
        calls += 1;
      },
      onAnswer: (answerStats) => {
        stats = answerStats;
      },
    },
    reset() {
      tokens = 0;
      calls = 0;
      stats = undefined;
    },
    read: () => ({ tokens, calls, ...(stats === undefined ? {} : { stats }) }),
  };
}

/** One measured (last) turn of a case. */
export interface LlmCaseMeasure {
  readonly id: string;
  readonly covered: boolean;
  readonly language: Language;
  /** `llm`, `offline-fallback`, or `error` when even the fallback failed. */
  readonly mode: string;
  readonly grounded: boolean;
  readonly answerLanguage?: Language;
  readonly firstWordMs?: number;
  readonly totalMs: number;
  readonly tokens: number;
  readonly modelCalls: number;
  readonly markers?: { readonly emitted: number; readonly kept: number };
  readonly strategy?: string;
  readonly cited: number;
  readonly relevantCited: number;
  readonly error?: string;
}

export interface Percentiles {
  readonly p50: number;
  readonly p95: number;
}

export interface LlmEvaluationReport {
  readonly cases: number;
  /** Answers the model gave (`mode: 'llm'`). */
  readonly modelAnswers: number;
  readonly fallbackRate: number;
  /** Over the model's answers of covered cases: share grounded (at least one valid citation). */
  readonly groundedShare: number;
  /** Over the model's answers: cited numbers the guard kept / cited numbers the model wrote. */
  readonly citationValidity: number;
  /** Over the model's answers of covered cases: relevant cited passages / cited passages. */
  readonly citationPrecision: number;
  /** Over the model's answers: share whose grounded verdict matches whether the corpus covers the case. */
  readonly notCoveredAccuracy: number;
  /** Over the model's answers: share whose prose is in the case's language. */
  readonly answerLanguage: number;
  readonly firstWordMs: Percentiles;
  readonly totalMs: Percentiles;
  /** Mean tokens (prompt and completion) per model answer. */
  readonly tokensPerAnswer: number;
  readonly strategies: Readonly<Record<string, number>>;
  readonly measures: readonly LlmCaseMeasure[];
}

export interface LlmEvaluationDeps {
  readonly runtime: Pick<CorpusRuntime, 'passageSearch'>;
  /** The configured answerer (model, retry, fallback, budgets), built with the meter's observer. */
  readonly answerer: TutorAnswerer;
  readonly meter: LlmMeter;
  readonly cases: readonly EvaluationCase[];
  /** After each case, e.g. to show progress. */
  readonly onCase?: (measure: LlmCaseMeasure, done: number, total: number) => void;
}

export async function runLlmEvaluation(deps: LlmEvaluationDeps): Promise<LlmEvaluationReport> {
  const measures: LlmCaseMeasure[] = [];
  for (const entry of deps.cases) {
    const measure = await measureCase(deps, entry);
    measures.push(measure);
    deps.onCase?.(measure, measures.length, deps.cases.length);
  }
  return summarizeLlmMeasures(measures);
}

async function measureCase(deps: LlmEvaluationDeps, entry: EvaluationCase): Promise<LlmCaseMeasure> {
  const history: ConversationTurn[] = [];
  for (const earlier of entry.turns.slice(0, -1)) {
    try {
      history.push(toTurn(earlier, await deps.answerer.answer({ question: earlier, history: [...history] })));
    } catch {
      // A failed earlier turn leaves the history without it, as in a conversation.
    }
  }
  const question = entry.turns[entry.turns.length - 1] as string;
  deps.meter.reset();
  const started = performance.now();
  let firstWordMs: number | undefined;
  const base = { id: entry.id, covered: entry.covered, language: entry.language };
  try {
    const answer = await deps.answerer.answer({
      question,
      history,
      onDelta: (text) => {
        if (firstWordMs === undefined && text.trim() !== '') firstWordMs = performance.now() - started;
      },
      onReset: () => {
        firstWordMs = undefined;
      },
    });
    const totalMs = performance.now() - started;
    const { tokens, calls, stats } = deps.meter.read();
    const cited = answer.citations
      .map((citation) => deps.runtime.passageSearch.getChunk(citation.chunkId))
      .filter((chunk) => chunk !== undefined);
    return {
      ...base,
      mode: answer.mode,
      grounded: answer.grounded,
      answerLanguage: proseLanguage(answer.answer),
      ...(firstWordMs === undefined ? {} : { firstWordMs }),
      totalMs,
      tokens,
      modelCalls: calls,
      ...(stats === undefined ? {} : { markers: stats.markers, strategy: stats.strategy }),
      cited: cited.length,
      relevantCited: cited.filter((chunk) => isRelevant(chunk, entry)).length,
    };
  } catch (error) {
    const { tokens, calls } = deps.meter.read();
    return {
      ...base,
      mode: 'error',
      grounded: false,
      totalMs: performance.now() - started,
      tokens,
      modelCalls: calls,
      cited: 0,
      relevantCited: 0,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

/**
 * The language of an answer's prose: citation markers and parenthesised glosses (an English answer keeps Chinese terms
 * in parentheses) left out, Chinese when its CJK characters outnumber twice its Latin words.
 */
export function proseLanguage(answer: string): Language {
  const prose = answer.replace(/\[\d+\]/gu, '').replace(/[(（][^()（）]*[)）]/gu, '');
  const cjk = prose.match(/[\u3400-\u9fff\uf900-\ufaff]/gu)?.length ?? 0;
  const latinWords = prose.match(/[A-Za-z]+/gu)?.length ?? 0;
  return cjk > 2 * latinWords ? 'zh' : 'en';
}

export function summarizeLlmMeasures(measures: readonly LlmCaseMeasure[]): LlmEvaluationReport {
  const share = (count: number, total: number): number => (total === 0 ? Number.NaN : count / total);
  const model = measures.filter((measure) => measure.mode === 'llm');
  const coveredModel = model.filter((measure) => measure.covered);
  const emitted = model.reduce((sum, measure) => sum + (measure.markers?.emitted ?? 0), 0);
  const kept = model.reduce((sum, measure) => sum + (measure.markers?.kept ?? 0), 0);
  const cited = coveredModel.reduce((sum, measure) => sum + measure.cited, 0);
  const relevant = coveredModel.reduce((sum, measure) => sum + measure.relevantCited, 0);
  const strategies: Record<string, number> = {};
  for (const measure of model) if (measure.strategy !== undefined) strategies[measure.strategy] = (strategies[measure.strategy] ?? 0) + 1;
  return {
    cases: measures.length,
    modelAnswers: model.length,
    fallbackRate: share(measures.filter((measure) => measure.mode !== 'llm').length, measures.length),
    groundedShare: share(coveredModel.filter((measure) => measure.grounded).length, coveredModel.length),
    citationValidity: share(kept, emitted),
    citationPrecision: share(relevant, cited),
    notCoveredAccuracy: share(model.filter((measure) => measure.grounded === measure.covered).length, model.length),
    answerLanguage: share(model.filter((measure) => measure.answerLanguage === measure.language).length, model.length),
    firstWordMs: percentiles(model.flatMap((measure) => (measure.firstWordMs === undefined ? [] : [measure.firstWordMs]))),
    totalMs: percentiles(model.map((measure) => measure.totalMs)),
    tokensPerAnswer: share(
      model.reduce((sum, measure) => sum + measure.tokens, 0),
      model.length,
    ),
    strategies,
    measures,
  };
}

/** Nearest-rank percentiles; NaN when there is nothing to rank. */
export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((left, right) => left - right);
  const at = (fraction: number): number =>
    sorted.length === 0 ? Number.NaN : (sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] as number);
  return { p50: at(0.5), p95: at(0.95) };
}

/** The LLM-mode section `npm run eval -- --llm` prints (see docs/BENCHMARKS.md, "LLM-mode evaluation"). */
export function formatLlmEvaluation(report: LlmEvaluationReport, modelDescription: string): string {
  const figure = (value: number): string => (Number.isNaN(value) ? '-' : value.toFixed(3));
  const ms = (value: number): string => (Number.isNaN(value) ? '-' : value.toFixed(0));
  const strategies = Object.entries(report.strategies)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
  const lines = [
    `LLM mode: ${modelDescription}, ${report.cases} cases, ${report.modelAnswers} answered by the model (${strategies || 'none'})`,
    `fallback rate: ${figure(report.fallbackRate)}`,
    `grounded share (covered cases): ${figure(report.groundedShare)}`,
    `citation validity (kept / emitted): ${figure(report.citationValidity)}`,
    `citation precision: ${figure(report.citationPrecision)}`,
    `not-covered accuracy: ${figure(report.notCoveredAccuracy)}`,
    `answer language: ${figure(report.answerLanguage)}`,
    `time to first word: p50 ${ms(report.firstWordMs.p50)} ms, p95 ${ms(report.firstWordMs.p95)} ms`,
    `total answer time: p50 ${ms(report.totalMs.p50)} ms, p95 ${ms(report.totalMs.p95)} ms`,
    `tokens per answer: ${Number.isNaN(report.tokensPerAnswer) ? '-' : report.tokensPerAnswer.toFixed(0)}`,
  ];
  const failed = report.measures.filter((measure) => measure.mode !== 'llm');
  if (failed.length > 0) {
    lines.push(`not answered by the model: ${failed.map((measure) => `${measure.id} (${measure.error ?? measure.mode})`).join(', ')}`);
  }
  return lines.join('\n');
}

/**
 * The whole `--llm` run: the app as configured (model, retry, fallback, budgets) with a meter on the model, the cases
 * through it, the printed section. Fails with a clear message when no model is configured.
 */
export async function evaluateConfiguredModel(deps: {
  readonly config: TutorConfig;
  readonly logger: Logger;
  readonly cases: readonly EvaluationCase[];
  /** Progress lines (stderr in the CLI). @default none */
  readonly progress?: (line: string) => void;
}): Promise<string> {
  if (deps.config.llm === undefined) {
    throw new TutorError('CONFIG_INVALID', '--llm evaluates the configured model: set OPENAI_API_KEY (and OPENAI_BASE_URL, OPENAI_MODEL)');
  }
  const meter = createLlmMeter();
  const app = await createCorpusApp({ config: deps.config, logger: deps.logger, observeModel: meter.observer });
  await app.corpus.ensureIndex();
  const report = await runLlmEvaluation({
    runtime: app.corpus,
    answerer: app.answerer,
    meter,
    cases: deps.cases,
    onCase: (measure, done, total) => deps.progress?.(`[${done}/${total}] ${measure.id}: ${measure.mode} ${measure.totalMs.toFixed(0)} ms`),
  });
  return formatLlmEvaluation(report, app.llmDescription);
}
