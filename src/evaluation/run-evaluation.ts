import type { CorpusRuntime } from '../app/create-corpus-runtime.js';
import type { TutorAnswerer } from '../tutor/tutor-types.js';
import { answerCases, type CaseRecord, type CaseRunnerOptions } from './case-runner.js';
import { createCorpusSentences } from './corpus-sentences.js';
import { CASE_CATEGORIES, type EvaluationCase } from './evaluation-cases.js';
import { computeFigures, type EvaluationFigures } from './evaluation-metrics.js';
import { type CaseOutcome, scoreCase } from './score-case.js';

export { toTurn } from './case-runner.js';
export { isRelevant } from './score-case.js';
export type { CaseOutcome };

/** What the evaluation needs of the corpus runtime: the index, the search (for ranks) and the offline answerer. */
export type EvaluationRuntime = Pick<CorpusRuntime, 'currentIndex' | 'passageSearch' | 'offlineAnswerer'>;

export interface EvaluationOptions extends CaseRunnerOptions {
  /** Answers the cases: the offline answerer, or a model with its fallback (`--llm`). @default runtime.offlineAnswerer */
  readonly answerer?: TutorAnswerer;
  /** Passages ranked per query for hit@k and MRR. @default 4 */
  readonly k?: number;
}

export interface EvaluationReport {
  readonly overall: EvaluationFigures;
  /** One row per category that has cases, in CASE_CATEGORIES order. */
  readonly byCategory: readonly { readonly category: string; readonly figures: EvaluationFigures }[];
  readonly byLanguage: readonly { readonly language: string; readonly figures: EvaluationFigures }[];
  readonly outcomes: readonly CaseOutcome[];
  /** What the answerer produced for each case (answers, citations, timings), in case order. */
  readonly records: readonly CaseRecord[];
}

/**
 * Runs every case through the answerer the way a learner's conversation goes (earlier turns become history, each
 * question passes the product's preparation), then scores the last answer: rank of the first relevant passage for the
 * query the answer searched (before the coverage cut), the covered verdict, citation precision on sentence spans,
 * the required sentences and sides the answer holds, and the language of its prose.
 */
export async function runEvaluation(
  runtime: EvaluationRuntime,
  cases: readonly EvaluationCase[],
  options: EvaluationOptions = {},
): Promise<EvaluationReport> {
  const k = options.k ?? 4;
  const answerer = options.answerer ?? runtime.offlineAnswerer;
  const records = await answerCases(answerer, cases, options);
  const sentences = createCorpusSentences(runtime.currentIndex().chunks);
  const rank = (query: string) => runtime.passageSearch.searchWithEvidence(query, { k });
  const outcomes: CaseOutcome[] = [];
  for (const [position, entry] of cases.entries()) outcomes.push(await scoreCase(entry, records[position] as CaseRecord, sentences, rank));
  return { ...summarize(outcomes), outcomes, records };
}

/** Overall, per-category and per-language figures of scored outcomes. */
export function summarize(outcomes: readonly CaseOutcome[]): Pick<EvaluationReport, 'overall' | 'byCategory' | 'byLanguage'> {
  return {
    overall: computeFigures(outcomes),
    byCategory: CASE_CATEGORIES.map((category) => ({
      category,
      figures: computeFigures(outcomes.filter((o) => o.category === category)),
    })).filter((row) => row.figures.cases > 0),
    byLanguage: (['zh', 'en'] as const)
      .map((language) => ({ language, figures: computeFigures(outcomes.filter((o) => o.language === language)) }))
      .filter((row) => row.figures.cases > 0),
  };
}

/** Accuracy of the covered verdict at each threshold, from the confidences measured in one run. */
export function calibrateCoverageThreshold(outcomes: readonly CaseOutcome[]): { threshold: number; accuracy: number }[] {
  const rows: { threshold: number; accuracy: number }[] = [];
  for (let step = 0; step <= 100; step += 5) {
    const threshold = step / 100;
    const right = outcomes.filter((outcome) => outcome.confidence >= threshold === outcome.covered).length;
    rows.push({ threshold, accuracy: right / outcomes.length });
  }
  return rows;
}
