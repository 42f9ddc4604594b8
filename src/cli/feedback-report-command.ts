/**
 * `npm run feedback:report`: learners' thumbs up/down per passage, the most disliked first, with their reasons.
 * Reads the same store the server writes (the feedback file under DATA_DIR, or Redis when REDIS_URL is set).
 */
import { createCorpusApp } from '../app/create-app.js';
import { createStores } from '../app/create-stores.js';
import { summarizeFeedback } from '../stores/feedback/feedback-store.js';
import { escapeForTerminal } from '../support/plain-text.js';
import { createCliLogger, loadCliConfig, runCli } from './cli-support.js';
import { readCommandLine } from './command-line.js';

const USAGE = "usage: npm run feedback:report   learners' votes per passage, the most disliked first (DATA_DIR or REDIS_URL)";

runCli(async () => {
  readCommandLine({ usage: USAGE, options: {} });
  const config = loadCliConfig();
  const logger = createCliLogger('warn');
  const stores = await createStores({ config, logger });
  const store = stores.feedback;
  try {
    const entries = await store.list();
    const { corpus: runtime } = await createCorpusApp({ config, logger });
    const index = await runtime.ensureIndex().then(
      (result) => result.index,
      () => undefined,
    );
    const describe = (chunkId: string | null): string => {
      if (chunkId === null) return '(answers as a whole)';
      const chunk = index?.chunks.find((candidate) => candidate.chunkId === chunkId);
      if (!chunk) return `${chunkId} (no longer in the corpus)`;
      const text = chunk.text.replace(/\s+/g, ' ');
      return `${chunkId} 《${chunk.title}》${chunk.headingPath.length > 0 ? ` › ${chunk.headingPath.join(' › ')}` : ''}: ${text.length > 50 ? `${text.slice(0, 50)}…` : text}`;
    };
    const up = entries.filter((entry) => entry.rating === 'up').length;
    // Everything printed passes escapeForTerminal: stored reasons are learners' text, and older entries may predate the
    // input filter.
    const print = (text: string): void => void process.stdout.write(`${escapeForTerminal(text)}\n`);
    print(`Feedback from ${store.description}: ${entries.length} entries (${up} up, ${entries.length - up} down)`);
    for (const summary of summarizeFeedback(entries)) {
      process.stdout.write('\n');
      print(`  +${summary.up} -${summary.down}  ${describe(summary.chunkId)}`);
      for (const reason of summary.reasons.slice(0, 5)) print(`      ${reason.count}× ${reason.reason}`);
    }
  } finally {
    await stores.close();
  }
});
