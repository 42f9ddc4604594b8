import type { LanguageCode } from '../shared/chat-protocol.js';

/** Language of a document or of a learner's question (the wire's LanguageCode: one definition). */
export type Language = LanguageCode;

/** A corpus document after loading: the body text that chunk offsets refer to, plus its front matter. */
export interface CorpusDocument {
  /** Stable id derived from the path relative to the corpus root, e.g. `finetune-vs-tuning`. */
  readonly documentId: string;
  /** Path relative to the corpus root, with forward slashes. */
  readonly relativePath: string;
  readonly title: string;
  readonly language: Language;
  /** Where the text came from (URL or description), from front matter; empty when unknown. */
  readonly source: string;
  /** Body text after front matter (HTML already reduced to text). Chunk offsets index into this string. */
  readonly content: string;
}

/**
 * One passage of a document, the unit that is indexed, retrieved and cited.
 * Invariant: `document.content.slice(start, end) === text`.
 */
export interface ChunkRecord {
  /** Stable across rebuilds of the same text: a hash of document id and the passage text. */
  readonly chunkId: string;
  readonly documentId: string;
  readonly title: string;
  readonly source: string;
  readonly language: Language;
  /** Headings above the passage, outermost first (the document title is not repeated). */
  readonly headingPath: readonly string[];
  /** Index of the chunk within its document, starting at 0. */
  readonly ordinal: number;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /**
   * The aligned rendering of this passage from the document's translation (e.g. `corpus/<name>.en.md`), when there is
   * one. `sentences`, when present, renders each sentence of the passage in order (one to one with the original's).
   * `headingPath`, when every heading above the passage is rendered, renders `headingPath` (indexed with the text).
   */
  readonly translation?: {
    readonly language: Language;
    /** The rendering's own title (its front matter's), shown first to a learner reading in its language. */
    readonly title?: string;
    readonly text: string;
    readonly sentences?: readonly string[];
    readonly headingPath?: readonly string[];
  };
}

/** A file read as a document, with its front matter (a rendering is told apart by `translation-of`). */
export interface ReadCorpusFile {
  readonly document: CorpusDocument;
  readonly frontMatter: Readonly<Record<string, string>>;
  /** The file line (1-based) that `document.content` starts on. */
  readonly contentFirstLine: number;
}
