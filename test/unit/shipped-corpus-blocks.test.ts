import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/ingest/corpus-loader.js';
import { readMarkdownBlocks } from '../../src/ingest/markdown-blocks.js';
import { chunkDocument } from '../../src/ingest/passage-chunker.js';
import { shippedCorpusDir } from '../support/test-runtime.js';

/**
 * Pins what the block reader and the chunker make of the shipped corpus: passage ids, text and offsets (what the index,
 * the citations and the demo page's highlights rest on) and block ids (what the English renderings align to). The
 * snapshot was written by the chunker before the block readers were merged into one; a change to the corpus or to the
 * chunking rules shows here as a diff (`npx vitest run test/unit/shipped-corpus-blocks.test.ts -u` accepts it).
 */
/** JSON lines, one entry per line, so that a diff names the passages or blocks that changed. */
const oneLinePerEntry = (entries: readonly unknown[]): string => `${entries.map((entry) => JSON.stringify(entry)).join('\n')}\n`;

describe('the shipped corpus, read into blocks and passages', async () => {
  const corpus = await loadCorpus(shippedCorpusDir);

  it('keeps every passage id, heading path, text and offset', async () => {
    const chunks = corpus.documents.flatMap((document) =>
      chunkDocument(document).map(({ chunkId, documentId, headingPath, ordinal, start, end, text }) => ({
        chunkId,
        documentId,
        headingPath,
        ordinal,
        start,
        end,
        text,
      })),
    );
    expect(chunks.length).toBeGreaterThan(10);
    await expect(oneLinePerEntry(chunks)).toMatchFileSnapshot('./__snapshots__/shipped-corpus-chunks.jsonl');
  });

  it('keeps every block id the renderings align to', async () => {
    const blocks = corpus.documents.flatMap((document) =>
      readMarkdownBlocks(document.content).map(({ id, kind, marker, start, end, sentences, headingIds }) => ({
        documentId: document.documentId,
        id,
        kind,
        marker,
        start,
        end,
        sentences: sentences.map((span) => [span.start, span.end]),
        headingIds,
      })),
    );
    expect(blocks.length).toBeGreaterThan(10);
    await expect(oneLinePerEntry(blocks)).toMatchFileSnapshot('./__snapshots__/shipped-corpus-blocks.jsonl');
  });
});
