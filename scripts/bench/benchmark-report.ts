import { readFile, writeFile } from 'node:fs/promises';
import { formatBytes, formatMs, type LatencySummary, type MachineFacts } from './bench-support.js';
import type { ColdStartResult } from './cold-start-bench.js';
import type { IngestResult } from './ingest-bench.js';
import type { RetrievalResult, ServedRow } from './retrieval-bench.js';
import type { ServingResult } from './serving-bench.js';

export const SECTION_START = '<!-- bench:start -->';
export const SECTION_END = '<!-- bench:end -->';

/** The targets of the performance issue. */
export const TARGETS = {
  hnswP95Ms: 5,
  recallAt10: 0.95,
  speedupOverExact: 20,
  embeddingChunksPerSecond: 2000,
  endToEndChunksPerSecond: 2000,
  loadMs: 2000,
  coldStartMs: 2000,
  firstBuildMs: 1000,
} as const;

export interface BenchmarkResults {
  readonly machine: MachineFacts;
  readonly command: string;
  readonly quick: boolean;
  readonly wallMs: number;
  readonly ingest?: IngestResult;
  readonly retrieval?: RetrievalResult;
  readonly serving?: ServingResult;
  readonly coldStart?: ColdStartResult;
}

export interface TargetVerdict {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

export function judgeTargets(results: BenchmarkResults): TargetVerdict[] {
  const verdicts: TargetVerdict[] = [];
  const { retrieval, ingest, coldStart } = results;
  if (retrieval) {
    const chosen = retrieval.efSweep.find((row) => row.ef === retrieval.chosenEf);
    verdicts.push({
      target: `HNSW query p95 < ${TARGETS.hnswP95Ms} ms at recall@10 ≥ ${TARGETS.recallAt10} (${count(retrieval.chunks)} chunks)`,
      measured: chosen
        ? `p95 ${formatMs(chosen.latencyMs.p95)} at ef=${chosen.ef} (recall@10 ${chosen.recallAt10.toFixed(3)})`
        : `no ef in the sweep reached recall@10 ${TARGETS.recallAt10}`,
      met: chosen !== undefined && chosen.latencyMs.p95 < TARGETS.hnswP95Ms,
    });
    verdicts.push({
      target: `HNSW ≥ ${TARGETS.speedupOverExact}× faster than exact search (LangChain MemoryVectorStore, same vectors, same run)`,
      measured:
        retrieval.speedupAtP50 === undefined
          ? 'n/a'
          : `${retrieval.speedupAtP50.toFixed(0)}× at p50, ${(retrieval.speedupAtP95 ?? Number.NaN).toFixed(0)}× at p95`,
      met: (retrieval.speedupAtP50 ?? 0) >= TARGETS.speedupOverExact && (retrieval.speedupAtP95 ?? 0) >= TARGETS.speedupOverExact,
    });
    for (const kind of ['question', 'sentence'] as const) {
      const row = retrieval.served[kind];
      verdicts.push({
        target:
          `Served vector search on ${row.queries} ${kind === 'question' ? 'learner questions' : 'article sentences'}: ` +
          `recall@10 ≥ ${TARGETS.recallAt10} with p95 < ${TARGETS.hnswP95Ms} ms (${count(retrieval.chunks)} chunks)`,
        measured: `recall@10 ${row.recallAt10.toFixed(3)}, p95 ${formatMs(row.latencyMs.p95)} (${servedPlanText(row)})`,
        met: row.recallAt10 >= TARGETS.recallAt10 && row.latencyMs.p95 < TARGETS.hnswP95Ms,
      });
    }
    verdicts.push({
      target: `Load a saved ${count(retrieval.chunks)}-chunk index < ${TARGETS.loadMs / 1000} s (checksums included)`,
      measured: `${formatMs(retrieval.loadMs)} (every file's CRC-32 checked; load average ${retrieval.loadAverageAtStart.toFixed(1)})`,
      met: retrieval.loadMs < TARGETS.loadMs,
    });
  }
  if (ingest) {
    verdicts.push({
      target: `Ingest with the local embedder ≥ ${count(TARGETS.embeddingChunksPerSecond)} chunks/s`,
      measured: `${count(Math.round(ingest.embeddingChunksPerSecond))} chunks/s (embedding stage of the store's build, ${count(ingest.chunks)} chunks)`,
      met: ingest.embeddingChunksPerSecond >= TARGETS.embeddingChunksPerSecond,
    });
    verdicts.push({
      target: `Index build end to end ≥ ${count(TARGETS.endToEndChunksPerSecond)} chunks/s (${count(ingest.chunks)} chunks, ${ingest.shards} shard threads)`,
      measured:
        `${count(Math.round(ingest.endToEndChunksPerSecond))} chunks/s (${formatMs(ingest.totalBuildMs)}, ${formatMs(ingest.cpuMs)} CPU, ` +
        `peak RSS ${ingest.peakRssBytes === undefined ? 'n/a' : formatBytes(ingest.peakRssBytes)}, load average ${ingest.loadAverageAtStart.toFixed(1)} at start)`,
      met: ingest.endToEndChunksPerSecond >= TARGETS.endToEndChunksPerSecond,
    });
  }
  if (coldStart?.firstBuild) {
    const { firstBuild } = coldStart;
    verdicts.push({
      target: `First build of the shipped corpus in an empty DATA_DIR, dictionary lexicon included, < ${TARGETS.firstBuildMs / 1000} s`,
      measured: `${formatMs(firstBuild.wallMs)} wall, ${formatMs(firstBuild.cpuMs)} CPU${firstBuild.derivedLexicon ? '' : ' (no lexicon derived)'}`,
      met: firstBuild.derivedLexicon && firstBuild.wallMs < TARGETS.firstBuildMs,
    });
  }
  if (coldStart) {
    // The target is `npm start`; `tsx src/main.ts` is measured alongside for comparison.
    for (const command of coldStart.commands.filter((entry) => entry.label === 'npm start')) {
      verdicts.push({
        target: `Cold start \`${command.label}\` to ready < ${TARGETS.coldStartMs / 1000} s (index present)`,
        measured: `median ${formatMs(command.medianReadyMs)} (min ${formatMs(command.minReadyMs)}, max ${formatMs(command.maxReadyMs)}, ${command.runs.length} runs)`,
        met: command.medianReadyMs < TARGETS.coldStartMs,
      });
    }
  }
  return verdicts;
}

/** The Markdown between the bench markers (markers included). */
export function renderBenchmarkSection(results: BenchmarkResults): string {
  const { machine, ingest, retrieval, serving, coldStart } = results;
  const lines: string[] = [SECTION_START, '', '## Performance (`npm run bench`)', ''];
  lines.push(
    `Measured ${machine.date} on ${machine.cpus} cores (${machine.cpuModel}), ` +
      `${formatBytes(machine.memoryBytes)} memory, Node ${machine.node}, ${machine.platform}.`,
    `Command: \`${results.command}\`${results.quick ? ' (quick run: smaller corpus and fewer samples)' : ''}; the whole run took ${formatMs(results.wallMs)}.`,
    `Load average (1 min) when each section started: ${loadSummary(results)}. Other processes on this 2-core machine ` +
      'add to every latency below, the tails (p95, p99) most.',
    '',
    'This section is rewritten by `npm run bench` (between the `bench:start` and `bench:end` markers); the rest of the file is left as it is. ' +
      '`npm run bench -- --quick` runs a 10,000-chunk corpus and fewer samples and only prints (add `--write` to write); ' +
      '`--only=ingest,retrieval,serving,cold-start` runs some sections. Scripts: `scripts/bench/`.',
    '',
  );

  const verdicts = judgeTargets(results);
  if (verdicts.length > 0) {
    lines.push('### Targets', '', '| Target | Measured | |', '|---|---|---|');
    for (const verdict of verdicts) lines.push(`| ${verdict.target} | ${verdict.measured} | ${verdict.met ? 'met' : '**missed**'} |`);
    lines.push('');
  }

  if (ingest || retrieval) {
    const chunks = retrieval?.chunks ?? ingest?.chunks ?? 0;
    lines.push('### Retrieval at scale', '');
    lines.push(
      `Synthetic corpus of ${count(chunks)} chunks, generated deterministically (seeded PRNG, \`scripts/bench/synthetic-corpus.ts\`) ` +
        `from the article's ${ingest ? `${ingest.sentencePool.sentences} sentences and ${ingest.sentencePool.headings} headings` : 'sentences'}: ` +
        'sections of 2-4 recombined sentences, half of them with one article word swapped for another, each numbered, ' +
        `sized so that the real chunker makes exactly one passage per section${ingest ? ` (${count(ingest.documents)} documents, corpus hash ${ingest.corpusHash.slice(0, 12)})` : ''}.`,
      '',
    );
  }
  if (ingest) {
    const phase = (ms: number): string => `${formatMs(ms)} (${((ms / ingest.totalBuildMs) * 100).toFixed(0)}%)`;
    lines.push(
      "**Index build** through the store's real `build` (chunk → per batch of 256: embed with `LocalHashingEmbeddings`, hand the vectors at once to " +
        `${ingest.shards} worker thread(s), each inserting into its own hnswlib \`HierarchicalNSW('cosine', ${ingest.hnsw.dimensions})\` shard ` +
        `with M=${ingest.hnsw.m}, efConstruction=${ingest.hnsw.efConstruction}, keep the nonzero components by column, cut the BM25 tokens → BM25 postings → atomic save). ` +
        `CPU time of the process (all threads): ${formatMs(ingest.cpuMs)}, i.e. ${(ingest.cpuMs / ingest.totalBuildMs).toFixed(2)} cores busy on average.`,
      '',
      '| Phase (main thread) | Time |',
      '|---|---|',
      `| chunking | ${phase(ingest.phasesMs.chunking)} |`,
      `| embedding + BM25 tokens (jieba; HNSW insertion on the worker threads alongside) | ${phase(ingest.phasesMs.embedding)} — **${count(Math.round(ingest.embeddingChunksPerSecond))} chunks/s** |`,
      `| BM25 postings (insertion still alongside) | ${phase(ingest.phasesMs.lexical)} |`,
      `| writing the other files, waiting for the last HNSW insertions, writing the shards | ${phase(ingest.phasesMs.hnswWait)} |`,
      `| save (checksums, manifest, reading the shards back, atomic rename) | ${phase(ingest.phasesMs.saving)} |`,
      `| **total build** | **${formatMs(ingest.totalBuildMs)}** — ${count(Math.round(ingest.endToEndChunksPerSecond))} chunks/s end to end |`,
      '',
      `Index on disk: ${formatBytes(ingest.indexFilesBytes)} (${formatBytes(ingest.indexFilesBytes / ingest.chunks)} per chunk). ` +
        `Peak resident memory of the building process: ${ingest.peakRssBytes === undefined ? 'n/a' : formatBytes(ingest.peakRssBytes)} ` +
        `(${formatBytes(ingest.rssBeforeBuildBytes)} before the build).`,
      '',
    );
  }
  if (retrieval) {
    const chosen = retrieval.efSweep.find((row) => row.ef === retrieval.chosenEf);
    lines.push(
      `**Memory per chunk** (a fresh process loading the saved index as a server does, after a full GC): ` +
        `${formatBytes(retrieval.memory.perChunkRssBytes)} resident (RSS ${formatBytes(retrieval.memory.before.rss)} → ${formatBytes(retrieval.memory.after.rss)}; ` +
        `hnswlib's graph and vectors are native memory), of which ${formatBytes(retrieval.memory.perChunkHeapBytes)} JS heap ` +
        `(chunks, documents; the BM25 postings and the column copy of the vectors for exact search are typed arrays over the files' bytes). Loading and verifying the index took ${formatMs(retrieval.loadMs)}.`,
      '',
      `**Served vector search** (the HNSW adapter's own plan per query: sparse queries exactly by column, the others through the ${retrieval.shards} shard graph(s) at the ef \`searchBreadth\` picks), k=10, ${retrieval.queryPasses} passes:`,
      '',
      '| Queries | count | recall@10 | p50 | p95 | p99 | searched exactly | ef through the graph |',
      '|---|---:|---:|---:|---:|---:|---:|---|',
      ...(['question', 'sentence'] as const).map((kind) => {
        const row = retrieval.served[kind];
        return `| ${kind === 'question' ? 'learner questions (evaluation turns + generated)' : 'article sentences'} | ${row.queries} | ${row.recallAt10.toFixed(3)} | ${latencyCells(row.latencyMs, ['p50', 'p95', 'p99'])} | ${(row.exactShare * 100).toFixed(0)}% | ${row.efRange ? `${row.efRange[0]}-${row.efRange[1]}` : 'none'} |`;
      }),
      '',
      `**HNSW graph alone** at fixed ef: ${retrieval.queries} queries (${retrieval.queryKinds.question} question-like: every turn of test/eval/cases.json, then learner questions generated from the glossary in template and casual styles, scripts/bench/question-queries.ts; ${retrieval.queryKinds.sentence} held-out, varied article sentences; none in the corpus), ` +
        `embedded like a question (p50 ${formatMs(retrieval.queryEmbeddingMs.p50)}, p95 ${formatMs(retrieval.queryEmbeddingMs.p95)} per query embedding, not included below), ` +
        `k=10 through the adapter with exact search turned off, ${retrieval.queryPasses} passes. ` +
        'recall@10 is against an exact scan of the same stored vectors; a result tied with the 10th exact similarity (within 1e-6, float32 rounding) counts as found; ' +
        'it is the figure the target is judged on. "id recall" counts only the exact top-10 ids (ties broken arbitrarily); the last recall column uses ' +
        "ann-benchmarks' looser rule (within 1e-3 of the 10th similarity).",
      '',
      '| ef | recall@10 | recall@10 questions / sentences | id recall@10 | recall@10, ties within 1e-3 | p50 | p95 | p99 | max |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const row of retrieval.efSweep) {
      const marks = row.ef === retrieval.chosenEf ? 'chosen' : '';
      lines.push(
        `| ${row.ef}${marks ? ` (${marks})` : ''} | ${row.recallAt10.toFixed(3)} | ${row.recallByKind.question.toFixed(3)} / ${row.recallByKind.sentence.toFixed(3)} | ` +
          `${row.idRecallAt10.toFixed(3)} | ${row.looseRecallAt10.toFixed(3)} | ${latencyCells(row.latencyMs, ['p50', 'p95', 'p99', 'max'])} |`,
      );
    }
    lines.push(
      '',
      chosen
        ? `Chosen ef = **${chosen.ef}**: the smallest ef of the sweep with recall@10 ≥ ${TARGETS.recallAt10}.`
        : `No ef of the sweep reached recall@10 ${TARGETS.recallAt10}.`,
      questionsOnly(retrieval),
      '',
      '**Exact search** over the same vectors:',
      '',
      '| Method | queries | p50 | p95 | p99 | recall@10 |',
      '|---|---:|---:|---:|---:|---:|',
      `| LangChain \`MemoryVectorStore\` (\`${retrieval.memoryVectorStore.importPath}\`) | ${retrieval.memoryVectorStore.queries} | ${latencyCells(retrieval.memoryVectorStore.latencyMs, ['p50', 'p95', 'p99'])} | ${retrieval.memoryVectorStore.recallAt10.toFixed(3)} |`,
      `| Float32Array scan (the ground truth above) | ${retrieval.exactScanMs.count} | ${latencyCells(retrieval.exactScanMs, ['p50', 'p95', 'p99'])} | 1.000 |`,
      chosen
        ? `| HNSW, ef=${chosen.ef} | ${chosen.latencyMs.count} | ${latencyCells(chosen.latencyMs, ['p50', 'p95', 'p99'])} | ${chosen.recallAt10.toFixed(3)} |`
        : '',
      '',
      retrieval.speedupAtP50 === undefined
        ? ''
        : `Speed-up of HNSW (ef=${retrieval.chosenEf}) over MemoryVectorStore in this run: **${retrieval.speedupAtP50.toFixed(0)}×** at p50, **${(retrieval.speedupAtP95 ?? Number.NaN).toFixed(0)}×** at p95. ` +
            `(Adding the ${count(retrieval.chunks)} vectors to MemoryVectorStore took ${formatMs(retrieval.memoryVectorStore.addVectorsMs)}.)`,
      '',
    );
  }

  if (serving) {
    const inProcess = serving.inProcess;
    lines.push(
      '### Serving in offline mode',
      '',
      `Shipped corpus (${serving.chunks} chunks), offline extractive answerer, no LLM. In-process: \`runtime.offlineAnswerer.answer\`, once the idle warm-up of follow-up suggestion checks has finished (as in a server before its first learner), after 100 warm-up questions.`,
      '',
      '| In-process | answers | p50 | p95 | p99 | max |',
      '|---|---:|---:|---:|---:|---:|',
      `| distinct questions (glossary × templates, zh + en; ${(inProcess.distinct.groundedShare * 100).toFixed(0)}% grounded) | ${inProcess.distinct.questions} | ${latencyCells(inProcess.distinct.answerMs, ['p50', 'p95', 'p99', 'max'])} |`,
      `| evaluation conversations, first time (follow-ups with history) | ${inProcess.conversations.questions} | ${latencyCells(inProcess.conversations.answerMs, ['p50', 'p95', 'p99', 'max'])} |`,
      `| the same conversations again (${inProcess.repeated.passes} passes; searches from the result cache) | ${inProcess.repeated.questions} | ${latencyCells(inProcess.repeated.answerMs, ['p50', 'p95', 'p99', 'max'])} |`,
      `| hybrid search alone, result cache off (distinct questions) | ${inProcess.uncachedSearchMs.count} | ${latencyCells(inProcess.uncachedSearchMs, ['p50', 'p95', 'p99', 'max'])} |`,
      '',
      `**Over socket.io**: the real server (\`${serving.socket.server}\`, default settings and rate limits) in its own process on 127.0.0.1, ` +
        `ready ${formatMs(serving.socket.serverReadyMs)} after spawn, ${serving.socket.serverIdleRssBytes === undefined ? '' : `${formatBytes(serving.socket.serverIdleRssBytes)} resident when idle; `}` +
        'the clients run in the benchmark process on the same 2 cores (WebSocket transport). All clients connect, then all ask at once, ' +
        'each its own distinct questions one after another (every third starts a new conversation, the others are follow-ups). ' +
        'Latency is from `ask` to `answer:done`.',
      '',
      '| Concurrent clients | asks | answered | failures | p50 | p95 | p99 | max | answers/s | connect p95 | server peak RSS |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const level of serving.socket.levels) {
      const failures = level.failures + level.connectFailures;
      const codes = Object.entries(level.failureCodes).map(([code, number]) => `${code} ${number}`);
      if (level.connectFailures > 0) codes.push(`connect ${level.connectFailures}`);
      lines.push(
        `| ${level.clients} | ${level.clients * level.asksPerClient} | ${level.answered} | ${failures}${codes.length > 0 ? ` (${codes.join(', ')})` : ''} | ` +
          `${latencyCells(level.answerMs, ['p50', 'p95', 'p99', 'max'])} | ${level.answersPerSecond.toFixed(0)} | ${formatMs(level.connectMs.p95)} | ` +
          `${level.serverPeakRssBytes === undefined ? 'n/a' : formatBytes(level.serverPeakRssBytes)} |`,
      );
    }
    lines.push(
      '',
      `Server peak resident memory over the whole run: ${serving.socket.serverPeakRssBytes === undefined ? 'n/a' : formatBytes(serving.socket.serverPeakRssBytes)}.`,
      '',
    );
  }

  if (coldStart) {
    lines.push('### Cold start', '');
    if (coldStart.firstBuild) {
      const { firstBuild } = coldStart;
      lines.push(
        `First build, shipped corpus (${firstBuild.chunks} chunks) into an empty DATA_DIR, in a fresh process with its modules loaded: ` +
          `${formatMs(firstBuild.wallMs)} wall, ${formatMs(firstBuild.cpuMs)} CPU (every thread), ` +
          `${firstBuild.derivedLexicon ? 'the dictionary lexicon (CC-CEDICT subset, pinyin keys) derived and saved with the index' : 'no lexicon derived'}.`,
        '',
      );
    }
    lines.push(
      `Spawn to the first \`GET /api/health\` with \`status: "ok"\`, index of the shipped corpus (${coldStart.chunks} chunks) already in DATA_DIR, ` +
        'commands interleaved run by run. "listening" is when the server logged that it listens (modules loaded, runtime created); ready follows once the index is loaded. ' +
        '`npm start` runs `scripts/start-tutor.mjs`: it rebuilds the widget (dist/web) and the server bundle (dist/server.mjs, esbuild, packages external) only when ' +
        "their sources changed, then runs the bundle with plain Node; `tsx src/main.ts` sends each of the hundreds of modules the server loads through tsx's loader hooks.",
      '',
      '| Command | runs (ready) | median | min | max | median to "listening" | widget rebuilt | server re-bundled |',
      '|---|---|---:|---:|---:|---:|---|---|',
    );
    for (const command of coldStart.commands) {
      const listening = command.runs.map((run) => run.listeningMs).filter((value): value is number => value !== undefined);
      lines.push(
        `| \`${command.label}\` | ${command.runs.map((run) => formatMs(run.readyMs)).join(', ')} | ${formatMs(command.medianReadyMs)} | ${formatMs(command.minReadyMs)} | ` +
          `${formatMs(command.maxReadyMs)} | ${listening.length > 0 ? formatMs(listening.sort((a, b) => a - b)[Math.floor((listening.length - 1) / 2)] as number) : 'n/a'} | ` +
          `${command.runs.filter((run) => run.widgetBuilt).length}/${command.runs.length} | ${command.runs.filter((run) => run.serverBundled).length}/${command.runs.length} |`,
      );
    }
    lines.push('');
  }
  lines.push(SECTION_END);
  return lines.filter((line, index, all) => !(line === '' && all[index - 1] === '')).join('\n');
}

/**
 * Replaces the bench section of the file (between the markers) with `section`, keeping everything else; appends the
 * section when the file has none, and creates the file when there is none.
 */
export async function writeBenchmarkSection(filePath: string, section: string): Promise<void> {
  let existing: string | undefined;
  try {
    existing = await readFile(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await writeFile(filePath, replaceBenchmarkSection(existing, section));
}

export function replaceBenchmarkSection(existing: string | undefined, section: string): string {
  if (existing === undefined || existing.trim() === '') return `# Benchmarks\n\n${section}\n`;
  const start = existing.indexOf(SECTION_START);
  const end = existing.indexOf(SECTION_END, start + SECTION_START.length);
  if (start >= 0 && end >= 0) return existing.slice(0, start) + section + existing.slice(end + SECTION_END.length);
  if (start >= 0 || existing.includes(SECTION_END)) {
    throw new Error(`docs/BENCHMARKS.md has only one of ${SECTION_START} and ${SECTION_END}; fix the markers by hand`);
  }
  return `${existing.replace(/\s*$/, '')}\n\n${section}\n`;
}

/** Where the evaluation questions alone reach the recall target: short questions are the hardest queries here. */
function questionsOnly(retrieval: RetrievalResult): string {
  if (retrieval.queryKinds.question === 0) return '';
  const reached = retrieval.efSweep.find((row) => row.recallByKind.question >= TARGETS.recallAt10);
  return reached
    ? `The ${retrieval.queryKinds.question} question-like queries alone reach recall@10 ≥ ${TARGETS.recallAt10} at ef = ${reached.ef} (p95 ${formatMs(reached.latencyMs.p95)}); held-out article sentences at ef = ${retrieval.efSweep.find((row) => row.recallByKind.sentence >= TARGETS.recallAt10)?.ef ?? 'n/a'}.`
    : `The ${retrieval.queryKinds.question} question-like queries alone stay below recall@10 ${TARGETS.recallAt10} up to ef = ${retrieval.efSweep[retrieval.efSweep.length - 1]?.ef} (${retrieval.efSweep[retrieval.efSweep.length - 1]?.recallByKind.question.toFixed(3)}): short questions (few features) against a corpus recombined from a few dozen sentences are the hardest queries for the graph.`;
}

function servedPlanText(row: ServedRow): string {
  const graph = row.efRange ? `, the rest through the graph at ef ${row.efRange[0]}-${row.efRange[1]}` : '';
  return `${(row.exactShare * 100).toFixed(0)}% searched exactly${graph}`;
}

function latencyCells(summary: LatencySummary, keys: readonly (keyof LatencySummary)[]): string {
  return keys.map((key) => formatMs(summary[key])).join(' | ');
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function loadSummary(results: BenchmarkResults): string {
  const entries: string[] = [];
  if (results.ingest) entries.push(`ingest ${results.ingest.loadAverageAtStart.toFixed(1)}`);
  if (results.retrieval) entries.push(`retrieval ${results.retrieval.loadAverageAtStart.toFixed(1)}`);
  if (results.serving) entries.push(`serving ${results.serving.loadAverageAtStart.toFixed(1)}`);
  if (results.coldStart) entries.push(`cold start ${results.coldStart.loadAverageAtStart.toFixed(1)}`);
  return entries.join(', ') || 'n/a';
}
