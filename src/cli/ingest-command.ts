/**
 * `npm run ingest`: rebuilds the index from corpus/ (always, even when the saved one is current), with a progress bar
 * on a terminal, a summary line, and what renderings the documents have (with every alignment warning).
 */
import path from 'node:path';
import { createCorpusApp } from '../app/create-app.js';
import { reportTranslations } from '../ingest/translation-report.js';
import { createCliLogger, createProgressReporter, loadCliConfig, runCli } from './cli-support.js';
import { readCommandLine } from './command-line.js';

const USAGE = `usage: npm run ingest -- [--if-stale]
  --if-stale   rebuild only when the saved index no longer matches the corpus, embedder or chunker`;

runCli(async () => {
  const { options } = readCommandLine({ usage: USAGE, options: { 'if-stale': { type: 'boolean' } } });
  const config = loadCliConfig();
  const logger = createCliLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const { corpus: runtime } = await createCorpusApp({ config, logger });
  const progress = createProgressReporter();
  const checkOnly = options['if-stale'];
  const result = await runtime.ensureIndex({ force: !checkOnly, onProgress: progress.onProgress });
  progress.stop();
  const { manifest } = result.index;
  const where = path.relative(process.cwd(), path.join(config.dataDir, 'index', 'builds', manifest.buildId)) || '.';
  process.stdout.write(
    `${result.rebuilt ? 'Indexed' : 'Index is current:'} ${manifest.documentCount} documents, ${manifest.chunkCount} chunks in ${(result.elapsedMs / 1000).toFixed(2)} s ` +
      `(embedder ${manifest.embedder.id}, ${manifest.embedder.dimensions} dimensions) -> ${where}\n`,
  );
  for (const warning of result.corpus.warnings) process.stdout.write(`  skipped ${warning.file}: ${warning.message}\n`);
  const renderings = reportTranslations(result.corpus, result.index.chunks);
  process.stdout.write(`Renderings (${renderings.warningCount} warnings):\n${renderings.lines.join('\n')}\n`);
});
