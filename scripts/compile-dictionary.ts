/**
 * `npm ci`'s postinstall step: compiles the compact CC-CEDICT (src/retrieval/cedict-compact-file.ts) into
 * node_modules/.cache/finetune-tutor/, so the first index build of a fresh install reads it instead of cleaning the
 * whole 16 MB dictionary (about 1.5 s). Corpus-independent; nothing is committed. Never fails the install: without the
 * file, the first derivation compiles and saves it itself.
 *
 *   npm run compile:dictionary   (again by hand, e.g. after `npm ci --ignore-scripts`)
 */
import { loadCompactCedict } from '../src/retrieval/cedict-compact-file.js';
import { installedCompactCedict } from '../src/retrieval/corpus-dictionary-store.js';

const started = performance.now();
try {
  const { compiled } = loadCompactCedict(installedCompactCedict());
  const elapsed = Math.round(performance.now() - started);
  process.stdout.write(`Compact CC-CEDICT ${compiled ? `compiled in ${elapsed} ms` : `already compiled (checked in ${elapsed} ms)`}\n`);
} catch (error) {
  process.stderr.write(`Compact CC-CEDICT not compiled (the first index build will compile it): ${String(error)}\n`);
}
