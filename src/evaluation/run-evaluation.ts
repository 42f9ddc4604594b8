import type { CorpusRuntime } from '../app/create-corpus-runtime.js';
import type { ChunkRecord } from '../ingest/chunk-types.js';
import { normalizeQuestion } from '../retrieval/question-normalizer.js';
import type { ConversationTurn, TutorAnswer } from '../tutor/tutor-types.js';
import type { EvaluationCase } from './evaluation-cases.js';

export interface CaseOutcome {
  readonly id: string;
  readonly covered: boolean;
  readonly searchedFor: string;
  /** Evidence strength the covered/not-covered verdict was made on. */
  readonly confidence: number;
  readonly grounded: boolean;
  /** 1-based rank of the first relevant passage among the retrieved ones; undefined when none is relevant. */
  readonly firstRelevantRank?: number;
  readonly citedChunkIds: readonly string[];
  readonly relevantCitedCount: number;
}

export interface EvaluationReport {
  readonly caseCount: number;
  readonly coveredCaseCount: number;
  readonly hitAt1: number;
  readonly hitAt3: number;
  readonly meanReciprocalRank: number;
  /** Share of cited passages that are relevant, over every citation of every covered case. */
  readonly citationPrecision: number;
  /** Share of all cases whose covered/not-covered verdict is right. */
  readonly notCoveredAccuracy: number;
  /** Share of the out-of-scope cases that were answered as not covered. */
  readonly notCoveredRecall: number;
  readonly outcomes: readonly CaseOutcome[];
}

/** Whether a passage answers a case: it contains one of the case's expected verbatim phrases. */
export function isRelevant(chunk: Pick<ChunkRecord, 'text'>, evaluationCase: EvaluationCase): boolean {
  return evaluationCase.expect.some((phrase) => chunk.text.includes(phrase));
}

/**
 * Runs every case through the same path a learner's question takes: earlier turns are answered to build the history,
 * the last turn is resolved into a standalone query, retrieved (ranking measured before the coverage cut) and answered
 * (citations and grounded verdict measured on the answer).
 */
export async function runEvaluation(
  runtime: CorpusRuntime,
  cases: readonly EvaluationCase[],
  options: { k?: number } = {},
): Promise<EvaluationReport> {
  const k = options.k ?? 4;
  const outcomes: CaseOutcome[] = [];
  for (const evaluationCase of cases) {
    const history: ConversationTurn[] = [];
    // Every turn is read as the server reads it: through the one question normaliser.
    for (const earlier of evaluationCase.turns.slice(0, -1).map(normalizeQuestion))
      history.push(toTurn(earlier, await runtime.offlineAnswerer.answer({ question: earlier, history })));
    const question = normalizeQuestion(evaluationCase.turns[evaluationCase.turns.length - 1] as string);
    const searchedFor = runtime.resolveStandaloneQuery(question, history);
    const evidence = await runtime.passageSearch.searchWithEvidence(searchedFor, { k });
    const rank = evidence.ranked.findIndex((passage) => isRelevant(passage.chunk, evaluationCase));
    const answer = await runtime.offlineAnswerer.answer({ question, history });
    const cited = answer.citations
      .map((citation) => runtime.passageSearch.getChunk(citation.chunkId))
      .filter((chunk) => chunk !== undefined);
    outcomes.push({
      id: evaluationCase.id,
      covered: evaluationCase.covered,
      searchedFor,
      confidence: evidence.confidence,
      grounded: answer.grounded,
      ...(rank >= 0 ? { firstRelevantRank: rank + 1 } : {}),
      citedChunkIds: cited.map((chunk) => chunk.chunkId),
      relevantCitedCount: cited.filter((chunk) => isRelevant(chunk, evaluationCase)).length,
    });
  }
  const coveredOutcomes = outcomes.filter((outcome) => outcome.covered);
  const uncoveredOutcomes = outcomes.filter((outcome) => !outcome.covered);
  const share = (count: number, total: number): number => (total === 0 ? 1 : count / total);
  const citedTotal = coveredOutcomes.reduce((sum, outcome) => sum + outcome.citedChunkIds.length, 0);
  const citedRelevant = coveredOutcomes.reduce((sum, outcome) => sum + outcome.relevantCitedCount, 0);
  return {
    caseCount: outcomes.length,
    coveredCaseCount: coveredOutcomes.length,
    hitAt1: share(coveredOutcomes.filter((outcome) => outcome.firstRelevantRank === 1).length, coveredOutcomes.length),
    hitAt3: share(coveredOutcomes.filter((outcome) => (outcome.firstRelevantRank ?? Infinity) <= 3).length, coveredOutcomes.length),
    meanReciprocalRank: share(
      coveredOutcomes.reduce((sum, outcome) => sum + (outcome.firstRelevantRank === undefined ? 0 : 1 / outcome.firstRelevantRank), 0),
      coveredOutcomes.length,
    ),
    citationPrecision: share(citedRelevant, citedTotal),
    notCoveredAccuracy: share(outcomes.filter((outcome) => outcome.grounded === outcome.covered).length, outcomes.length),
    notCoveredRecall: share(uncoveredOutcomes.filter((outcome) => !outcome.grounded).length, uncoveredOutcomes.length),
    outcomes,
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

export function toTurn(question: string, answer: TutorAnswer): ConversationTurn {
  return {
    question,
    searchedFor: answer.searchedFor,
    answer: answer.answer,
    citedChunkIds: answer.citations.map((citation) => citation.chunkId),
    language: answer.language,
  };
}
