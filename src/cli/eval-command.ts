/**
 * `npm run eval` prints retrieval and answer quality on test/eval/cases.json, per category, per language and overall:
 * hit@1, hit@3, MRR, citation precision (sentence spans; passages when an answer gives none), not-covered accuracy,
 * answer recall, both sides (contrast cases) and English prose, then the gap to the issues' targets.
 * `-- --calibrate` adds the verdict accuracy at each coverage threshold; `-- --cases` lists the misses and why;
 * `-- --file <path>` evaluates another case file; `-- --llm` adds the LLM-mode figures of the configured model
 * (src/evaluation/llm-evaluation.ts).
 */
import path from 'node:path';
import { createCorpusApp } from '../app/create-app.js';
import { loadEvaluationCases } from '../evaluation/evaluation-cases.js';
import { formatEvaluation } from '../evaluation/format-evaluation.js';
import { evaluateConfiguredModel } from '../evaluation/llm-evaluation.js';
import { runEvaluation } from '../evaluation/run-evaluation.js';
import type { TutorAnswerer } from '../tutor/tutor-types.js';
import { createCliLogger, loadCliConfig, runCli } from './cli-support.js';
import { readCommandLine } from './command-line.js';

const USAGE = `usage: npm run eval -- [--file <cases.json>] [--cases] [--calibrate] [--llm]
  --file <path>   the case file to evaluate (default test/eval/cases.json)
  --cases         list every miss and why
  --calibrate     add the verdict accuracy at each coverage threshold
  --llm           add the configured model's figures (needs OPENAI_API_KEY)`;

const OPTIONS = {
  file: { type: 'string' },
  cases: { type: 'boolean' },
  calibrate: { type: 'boolean' },
  llm: { type: 'boolean' },
} as const;

runCli(async () => {
  const { options } = readCommandLine({ usage: USAGE, options: OPTIONS });
  const casesFile = path.resolve(options.file ?? 'test/eval/cases.json');
  const config = loadCliConfig();
  const logger = createCliLogger('warn');
  const { corpus: runtime } = await createCorpusApp({ config, logger });
  await runtime.ensureIndex();
  const cases = await loadEvaluationCases(casesFile);
  // The answerer under evaluation. runEvaluation takes any TutorAnswerer: a model run passes its own here.
  const answerer: TutorAnswerer = runtime.offlineAnswerer;
  const answererDescription = 'offline';
  const started = performance.now();
  const report = await runEvaluation(runtime, cases, { answerer });
  const text = formatEvaluation(report, {
    casesFile: path.relative(process.cwd(), casesFile),
    answererDescription,
    coverageThreshold: config.retrieval.coverageThreshold,
    elapsedMs: performance.now() - started,
    calibrate: options.calibrate,
    listMisses: options.cases,
  });
  process.stdout.write(`${text}\n`);
  // `--llm`: the same cases through the configured model, by the same runner and scoring (src/evaluation/llm-evaluation.ts).
  if (options.llm) {
    const progress = (line: string): void => void process.stderr.write(`${line}\n`);
    const casesFileShown = path.relative(process.cwd(), casesFile);
    process.stdout.write(`\n${await evaluateConfiguredModel({ config, logger, cases, progress, casesFile: casesFileShown })}\n`);
  }
});
