/**
 * `npm run eval -- --llm`: the evaluation cases through the configured model, by the same runner and scoring as the
 * offline run (`runEvaluation` with the configured answerer in its `answerer` seam: earlier turns answered first and given
 * as history, every question prepared as the product does, the last turn scored), so every figure of the offline report
 * (hit@k, MRR, citation precision, not-covered accuracy, answer recall...) is computed for the model by the same code.
 * On top, what only a model run can tell:
 * - fallback rate (answers the offline answerer gave because the model failed or its budget was spent);
 * - grounded share, citation validity (passage numbers the model cited that the guard kept, over all it cited), and the
 *   standard figures over the model's own answers (fallback answers left out);
 * - answer language (the answer's prose in the case's language);
 * - latency: time to the first streamed word and to the whole answer (p50, p95);
 * - tokens per answer (the server's usage, or the estimate when it sends none), and which strategy answered.
 * Only the last turn of each case is measured.
 */
import type { ModelObserver } from '../app/create-answerer.js';
import { createCorpusApp } from '../app/create-app.js';
import type { TutorConfig } from '../config.js';
import { TutorError } from '../errors/tutor-error.js';
import type { Logger } from '../support/logger.js';
import type { LlmAnswerStats } from '../tutor/llm/llm-tutor-answerer.js';
import type { Language, TutorAnswerer } from '../tutor/tutor-types.js';
import type { CaseRecord } from './case-runner.js';
import type { EvaluationCase } from './evaluation-cases.js';
import { computeFigures, type EvaluationFigures } from './evaluation-metrics.js';
import { formatEvaluation } from './format-evaluation.js';
import { formatFigure } from './report-table.js';
import { type EvaluationReport, type EvaluationRuntime, runEvaluation } from './run-evaluation.js';

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
  /** The offline report's figures for this run, every case (fallback answers included), by the same code. */
  readonly evaluation: EvaluationReport;
  /** The same figures over the cases the model answered (fallback answers left out). */
  readonly modelFigures: EvaluationFigures;
}

export interface LlmEvaluationDeps {
  /** The index and search the scoring reads (ranks, sentences). */
  readonly runtime: EvaluationRuntime;
  /** The configured answerer (model, retry, fallback, budgets), built with the meter's observer. */
  readonly answerer: TutorAnswerer;
  readonly meter: LlmMeter;
  readonly cases: readonly EvaluationCase[];
  /** After each case, e.g. to show progress. */
  readonly onCase?: (measure: LlmCaseMeasure, done: number, total: number) => void;
}

export async function runLlmEvaluation(deps: LlmEvaluationDeps): Promise<LlmEvaluationReport> {
  const measures: LlmCaseMeasure[] = [];
  const evaluation = await runEvaluation(deps.runtime, deps.cases, {
    answerer: deps.answerer,
    // The meter counts the measured (last) turn only: earlier turns are the conversation's history.
    onTurnStart: (entry, turn) => {
      if (turn === entry.turns.length - 1) deps.meter.reset();
    },
    onRecord: (record, done, total) => {
      const measure = measureRecord(deps.cases[done - 1] as EvaluationCase, record, deps.meter.read());
      measures.push(measure);
      deps.onCase?.(measure, done, total);
    },
  });
  const modelFigures = computeFigures(evaluation.outcomes.filter((_outcome, position) => measures[position]?.mode === 'llm'));
  return { ...summarizeLlmMeasures(measures), notCoveredAccuracy: modelFigures.notCoveredAccuracy ?? Number.NaN, evaluation, modelFigures };
}

