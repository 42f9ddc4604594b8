import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { pino } from 'pino';
import { createCorpusApp } from '../../src/app/create-app.js';
import type { CorpusRuntime } from '../../src/app/create-corpus-runtime.js';
import { loadConfig, type TutorConfig } from '../../src/config.js';
import { toTurn } from '../../src/evaluation/run-evaluation.js';
import type { ConversationTurn, TutorAnswer, TutorAnswerer } from '../../src/tutor/tutor-types.js';

export const repositoryRoot = path.resolve(import.meta.dirname, '../..');
export const shippedCorpusDir = path.join(repositoryRoot, 'corpus');

/** A logger that keeps what was logged, so tests can assert on log lines (e.g. why an index was rebuilt). */
export function createRecordingLogger(): { logger: Logger; lines: { level: number; msg: string; [key: string]: unknown }[] } {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });
  return { logger, lines };
}

export async function createTemporaryDirectory(prefix = 'tutor-test-'): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Config for tests: a private data folder, the given corpus, and any environment overrides. */
export function testConfig(options: { dataDir: string; corpusDir?: string; env?: Record<string, string> }): TutorConfig {
  return loadConfig(
    {
      NODE_ENV: 'test',
      DATA_DIR: options.dataDir,
      CORPUS_DIR: options.corpusDir ?? shippedCorpusDir,
      GLOSSARY_FILE: path.join(shippedCorpusDir, 'glossary.json'),
      LOG_LEVEL: 'silent',
      // Every test learner comes from 127.0.0.1: a suite starts more new conversations a minute than one address may.
      // The tests of that limit set it themselves.
      CONVERSATIONS_PER_IP_PER_MINUTE: '100000',
      ...options.env,
    },
    repositoryRoot,
  );
}

/** A runtime over a real index (built into a temporary folder) of the given corpus. */
export async function createTestRuntime(options: { corpusDir?: string; env?: Record<string, string> } = {}): Promise<{
  runtime: CorpusRuntime;
  config: TutorConfig;
  logLines: { level: number; msg: string }[];
  dispose: () => Promise<void>;
}> {
  const temporary = await createTemporaryDirectory();
  const config = testConfig({ dataDir: temporary.dir, ...options });
  const { logger, lines } = createRecordingLogger();
  const runtime = (await createCorpusApp({ config, logger })).corpus;
  await runtime.ensureIndex();
  return { runtime, config, logLines: lines, dispose: temporary.remove };
}

/**
 * Answers a conversation as the chat service does: each question with the turns before it as history. Returns every
 * answer, the last one being the answer to the last question.
 */
export async function answerConversation(answerer: TutorAnswerer, questions: readonly string[]): Promise<TutorAnswer[]> {
  const history: ConversationTurn[] = [];
  const answers: TutorAnswer[] = [];
  for (const question of questions) {
    const answer = await answerer.answer({ question, history: [...history] });
    history.push(toTurn(question, answer));
    answers.push(answer);
  }
  return answers;
}
