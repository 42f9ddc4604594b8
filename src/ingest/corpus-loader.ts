import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { TutorError } from '../errors/tutor-error.js';
import type { CorpusDocument, Language, ReadCorpusFile } from './chunk-types.js';
import { alignCorpusTranslations, isRendering } from './corpus-translations.js';
import type { DocumentTranslation, TranslationWarning } from './rendering-alignment.js';

/** Extensions that are ingested; everything else under the corpus folder (glossary.json, README) is skipped. */
export const CORPUS_EXTENSIONS: readonly string[] = ['.md', '.txt', '.html', '.htm'];

/** Files that document the corpus folder itself rather than belong to it. */
const CORPUS_META_FILES = new Set(['readme.md']);

export interface CorpusWarning {
  readonly file: string;
  readonly message: string;
}

export interface LoadedCorpus {
  readonly documents: readonly CorpusDocument[];
  readonly warnings: readonly CorpusWarning[];
  /** sha256 over every ingested file's relative path and bytes; changes whenever the corpus does. */
  readonly corpusHash: string;
  /**
   * Renderings (files with `translation-of`, e.g. `<name>.en.md`) aligned to the documents they render, by the
   * original's document id. Renderings are not documents: they are never indexed or cited on their own.
   * @default none (a corpus built elsewhere, e.g. a benchmark's, may have no renderings)
   */
  readonly translations?: ReadonlyMap<string, DocumentTranslation>;
  /** Problems with renderings and their alignment, each naming the rendering file (and document and block). */
  readonly translationWarnings?: readonly TranslationWarning[];
}

export interface CorpusFile {
  readonly relativePath: string;
  readonly absolutePath: string;
}

/** Every ingestible file under `corpusDir`, recursively, sorted by relative path so builds are reproducible. */
export async function listCorpusFiles(corpusDir: string): Promise<CorpusFile[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(corpusDir, { recursive: true, withFileTypes: true });
  } catch (error) {
    throw new TutorError('CORPUS_UNREADABLE', `Cannot read the corpus folder ${corpusDir}: set CORPUS_DIR to a folder of articles`, {
      cause: error,
    });
  }
  const files: CorpusFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const extension = path.extname(entry.name).toLowerCase();
    if (!CORPUS_EXTENSIONS.includes(extension)) continue;
    if (entry.name.startsWith('.')) continue;
    const absolutePath = path.join(entry.parentPath, entry.name);
    const relativePath = path.relative(corpusDir, absolutePath).split(path.sep).join('/');
    if (CORPUS_META_FILES.has(relativePath.toLowerCase())) continue;
    files.push({ relativePath, absolutePath });
  }
  return files.sort((left, right) => (left.relativePath < right.relativePath ? -1 : 1));
}

/**
 * Loads every `.md`, `.txt` and `.html` file under `corpusDir`. A file that cannot be read or parsed becomes a
 * warning naming it and the rest goes on; a corpus with no usable document is a `CORPUS_EMPTY` error. Renderings
 * (front matter `translation-of`) are aligned to their originals instead of becoming documents.
 */
export async function loadCorpus(corpusDir: string): Promise<LoadedCorpus> {
  const files = await listCorpusFiles(corpusDir);
  const documents: CorpusDocument[] = [];
  const renderings: ReadCorpusFile[] = [];
  const warnings: CorpusWarning[] = [];
  const hash = createHash('sha256');
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = await readFile(file.absolutePath);
    } catch (error) {
      warnings.push({ file: file.relativePath, message: `cannot be read (${(error as Error).message})` });
      continue;
    }
    hash.update(file.relativePath).update('\0').update(bytes).update('\0');
    try {
      const read = readCorpusFile(file.relativePath, bytes);
      if (read.document.content.trim().length === 0) {
        warnings.push({ file: file.relativePath, message: 'has no text and was skipped' });
        continue;
      }
      if (isRendering(read)) renderings.push(read);
      else documents.push(read.document);
    } catch (error) {
      warnings.push({ file: file.relativePath, message: (error as Error).message });
    }
  }
  if (documents.length === 0) {
    throw new TutorError(
      'CORPUS_EMPTY',
      `The corpus folder ${corpusDir} has no readable article (.md, .txt or .html)` +
        (warnings.length > 0 ? `; skipped: ${warnings.map((warning) => `${warning.file} ${warning.message}`).join('; ')}` : ''),
    );
  }
  const { translations, warnings: translationWarnings } = alignCorpusTranslations(documents, renderings);
  return { documents, warnings, corpusHash: hash.digest('hex'), translations, translationWarnings };
}

/** Parses one file's bytes into a document. Throws an Error whose message says what is wrong with the file. */
export function parseCorpusFile(relativePath: string, bytes: Buffer): CorpusDocument {
  return readCorpusFile(relativePath, bytes).document;
}

