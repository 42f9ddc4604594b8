import type { ChunkRecord, CorpusDocument } from '../ingest/chunk-types.js';

/**
 * The documents and chunks of a build as three files, in a form that loads without parsing the text: every document's
 * content once, as UTF-16LE (`texts.bin`: decoding it is a copy, and CJK text is 2 bytes a character there against 3
 * in UTF-8); the documents' other fields (`documents.json`); the chunks by column (`chunks.json`), without their text,
 * which is a slice of their document's content (the ChunkRecord invariant), nor title, source and language, which are
 * their document's. Saving every chunk as a JSON object with its text made loading 100,000 chunks parse 70 MB.
 */
export const PASSAGE_FILES = { texts: 'texts.bin', documents: 'documents.json', chunks: 'chunks.json' } as const;

interface DocumentsFile {
  readonly documents: readonly (Omit<CorpusDocument, 'content'> & { readonly contentLength: number })[];
}

interface ChunksFile {
  readonly chunkIds: readonly string[];
  readonly document: readonly number[];
  readonly ordinal: readonly number[];
  readonly start: readonly number[];
  readonly end: readonly number[];
  /** Distinct heading paths, and each chunk's index into them. */
  readonly headingPaths: readonly (readonly string[])[];
  readonly headingPath: readonly number[];
  /** `[position, translation]` of the chunks that have a rendering. */
  readonly translations: readonly (readonly [number, NonNullable<ChunkRecord['translation']>])[];
}

export interface EncodedPassages {
  readonly texts: Buffer;
  readonly documents: string;
  readonly chunks: string;
}

/** Throws when a chunk is not what its document implies (then this layout could not give it back unchanged). */
export function encodePassages(documents: readonly CorpusDocument[], chunks: readonly ChunkRecord[]): EncodedPassages {
  const documentIndex = new Map(documents.map((document, index) => [document.documentId, index]));
  const pathIndex = new Map<string, number>();
  const headingPaths: (readonly string[])[] = [];
  const columns = {
    chunkIds: [] as string[],
    document: [] as number[],
    ordinal: [] as number[],
    start: [] as number[],
    end: [] as number[],
    headingPath: [] as number[],
  };
  const translations: [number, NonNullable<ChunkRecord['translation']>][] = [];
  chunks.forEach((chunk, position) => {
    const index = documentIndex.get(chunk.documentId);
    const document = index === undefined ? undefined : documents[index];
    if (index === undefined || document === undefined)
      throw new Error(`chunk ${chunk.chunkId} names an unknown document ${chunk.documentId}`);
    if (
      document.content.slice(chunk.start, chunk.end) !== chunk.text ||
      chunk.title !== document.title ||
      chunk.source !== document.source ||
      chunk.language !== document.language
    ) {
      throw new Error(
        `chunk ${chunk.chunkId} is not the slice ${chunk.start}-${chunk.end} of ${chunk.documentId} with its title, source and language`,
      );
    }
    const key = JSON.stringify(chunk.headingPath);
    let pathId = pathIndex.get(key);
    if (pathId === undefined) {
      pathId = headingPaths.length;
      pathIndex.set(key, pathId);
      headingPaths.push(chunk.headingPath);
    }
    columns.chunkIds.push(chunk.chunkId);
    columns.document.push(index);
    columns.ordinal.push(chunk.ordinal);
    columns.start.push(chunk.start);
    columns.end.push(chunk.end);
    columns.headingPath.push(pathId);
    if (chunk.translation !== undefined) translations.push([position, chunk.translation]);
  });
  const documentsFile: DocumentsFile = {
    documents: documents.map(({ content, ...rest }) => ({ ...rest, contentLength: content.length })),
  };
  const chunksFile: ChunksFile = { ...columns, headingPaths, translations };
  return {
    texts: Buffer.from(documents.map((document) => document.content).join(''), 'utf16le'),
    documents: JSON.stringify(documentsFile),
    chunks: JSON.stringify(chunksFile),
  };
}

export function decodePassages(
  texts: Buffer,
  documentsJson: string,
  chunksJson: string,
): { documents: CorpusDocument[]; chunks: ChunkRecord[] } {
  const { documents: described } = JSON.parse(documentsJson) as DocumentsFile;
  const totalLength = described.reduce((sum, document) => sum + document.contentLength, 0);
  if (texts.byteLength !== totalLength * 2)
    throw new Error(`${PASSAGE_FILES.texts} has ${texts.byteLength} bytes for ${totalLength} characters`);
  let offset = 0;
  const documents: CorpusDocument[] = described.map(({ contentLength, ...rest }) => {
    const content = texts.toString('utf16le', offset * 2, (offset + contentLength) * 2);
    offset += contentLength;
    return { ...rest, content };
  });
  const file = JSON.parse(chunksJson) as ChunksFile;
  const count = file.chunkIds.length;
  for (const column of [file.document, file.ordinal, file.start, file.end, file.headingPath]) {
    if (column.length !== count) throw new Error(`${PASSAGE_FILES.chunks} has columns of different lengths`);
  }
  const translations = new Map(file.translations);
  const chunks = file.chunkIds.map((chunkId, position): ChunkRecord => {
    const document = documents[file.document[position] as number];
    const headingPath = file.headingPaths[file.headingPath[position] as number];
    const start = file.start[position] as number;
    const end = file.end[position] as number;
    if (document === undefined || headingPath === undefined || !(start >= 0 && start <= end && end <= document.content.length)) {
      throw new Error(`${PASSAGE_FILES.chunks} describes chunk ${chunkId} outside its document`);
    }
    const translation = translations.get(position);
    return {
      chunkId,
      documentId: document.documentId,
      title: document.title,
      source: document.source,
      language: document.language,
      headingPath,
      ordinal: file.ordinal[position] as number,
      start,
      end,
      text: document.content.slice(start, end),
      ...(translation === undefined ? {} : { translation }),
    };
  });
  return { documents, chunks };
}
