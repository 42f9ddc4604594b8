import type { FigureName } from './evaluation-metrics.js';

/**
 * The figures issues #11 and #12 ask of the tutor (overall, on test/eval/cases.json). The unit test's floors start at
 * what main reaches and are raised toward these as the mechanisms land; `npm run eval` prints the gap.
 */
export const ISSUE_TARGETS: Readonly<Partial<Record<FigureName, number>>> = {
  hitAt1: 0.9,
  hitAt3: 0.97,
  citationPrecision: 0.85,
  notCoveredAccuracy: 0.95,
  answerRecall: 0.9,
  bothSides: 0.9,
  englishProseRendered: 1,
};
