import { createHash } from 'node:crypto';
import type { ChunkRecord, CorpusDocument } from './chunk-types.js';
import { readMarkdownBlocks } from './markdown-blocks.js';
import type { SentenceSpan } from './sentence-splitter.js';

export interface ChunkerSettings {
  /** A passage grows by whole sentences up to this many characters (a single longer sentence stays whole). @default 260 */
  readonly maxChars: number;
  /** A passage shorter than this takes the next paragraph of its section even past a paragraph break. @default 80 */
  readonly minChars: number;
  /** Sentences repeated at the start of the next passage of the same section. @default 0 */
  readonly overlapSentences: number;
}

export const defaultChunkerSettings: ChunkerSettings = { maxChars: 260, minChars: 80, overlapSentences: 0 };

interface Block {
  readonly sentences: readonly SentenceSpan[];
  readonly headingPath: readonly string[];
}

/**
 * Splits a document into passages that never cross a heading, grow by whole sentences (Chinese and English sentence
 * ends) and prefer paragraph boundaries. Each passage records its heading path and its exact character range in
 * `document.content`, so a citation can highlight the span. Ids hash the document id and the passage text, so they
 * are stable across rebuilds of the same text.
 */
export function chunkDocument(document: CorpusDocument, settings: ChunkerSettings = defaultChunkerSettings): ChunkRecord[] {
  const blocks = readBlocks(document.content);
  const chunks: ChunkRecord[] = [];
  const usedIds = new Map<string, number>();
  let current: SentenceSpan[] = [];
  let currentPath: readonly string[] = [];

  const length = (sentences: readonly SentenceSpan[]): number =>
    sentences.length === 0 ? 0 : (sentences[sentences.length - 1] as SentenceSpan).end - (sentences[0] as SentenceSpan).start;

  const emit = (): void => {
    if (current.length === 0) return;
    const start = (current[0] as SentenceSpan).start;
    const end = (current[current.length - 1] as SentenceSpan).end;
    const text = document.content.slice(start, end);
    const baseId = `c${createHash('sha256').update(document.documentId).update('\0').update(text).digest('hex').slice(0, 12)}`;
    const seen = usedIds.get(baseId) ?? 0;
    usedIds.set(baseId, seen + 1);
    chunks.push({
      chunkId: seen === 0 ? baseId : `${baseId}-${seen + 1}`,
      documentId: document.documentId,
      title: document.title,
      source: document.source,
      language: document.language,
      headingPath: currentPath,
      ordinal: chunks.length,
      start,
      end,
      text,
    });
    current = settings.overlapSentences > 0 ? current.slice(-settings.overlapSentences) : [];
  };

  let previousPath: readonly string[] | undefined;
  for (const block of blocks) {
    if (previousPath !== block.headingPath) {
      emit();
      current = [];
      previousPath = block.headingPath;
      currentPath = block.headingPath;
    }
    const blockLength = length(block.sentences);
    const overlapOnly = current.length > 0 && current.length <= settings.overlapSentences && chunks.length > 0;
    if (
      current.length > 0 &&
      !overlapOnly &&
      length(current) >= settings.minChars &&
      length([...current, ...block.sentences]) > settings.maxChars
    ) {
      emit();
    }
    if (length([...current, ...block.sentences]) <= settings.maxChars || blockLength === 0) {
      current.push(...block.sentences);
      continue;
    }
    for (const sentence of block.sentences) {
      const fresh = current.length <= settings.overlapSentences && chunks.length > 0 && current.length > 0;
      if (current.length > 0 && !fresh && length([...current, sentence]) > settings.maxChars) emit();
      current.push(sentence);
    }
  }
  emit();
  return chunks;
}

/**
 * The text blocks of the content (src/ingest/markdown-blocks.ts) with their sentences and the heading path above them;
 * heading lines themselves are not passage text. Blocks under the same heading share one path array, which is how the
 * chunker sees a section end.
 */
function readBlocks(content: string): Block[] {
  const blocks: Block[] = [];
  const headingText = new Map<string, string>();
  const paths = new Map<string, readonly string[]>();
  for (const block of readMarkdownBlocks(content)) {
    if (block.kind === 'heading') {
      headingText.set(block.id, block.text);
      continue;
    }
    const key = block.headingIds.join('/');
    let headingPath = paths.get(key);
    if (headingPath === undefined) {
      headingPath = block.headingIds.map((id) => headingText.get(id) as string);
      paths.set(key, headingPath);
    }
    blocks.push({ sentences: block.sentences, headingPath });
  }
  return blocks;
}