/** Like `parseCorpusFile`, keeping the front matter. Throws an Error whose message says what is wrong with the file. */
export function readCorpusFile(relativePath: string, bytes: Buffer): ReadCorpusFile {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch (error) {
    throw new Error('is not valid UTF-8 text', { cause: error });
  }
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const extension = path.extname(relativePath).toLowerCase();
  const { frontMatter, body } = extension === '.md' || extension === '.txt' ? splitFrontMatter(text) : { frontMatter: {}, body: text };
  const content = extension === '.html' || extension === '.htm' ? htmlToText(body) : body;
  const documentId = relativePath.replace(/\.[^./]+$/, '');
  const title =
    frontMatter.title ?? (extension.startsWith('.htm') ? extractHtmlTitle(body) : undefined) ?? firstHeading(content) ?? documentId;
  const language = parseLanguage(frontMatter.language) ?? guessLanguage(content);
  const contentFirstLine = text.slice(0, text.length - body.length).split('\n').length;
  return {
    document: { documentId, relativePath, title, language, source: frontMatter.source ?? '', content },
    frontMatter,
    contentFirstLine,
  };
}

/**
 * Front matter is the `---`-fenced block of `key: value` lines at the top of a file (title, language, source).
 * A fence that is opened and never closed is an error: the whole article would otherwise be taken as metadata.
 */
export function splitFrontMatter(text: string): { frontMatter: Record<string, string>; body: string } {
  if (!text.startsWith('---\n')) return { frontMatter: {}, body: text };
  const closing = text.indexOf('\n---', 3);
  if (closing < 0) throw new Error('has front matter that is opened with --- but never closed');
  const block = text.slice(4, closing);
  const afterFence = text.indexOf('\n', closing + 4);
  const body = afterFence < 0 ? '' : text.slice(afterFence + 1);
  const frontMatter: Record<string, string> = {};
  for (const line of block.split('\n')) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const match = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!match) throw new Error(`has a front matter line that is not "key: value": ${JSON.stringify(line.slice(0, 60))}`);
    const key = (match[1] as string).toLowerCase();
    frontMatter[key] = unquote((match[2] as string).trim());
  }
  return { frontMatter, body };
}

function unquote(value: string): string {
  if (value.length >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))) {
    return value.slice(1, -1);
  }
  return value;
}

function parseLanguage(value: string | undefined): Language | undefined {
  if (value === undefined) return undefined;
  const normalized = value.toLowerCase();
  if (normalized.startsWith('zh')) return 'zh';
  if (normalized.startsWith('en')) return 'en';
  return undefined;
}

function guessLanguage(text: string): Language {
  const sample = text.slice(0, 2000);
  const cjk = sample.match(/[\u3400-\u9fff]/g)?.length ?? 0;
  return cjk * 4 >= sample.replace(/\s/g, '').length * 1 ? 'zh' : 'en';
}

function firstHeading(content: string): string | undefined {
  const match = /^#{1,6}\s+(.+)$/m.exec(content);
  return match?.[1]?.trim();
}

function extractHtmlTitle(html: string): string | undefined {
  const match = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  const title = match?.[1] === undefined ? undefined : decodeHtmlEntities(match[1]).trim();
  return title === undefined || title === '' ? undefined : title;
}

const BLOCK_TAGS =
  /<\/?(?:p|div|section|article|header|footer|main|aside|nav|h[1-6]|li|ul|ol|br|hr|tr|table|blockquote|pre|dd|dt|dl|figure|figcaption)\b[^>]*>/gi;

/**
 * Reduces HTML to plain text: scripts, styles and comments dropped, block elements become line breaks, headings
 * become Markdown headings (so the chunker keeps the heading path), entities decoded.
 */
export function htmlToText(html: string): string {
  const withoutNoise = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style|noscript|template|head)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1\s*>/gi, (_match, level: string, inner: string) => {
      return `\n\n${'#'.repeat(Number(level))} ${inner.replace(/<[^>]*>/g, '').trim()}\n\n`;
    })
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(BLOCK_TAGS, '\n\n')
    .replace(/<[^>]*>/g, '');
  return decodeHtmlEntities(withoutNoise)
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  mdash: '—',
  ndash: '–',
  hellip: '…',
  ldquo: '“',
  rdquo: '”',
  lsquo: '‘',
  rsquo: '’',
  middot: '·',
  bull: '•',
  copy: '©',
};

function decodeHtmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return safeFromCodePoint(Number.parseInt(name.slice(2), 16), entity);
    if (name.startsWith('#')) return safeFromCodePoint(Number.parseInt(name.slice(1), 10), entity);
    return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
  });
}

function safeFromCodePoint(codePoint: number, fallback: string): string {
  return Number.isInteger(codePoint) && codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : fallback;
}