/** What the model did for a case's last turn, from the runner's record and the meter. */
function measureRecord(entry: EvaluationCase, record: CaseRecord, metered: ReturnType<LlmMeter['read']>): LlmCaseMeasure {
  const { final } = record;
  const { tokens, calls, stats } = metered;
  const base = { id: entry.id, covered: entry.covered, language: entry.language, totalMs: final.answerMs, tokens, modelCalls: calls };
  if (final.answer === undefined) return { ...base, mode: 'error', grounded: false, error: final.error ?? 'no answer' };
  return {
    ...base,
    mode: final.answer.mode,
    grounded: final.answer.grounded,
    answerLanguage: proseLanguage(final.answer.answer),
    ...(final.firstWordMs === undefined ? {} : { firstWordMs: final.firstWordMs }),
    ...(stats === undefined ? {} : { markers: stats.markers, strategy: stats.strategy }),
  };
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

/** The model-only figures of the measured turns. */
export function summarizeLlmMeasures(
  measures: readonly LlmCaseMeasure[],
): Omit<LlmEvaluationReport, 'evaluation' | 'modelFigures' | 'notCoveredAccuracy'> {
  const share = (count: number, total: number): number => (total === 0 ? Number.NaN : count / total);
  const model = measures.filter((measure) => measure.mode === 'llm');
  const coveredModel = model.filter((measure) => measure.covered);
  const emitted = model.reduce((sum, measure) => sum + (measure.markers?.emitted ?? 0), 0);
  const kept = model.reduce((sum, measure) => sum + (measure.markers?.kept ?? 0), 0);
  const strategies: Record<string, number> = {};
  for (const measure of model) if (measure.strategy !== undefined) strategies[measure.strategy] = (strategies[measure.strategy] ?? 0) + 1;
  return {
    cases: measures.length,
    modelAnswers: model.length,
    fallbackRate: share(measures.filter((measure) => measure.mode !== 'llm').length, measures.length),
    groundedShare: share(coveredModel.filter((measure) => measure.grounded).length, coveredModel.length),
    citationValidity: share(kept, emitted),
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
  const model = report.modelFigures;
  const ms = (value: number): string => (Number.isNaN(value) ? '-' : value.toFixed(0));
  const strategies = Object.entries(report.strategies)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
  const lines = [
    `LLM mode: ${modelDescription}, ${report.cases} cases, ${report.modelAnswers} answered by the model (${strategies || 'none'})`,
    `fallback rate: ${figure(report.fallbackRate)}`,
    `grounded share (covered cases): ${figure(report.groundedShare)}`,
    `citation validity (kept / emitted): ${figure(report.citationValidity)}`,
    `answer language: ${figure(report.answerLanguage)}`,
    `time to first word: p50 ${ms(report.firstWordMs.p50)} ms, p95 ${ms(report.firstWordMs.p95)} ms`,
    `total answer time: p50 ${ms(report.totalMs.p50)} ms, p95 ${ms(report.totalMs.p95)} ms`,
    `tokens per answer: ${Number.isNaN(report.tokensPerAnswer) ? '-' : report.tokensPerAnswer.toFixed(0)}`,
    `over the model's answers only (fallbacks left out; same code as the report below): citation precision ${formatFigure(model.citationPrecision)}, ` +
      `not-covered accuracy ${formatFigure(model.notCoveredAccuracy)}, answer recall ${formatFigure(model.answerRecall)}, ` +
      `both sides ${formatFigure(model.bothSides)}, English prose ${formatFigure(model.englishProse)}`,
  ];
  const failed = report.measures.filter((measure) => measure.mode !== 'llm');
  if (failed.length > 0) {
    lines.push(`not answered by the model: ${failed.map((measure) => `${measure.id} (${measure.error ?? measure.mode})`).join(', ')}`);
  }
  return lines.join('\n');
}

/**
 * The whole `--llm` run: the app as configured (model, retry, fallback, budgets) with a meter on the model, the cases
 * through the evaluation runner, the printed section: the model-only lines first, then the offline report's figures and
 * tables for this run (every case, fallback answers included). Fails with a clear message when no model is configured.
 */
export async function evaluateConfiguredModel(deps: {
  readonly config: TutorConfig;
  readonly logger: Logger;
  readonly cases: readonly EvaluationCase[];
  /** Progress lines (stderr in the CLI). @default none */
  readonly progress?: (line: string) => void;
  /** Shown with the figures, e.g. `test/eval/cases.json`. @default 'the given cases' */
  readonly casesFile?: string;
}): Promise<string> {
  if (deps.config.llm === undefined) {
    throw new TutorError('CONFIG_INVALID', '--llm evaluates the configured model: set OPENAI_API_KEY (and OPENAI_BASE_URL, OPENAI_MODEL)');
  }
  const meter = createLlmMeter();
  const app = await createCorpusApp({ config: deps.config, logger: deps.logger, observeModel: meter.observer });
  await app.corpus.ensureIndex();
  const started = performance.now();
  const report = await runLlmEvaluation({
    runtime: app.corpus,
    answerer: app.answerer,
    meter,
    cases: deps.cases,
    onCase: (measure, done, total) => deps.progress?.(`[${done}/${total}] ${measure.id}: ${measure.mode} ${measure.totalMs.toFixed(0)} ms`),
  });
  const figures = formatEvaluation(report.evaluation, {
    casesFile: deps.casesFile ?? 'the given cases',
    answererDescription: `${app.llmDescription} (with its retry, offline fallback and budgets)`,
    coverageThreshold: deps.config.retrieval.coverageThreshold,
    elapsedMs: performance.now() - started,
  });
  return `${formatLlmEvaluation(report, app.llmDescription)}\n\n${figures}`;
}
