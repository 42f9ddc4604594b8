/**
 * Every offline answer of the evaluation conversations (with their history, suggestions included) and of the serving
 * bench's 400 learner questions, one JSON line each: run it on two trees and diff the files to show that a change
 * leaves answers byte-identical.
 *
 *   node --import tsx scripts/bench/dump-answers.ts --out=/tmp/answers.jsonl --data-dir=/tmp/index [--warm]
 *
 * `--warm` waits for the idle warm-up of follow-up suggestion checks before the first answer; without it every check
 * is made by the answer that first needs it. Both must give the same file.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { createCorpusApp } from '../../src/app/create-app.js';
import { loadConfig } from '../../src/config.js';
import { loadEvaluationCases } from '../../src/evaluation/evaluation-cases.js';
import { toTurn } from '../../src/evaluation/run-evaluation.js';
import type { ConversationTurn } from '../../src/tutor/tutor-types.js';
import { parseSectionArguments, repositoryRoot, requireValue } from './bench-support.js';
import { createLearnerQuestions } from './learner-questions.js';

const args = parseSectionArguments();
const { out } = args;
const dataDir = requireValue(args, 'data-dir');
const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, repositoryRoot);
const runtime = (await createCorpusApp({ config, logger: pino({ level: 'silent' }) })).corpus;
await runtime.ensureIndex();
if (args.values.get('warm') === 'true') await runtime.whenWarm();
const cases = await loadEvaluationCases(path.join(repositoryRoot, 'test', 'eval', 'cases.json'));
const lines: string[] = [];
for (const [caseNumber, testCase] of cases.entries()) {
  const history: ConversationTurn[] = [];
  for (const turn of testCase.turns) {
    const answer = await runtime.offlineAnswerer.answer({ question: turn, history });
    lines.push(JSON.stringify({ case: caseNumber, turn, answer }));
    history.push(toTurn(turn, answer));
  }
}
const question = createLearnerQuestions(runtime.analyzer.glossary);
for (let n = 0; n < 400; n += 1)
  lines.push(JSON.stringify({ n, answer: await runtime.offlineAnswerer.answer({ question: question(n), history: [] }) }));
await writeFile(out, `${lines.join('\n')}\n`);
process.stdout.write(`${lines.length} answers written to ${out}\n`);
process.exit(0);
