import type { EvaluationFigures, FigureName } from './evaluation-metrics.js';
import { ISSUE_TARGETS } from './evaluation-targets.js';
import type { EvaluationReport } from './run-evaluation.js';

const COLUMNS: readonly { readonly title: string; readonly figure: FigureName }[] = [
  { title: 'hit@1', figure: 'hitAt1' },
  { title: 'hit@3', figure: 'hitAt3' },
  { title: 'MRR', figure: 'meanReciprocalRank' },
  { title: 'citeP', figure: 'citationPrecision' },
  { title: 'NC-acc', figure: 'notCoveredAccuracy' },
  { title: 'recall', figure: 'answerRecall' },
  { title: 'sides', figure: 'bothSides' },
  { title: 'en-prose', figure: 'englishProse' },
  { title: 'en-rend', figure: 'englishProseRendered' },
];

/** Human names of the figures, for lines such as the gap to the issue's targets. */
export const FIGURE_LABELS: Readonly<Record<FigureName, string>> = {
  hitAt1: 'hit@1',
  hitAt3: 'hit@3',
  meanReciprocalRank: 'MRR',
  citationPrecision: 'citation precision (sentence level)',
  spanShare: 'share of cited units that are sentence spans',
  notCoveredAccuracy: 'not-covered accuracy',
  outOfScopeRecall: 'out-of-scope recall',
  answerRecall: 'answer recall',
  bothSides: 'both sides (contrast cases)',
  englishProse: 'English prose (all English in-corpus cases)',
  englishProseRendered: 'English prose (English cases with a rendering)',
  typoCorrected: 'pinyin typos answered with their correction ("did you mean")',
  medianAnswerMs: 'median answer time (ms)',
};

export function formatFigure(value: number | null): string {
  return value === null ? '-' : value.toFixed(3);
}

/** One row per category, then per language, then overall: `-` where a figure does not apply to the group. */
export function formatFiguresTable(report: Pick<EvaluationReport, 'overall' | 'byCategory' | 'byLanguage'>): string {
  const rows: [string, EvaluationFigures][] = [
    ...report.byCategory.map((row): [string, EvaluationFigures] => [row.category, row.figures]),
    ...report.byLanguage.map((row): [string, EvaluationFigures] => [`language ${row.language}`, row.figures]),
    ['overall', report.overall],
  ];
  const header = ['group', 'cases', ...COLUMNS.map((column) => column.title)];
  const body = rows.map(([name, figures]) => [
    name,
    String(figures.cases),
    ...COLUMNS.map((column) => formatFigure(figures[column.figure])),
  ]);
  const widths = header.map((title, index) => Math.max(title.length, ...body.map((row) => (row[index] as string).length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, index) => (index === 0 ? cell.padEnd(widths[index] as number) : cell.padStart(widths[index] as number))).join('  ');
  return [line(header), ...body.map(line)].join('\n');
}

/** Each target of the issues beside the overall figure and the gap still to close. */
export function formatTargetGaps(overall: EvaluationFigures): string {
  return Object.entries(ISSUE_TARGETS)
    .map(([name, target]) => {
      const value = overall[name as FigureName];
      const gap =
        value === null ? 'not measurable yet' : value >= (target as number) ? 'met' : `gap ${((target as number) - value).toFixed(3)}`;
      return `  ${FIGURE_LABELS[name as FigureName]}: ${formatFigure(value)} (target ${target}; ${gap})`;
    })
    .join('\n');
}
