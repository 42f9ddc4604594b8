import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../scripts/support/seeded-random.js';
import { isTutorError } from '../../src/errors/tutor-error.js';
import { createBm25Index, createBm25IndexFromCompact } from '../../src/index/bm25-index.js';
import { COLUMNS_FILE, createColumnCollector, createColumnScan, decodeColumns, encodeColumns } from '../../src/index/column-scan.js';
import { createCorpusIndexStore } from '../../src/index/corpus-index-store.js';
import { hashFiles } from '../../src/index/file-checksums.js';
import { createIndexLifecycle } from '../../src/index/index-lifecycle.js';
import { describeContent } from '../../src/index/index-manifest.js';
import { decodeLexical, encodeLexical } from '../../src/index/lexical-file.js';
import { decodePassages, encodePassages, PASSAGE_FILES } from '../../src/index/passage-file.js';
import { attachTranslations } from '../../src/ingest/chunk-translations.js';
import { loadCorpus } from '../../src/ingest/corpus-loader.js';
import { loadGlossary } from '../../src/ingest/glossary.js';
import { chunkDocument } from '../../src/ingest/passage-chunker.js';
import { LocalHashingEmbeddings } from '../../src/providers/local-embeddings.js';
import { createTextAnalyzer } from '../../src/retrieval/text-analyzer.js';
import { createRecordingLogger, createTemporaryDirectory, shippedCorpusDir } from '../support/test-runtime.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const chunker = { maxChars: 260, minChars: 80, overlapSentences: 0 };

describe('the saved forms of an index', () => {
  it('gives back every document and chunk (renderings included) from texts.bin and the column files', async () => {
    const corpus = await loadCorpus(shippedCorpusDir);
    const chunks = corpus.documents.flatMap((document) =>
      attachTranslations(document, chunkDocument(document, chunker), corpus.translations?.get(document.documentId)),
    );
    expect(chunks.some((chunk) => chunk.translation !== undefined)).toBe(true);
    const encoded = encodePassages(corpus.documents, chunks);
    const decoded = decodePassages(Buffer.from(encoded.texts), encoded.documents, encoded.chunks);
    expect(decoded.documents).toEqual(corpus.documents);
    expect(decoded.chunks).toEqual(chunks);
    // A chunk's text is not saved again: it is a slice of its document's content.
    for (const chunk of chunks) expect(encoded.chunks).not.toContain(JSON.stringify(chunk.text).slice(1, 40));

    const shifted = chunks.map((chunk, position) => (position === 2 ? { ...chunk, start: chunk.start + 1 } : chunk));
    expect(() => encodePassages(corpus.documents, shifted)).toThrow(/is not the slice/);
    expect(() => decodePassages(Buffer.from(encoded.texts).subarray(2), encoded.documents, encoded.chunks)).toThrow(/texts\.bin has/);
  });

  it('saves the BM25 postings and loads an index that scores exactly as the one built', () => {
    const random = createSeededRandom(11);
    const words = ['微调', '调教', '参数', '模型', '数据', 'prompt', '厨师', '调料'];
    const passageTokens = Array.from({ length: 200 }, () =>
      Array.from({ length: 1 + Math.floor(random() * 12) }, () => words[Math.floor(random() * words.length)]!),
    );
    const built = createBm25Index({ passageTokens });
    const file = encodeLexical(built.toCompact());
    const loaded = createBm25IndexFromCompact(decodeLexical(file.meta, file.ids));
    expect(loaded.toCompact().postings).toEqual(built.toCompact().postings);
    for (const query of [['微调'], ['调教', '模型'], ['prompt', '厨师', '未知']])
      expect(loaded.search(query, 20)).toEqual(built.search(query, 20));
    expect(loaded.idf('参数')).toBe(built.idf('参数'));
    expect(loaded.tokensAt(17)).toEqual(passageTokens[17]);
    expect(() => decodeLexical(file.meta, file.ids.subarray(0, file.ids.length - 4))).toThrow(/lexical\.bin/);
  });

  it('scans sparse columns exactly, across blocks of positions, ties by position', () => {
    const size = 20_000;
    const dimensions = 24;
    const random = createSeededRandom(5);
    const vectors = Array.from({ length: size }, () =>
      Array.from({ length: dimensions }, () => (random() < 0.2 ? Math.round((random() * 2 - 1) * 8) / 8 : 0)),
    );
    const collector = createColumnCollector(size, dimensions);
    for (const [position, vector] of vectors.entries()) collector.add(position, vector);
    const columns = collector.finish();
    expect(columns.rows.length).toBe(vectors.flat().filter((value) => value !== 0).length);
    const scan = createColumnScan(decodeColumns(encodeColumns(columns)));
    for (const query of [
      vectors[19_999]!,
      vectors[3]!.map((value) => -value),
      Array.from({ length: dimensions }, (_, d) => (d === 7 ? 1 : 0)),
    ]) {
      const truth = vectors
        .map((vector, position) => ({ position, similarity: vector.reduce((sum, value, d) => sum + value * query[d]!, 0) }))
        .sort((left, right) => right.similarity - left.similarity || left.position - right.position)
        .slice(0, 10);
      const found = scan.search(query, 10);
      expect(found.map((hit) => hit.position)).toEqual(truth.map((hit) => hit.position));
      for (const [rank, hit] of found.entries()) expect(hit.similarity).toBeCloseTo(truth[rank]!.similarity, 6);
    }
  });
});

