/**
 * `npm run ask -- "question"` answers once; `npm run ask` alone opens an interactive prompt that keeps the conversation,
 * so follow-ups ("那调教呢？") work. The index is built first if it is missing or stale.
 */
import { createInterface } from 'node:readline';
import { createCorpusApp } from '../app/create-app.js';
import { TutorError } from '../errors/tutor-error.js';
import { toTurn } from '../evaluation/run-evaluation.js';
import { normalizeQuestion } from '../retrieval/question-normalizer.js';
import type { ConversationTurn } from '../tutor/tutor-types.js';
import { createCliLogger, createProgressReporter, loadCliConfig, runCli } from './cli-support.js';
import { readCommandLine } from './command-line.js';
import { formatAnswerForTerminal } from './format-answer.js';

const USAGE = `usage: npm run ask -- [--] "<question>"   answer one question offline
       npm run ask                      an interactive prompt that keeps the conversation (/new, /exit)`;

runCli(async () => {
  const commandLine = readCommandLine({ usage: USAGE, options: {}, positionals: true });
  const config = loadCliConfig();
  const logger = createCliLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const { corpus: runtime } = await createCorpusApp({ config, logger });
  const progress = createProgressReporter();
  const prepared = await runtime.ensureIndex({ onProgress: progress.onProgress });
  progress.stop();
  if (prepared.rebuilt) process.stderr.write(`(index rebuilt: ${prepared.reason})\n`);

  const question = normalizeQuestion(commandLine.positionals.join(' '));
  // A question given but empty (`npm run ask -- ""`) is a mistake, not a request for the interactive prompt.
  if (commandLine.positionals.length > 0 && question === '') throw new TutorError('INVALID_REQUEST', `The question is empty.\n${USAGE}`);
  if (question !== '') {
    const answer = await runtime.offlineAnswerer.answer({ question });
    process.stdout.write(`${formatAnswerForTerminal(answer)}\n`);
    return;
  }

  const history: ConversationTurn[] = [];
  const prompt = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  });
  process.stdout.write('Ask about 微调 (fine-tuning) and 调教 (tuning). /new starts over, /exit quits.\n');
  prompt.setPrompt('> ');
  prompt.prompt();
  // The async iterator buffers piped lines, so a scripted conversation (stdin from a file) is answered line by line.
  for await (const raw of prompt) {
    const line = normalizeQuestion(raw);
    if (line === '/exit' || line === '/quit') break;
    if (line === '/new') {
      history.length = 0;
      process.stdout.write('(new conversation)\n');
    } else if (line !== '') {
      const answer = await runtime.offlineAnswerer.answer({ question: line, history: history.slice(-config.historyTurns) });
      history.push(toTurn(line, answer));
      process.stdout.write(`\n${formatAnswerForTerminal(answer)}\n\n`);
    }
    prompt.prompt();
  }
  prompt.close();
});
