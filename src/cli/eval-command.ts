/**
 * `npm run eval` prints retrieval and answer quality on test/eval/cases.json, per category, per language and overall:
 * hit@1, hit@3, MRR, citation precision (sentence spans; passages when an answer gives none), not-covered accuracy,
 * answer recall, both sides (contrast cases) and English prose, then the gap to the issues' targets.
 * `-- --calibrate` adds the verdict accuracy at each coverage threshold; `-- --cases` lists the misses and why.
 * `-- --file <path>` evaluates another case file.
 */
import path from 'node:path';
import { createCorpusApp } from '../app/create-app.js';
import { loadEvaluationCases } from '../evaluation/evaluation-cases.js';
import { missReasons } from '../evaluation/evaluation-metrics.js';
import { FIGURE_LABELS, formatFigure, formatFiguresTable, formatTargetGaps } from '../evaluation/report-table.js';
import { calibrateCoverageThreshold, runEvaluation } from '../evaluation/run-evaluation.js';
import { createCliLogger, loadCliConfig, runCli } from './cli-support.js';

runCli(async () => {
  const argv = process.argv.slice(2);
  const fileFlag = argv.indexOf('--file');
  const casesFile = path.resolve(fileFlag >= 0 && argv[fileFlag + 1] ? (argv[fileFlag + 1] as string) : 'test/eval/cases.json');
  const config = loadCliConfig();
  const logger = createCliLogger('warn');
  const { corpus: runtime } = await createCorpusApp({ config, logger });
  await runtime.ensureIndex();
  const cases = await loadEvaluationCases(casesFile);
  // The answerer under evaluation: offline here; any TutorAnswerer (a model with its fallback) can be passed instead.
  const answerer = runtime.offlineAnswerer;
  const started = performance.now();
  const report = await runEvaluation(runtime, cases, { answerer });
  const elapsed = performance.now() - started;
  const { overall } = report;
  const out = (text: string): boolean => process.stdout.write(`${text}\n`);
  out(
    `cases: ${overall.cases} (${overall.coveredCases} in the corpus, ${overall.cases - overall.coveredCases} out of scope) from ${path.relative(process.cwd(), casesFile)}`,
  );
  out('');
  out(formatFiguresTable(report));
  out('');
  for (const name of [
    'hitAt1',
    'hitAt3',
    'meanReciprocalRank',
    'citationPrecision',
    'spanShare',
    'notCoveredAccuracy',
    'outOfScopeRecall',
    'answerRecall',
  ] as const)
    out(`${FIGURE_LABELS[name]}: ${formatFigure(overall[name])}`);
  out(`${FIGURE_LABELS.bothSides}: ${formatFigure(overall.bothSides)} over ${overall.contrastCases} cases`);
  out(`${FIGURE_LABELS.englishProse}: ${formatFigure(overall.englishProse)} over ${overall.englishCases} cases`);
  out(`${FIGURE_LABELS.englishProseRendered}: ${formatFigure(overall.englishProseRendered)} over ${overall.englishRenderedCases} cases`);
  out(`coverage threshold: ${config.retrieval.coverageThreshold}`);
  out(
    `time: ${elapsed.toFixed(0)} ms (${(elapsed / overall.cases).toFixed(1)} ms per case; median answer ${formatFigure(overall.medianAnswerMs)} ms)`,
  );
  out("\nagainst the issues' targets:");
  out(formatTargetGaps(overall));
  if (argv.includes('--calibrate')) {
    out('\nthreshold  verdict accuracy');
    for (const row of calibrateCoverageThreshold(report.outcomes)) out(`  ${row.threshold.toFixed(2)}     ${row.accuracy.toFixed(3)}`);
  }
  if (argv.includes('--cases')) {
    out('\nmisses:');
    for (const outcome of report.outcomes) {
      const reasons = missReasons(outcome);
      if (reasons.length === 0) continue;
      const corrections = outcome.corrections?.map((correction) => `${correction.from}→${correction.to}`).join(',');
      out(
        `- ${outcome.id} [${outcome.category}/${outcome.language}]: ${reasons.join('; ')} | confidence=${outcome.confidence.toFixed(2)} ` +
          `searched="${outcome.searchedFor}"${corrections ? ` corrected=${corrections}` : ''}`,
      );
    }
  }
});