describe('the checksums of a build', () => {
  it('are the same streamed on the hashing threads as over the bytes in memory, for files of several pieces', async () => {
    const data = await createTemporaryDirectory('tutor-checksums-');
    cleanups.push(data.remove);
    const random = createSeededRandom(3);
    const large = Buffer.from(Array.from({ length: 9 * 1024 * 1024 + 13 }, () => Math.floor(random() * 256)));
    await writeFile(path.join(data.dir, 'large.bin'), large);
    await writeFile(path.join(data.dir, 'small.json'), '{"a":1}');
    const files = [
      { name: 'large.bin', bytes: large.length },
      { name: 'small.json', bytes: 7 },
      { name: 'absent.bin', bytes: 1 },
    ];
    // On the hashing threads (every file, whatever its size), then on this thread (the default for a build this small).
    for (const hashed of [hashFiles(data.dir, files, { inThreadBytes: 0 }), hashFiles(data.dir, files)]) {
      expect(await hashed.get('large.bin')).toEqual(describeContent(large));
      expect(await hashed.get('small.json')).toEqual(describeContent(Buffer.from('{"a":1}')));
      await expect(hashed.get('absent.bin')).rejects.toThrow(/absent\.bin is missing/);
    }
  });
});

describe('a corrupted saved index', () => {
  async function openStore() {
    const data = await createTemporaryDirectory('tutor-index-files-');
    cleanups.push(data.remove);
    const glossary = await loadGlossary(path.join(shippedCorpusDir, 'glossary.json'));
    const analyzer = createTextAnalyzer({ glossary });
    const embeddings = new LocalHashingEmbeddings({ analyzer });
    const store = createCorpusIndexStore({ dataDir: data.dir, embedder: { id: embeddings.embedderId, embeddings }, analyzer, chunker });
    return { store, embeddings, dataDir: data.dir };
  }

  /** Flips one byte in the middle of a file, keeping its size, so only the checksum can tell. */
  async function flipByte(file: string): Promise<void> {
    const content = await readFile(file);
    const middle = Math.floor(content.length / 2);
    content[middle] = (content[middle] as number) ^ 0xff;
    await writeFile(file, content);
  }

  it('is refused with INDEX_CORRUPT naming the file, whichever file it is', async () => {
    const { store, dataDir } = await openStore();
    const corpus = await loadCorpus(shippedCorpusDir);
    for (const name of ['hnswlib.index', COLUMNS_FILE, PASSAGE_FILES.texts, PASSAGE_FILES.chunks, 'lexical.bin']) {
      const built = await store.build(corpus);
      expect(built.manifest.vectors.columns).toBe(true);
      await flipByte(path.join(dataDir, 'index', 'builds', built.manifest.buildId, name));
      const error = await store.load().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(isTutorError(error, 'INDEX_CORRUPT')).toBe(true);
      expect((error as Error).message).toContain(`${name} does not match its checksum`);
    }
  });

  it('leaves the index in use serving when a new build is corrupt', async () => {
    const { store, embeddings, dataDir } = await openStore();
    const { logger, lines } = createRecordingLogger();
    const lifecycle = createIndexLifecycle({ store, corpusDir: shippedCorpusDir, embedderId: embeddings.embedderId, logger });
    const inUse = (await lifecycle.ensureIndex()).index;
    const next = await store.build(await loadCorpus(shippedCorpusDir));
    await flipByte(path.join(dataDir, 'index', 'builds', next.manifest.buildId, 'hnswlib.index'));
    expect(await lifecycle.reloadIfChanged()).toMatchObject({ status: 'refused', buildId: next.manifest.buildId });
    expect(lifecycle.currentIndex()).toBe(inUse);
    const hits = inUse.vectorIndex.search(await embeddings.embedQuery('什么是调教'), 3);
    expect(hits).toHaveLength(3);
    expect(lines.some((line) => line.level === 40 && line.msg.includes(next.manifest.buildId))).toBe(true);
  });
});
