import { missReasons } from './evaluation-metrics.js';
import { FIGURE_LABELS, formatFigure, formatFiguresTable, formatTargetGaps } from './report-table.js';
import { calibrateCoverageThreshold, type EvaluationReport } from './run-evaluation.js';

export interface EvaluationPrintOptions {
  /** Shown in the first line, e.g. `test/eval/cases.json`. */
  readonly casesFile: string;
  /** What answered, e.g. `offline` or `openai:gpt-4o-mini`. */
  readonly answererDescription: string;
  readonly coverageThreshold: number;
  readonly elapsedMs: number;
  /** Adds the verdict accuracy at each coverage threshold. @default false */
  readonly calibrate?: boolean;
  /** Lists every miss and why. @default false */
  readonly listMisses?: boolean;
}

/** The text `npm run eval` prints for a report (the offline run and a model run print the same). */
export function formatEvaluation(report: EvaluationReport, options: EvaluationPrintOptions): string {
  const { overall } = report;
  const lines: string[] = [
    `cases: ${overall.cases} (${overall.coveredCases} in the corpus, ${overall.cases - overall.coveredCases} out of scope) from ${options.casesFile}; answered by ${options.answererDescription}`,
    '',
    formatFiguresTable(report),
    '',
  ];
  for (const name of [
    'hitAt1',
    'hitAt3',
    'meanReciprocalRank',
    'citationPrecision',
    'spanShare',
    'notCoveredAccuracy',
    'outOfScopeRecall',
    'answerRecall',
    'typoCorrected',
  ] as const)
    lines.push(`${FIGURE_LABELS[name]}: ${formatFigure(overall[name])}`);
  const held = report.outcomes.flatMap((outcome) => (outcome.covered ? outcome.requirements : []));
  const heldBy = (way: string): number => held.filter((requirement) => requirement.heldBy === way).length;
  lines.push(
    `required sentences held: ${held.filter((requirement) => requirement.heldBy !== undefined).length}/${held.length} (quoting the original ${heldBy('original')}, the English rendering ${heldBy('rendering')}, by cited span only ${heldBy('span')})`,
    `${FIGURE_LABELS.bothSides}: ${formatFigure(overall.bothSides)} over ${overall.contrastCases} cases`,
    `${FIGURE_LABELS.englishProse}: ${formatFigure(overall.englishProse)} over ${overall.englishCases} cases`,
    `${FIGURE_LABELS.englishProseRendered}: ${formatFigure(overall.englishProseRendered)} over ${overall.englishRenderedCases} cases`,
    `coverage threshold: ${options.coverageThreshold}`,
    `time: ${options.elapsedMs.toFixed(0)} ms (${(options.elapsedMs / Math.max(1, overall.cases)).toFixed(1)} ms per case; median answer ${formatFigure(overall.medianAnswerMs)} ms)`,
    '',
    "against the issues' targets:",
    formatTargetGaps(overall),
  );
  if (options.calibrate) {
    lines.push('', 'threshold  verdict accuracy');
    for (const row of calibrateCoverageThreshold(report.outcomes))
      lines.push(`  ${row.threshold.toFixed(2)}     ${row.accuracy.toFixed(3)}`);
  }
  if (options.listMisses) {
    lines.push('', 'misses:');
    for (const outcome of report.outcomes) {
      const reasons = missReasons(outcome);
      if (reasons.length === 0) continue;
      const corrections = outcome.corrections?.map((correction) => `${correction.from}→${correction.to}`).join(',');
      lines.push(
        `- ${outcome.id} [${outcome.category}/${outcome.language}]: ${reasons.join('; ')} | confidence=${outcome.confidence.toFixed(2)} ` +
          `searched="${outcome.searchedFor}"${corrections ? ` corrected=${corrections}` : ''}`,
      );
    }
  }
  return lines.join('\n');
}
