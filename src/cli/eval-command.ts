/**
 * `npm run eval` prints retrieval and answer quality on test/eval/cases.json: hit@1, hit@3, MRR, citation precision
 * and not-covered accuracy. `-- --calibrate` adds the verdict accuracy at each coverage threshold; `-- --cases` lists
 * the misses; `-- --llm` adds the LLM-mode figures of the configured model (src/evaluation/llm-evaluation.ts).
 */
import path from 'node:path';
import { createCorpusApp } from '../app/create-app.js';
import { loadEvaluationCases } from '../evaluation/evaluation-cases.js';
import { evaluateConfiguredModel } from '../evaluation/llm-evaluation.js';
import { calibrateCoverageThreshold, runEvaluation } from '../evaluation/run-evaluation.js';
import { createCliLogger, loadCliConfig, runCli } from './cli-support.js';

runCli(async () => {
  const config = loadCliConfig();
  const logger = createCliLogger('warn');
  const { corpus: runtime } = await createCorpusApp({ config, logger });
  await runtime.ensureIndex();
  const cases = await loadEvaluationCases(path.resolve('test/eval/cases.json'));
  const started = performance.now();
  const report = await runEvaluation(runtime, cases);
  const elapsed = performance.now() - started;
  const percent = (value: number): string => value.toFixed(3);
  process.stdout.write(
    `${[
      `cases: ${report.caseCount} (${report.coveredCaseCount} covered, ${report.caseCount - report.coveredCaseCount} not covered)`,
      `hit@1: ${percent(report.hitAt1)}`,
      `hit@3: ${percent(report.hitAt3)}`,
      `MRR: ${percent(report.meanReciprocalRank)}`,
      `citation precision: ${percent(report.citationPrecision)}`,
      `not-covered accuracy: ${percent(report.notCoveredAccuracy)} (out-of-scope recall ${percent(report.notCoveredRecall)})`,
      `coverage threshold: ${config.retrieval.coverageThreshold}`,
      `time: ${elapsed.toFixed(0)} ms (${(elapsed / report.caseCount).toFixed(1)} ms per case)`,
    ].join('\n')}\n`,
  );
  if (process.argv.includes('--calibrate')) {
    process.stdout.write('\nthreshold  verdict accuracy\n');
    for (const row of calibrateCoverageThreshold(report.outcomes))
      process.stdout.write(`  ${row.threshold.toFixed(2)}     ${row.accuracy.toFixed(3)}\n`);
  }
  if (process.argv.includes('--cases')) {
    for (const outcome of report.outcomes) {
      const wrongVerdict = outcome.grounded !== outcome.covered;
      const miss = outcome.covered && (outcome.firstRelevantRank ?? Infinity) > 3;
      const imprecise = outcome.relevantCitedCount < outcome.citedChunkIds.length;
      if (wrongVerdict || miss || imprecise) {
        process.stdout.write(
          `- ${outcome.id}: rank=${outcome.firstRelevantRank ?? '-'} grounded=${outcome.grounded} expected=${outcome.covered} ` +
            `confidence=${outcome.confidence.toFixed(2)} cited=${outcome.relevantCitedCount}/${outcome.citedChunkIds.length} searched="${outcome.searchedFor}"\n`,
        );
      }
    }
  }
  // `--llm`: the same cases through the configured model (src/evaluation/llm-evaluation.ts).
  if (process.argv.includes('--llm')) {
    const progress = (line: string): void => void process.stderr.write(`${line}\n`);
    process.stdout.write(`\n${await evaluateConfiguredModel({ config, logger, cases, progress })}\n`);
  }
});
