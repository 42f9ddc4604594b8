import type { CorpusDocument, ReadCorpusFile } from './chunk-types.js';
import { alignRendering, type DocumentTranslation, type TranslationWarning } from './rendering-alignment.js';
import { parseRenderingBody } from './rendering-parser.js';

/** The front-matter key that makes a corpus file a rendering of another document instead of a document of its own. */
export const TRANSLATION_OF_KEY = 'translation-of';

/** Whether a read corpus file is a rendering (it names its original with `translation-of`). */
export function isRendering(file: ReadCorpusFile): boolean {
  return file.frontMatter[TRANSLATION_OF_KEY] !== undefined;
}

export interface CorpusTranslations {
  /** Aligned renderings by the id of the document they render (one per document). */
  readonly translations: ReadonlyMap<string, DocumentTranslation>;
  readonly warnings: readonly TranslationWarning[];
}

/**
 * Aligns every rendering to the document its `translation-of` names. A rendering that names no document of the corpus,
 * or a document that already has one, is a warning naming the file; nothing here throws.
 */
export function alignCorpusTranslations(documents: readonly CorpusDocument[], renderings: readonly ReadCorpusFile[]): CorpusTranslations {
  const byId = new Map(documents.map((document) => [document.documentId, document]));
  const translations = new Map<string, DocumentTranslation>();
  const warnings: TranslationWarning[] = [];
  for (const rendering of renderings) {
    const file = rendering.document.relativePath;
    const target = (rendering.frontMatter[TRANSLATION_OF_KEY] ?? '').trim();
    const original = byId.get(target);
    if (original === undefined) {
      warnings.push({
        file,
        problem: 'no-original',
        message: `is a rendering of "${target}" (${TRANSLATION_OF_KEY}), but the corpus has no document with that id; it is not used`,
      });
      continue;
    }
    const earlier = translations.get(target);
    if (earlier !== undefined) {
      warnings.push({
        file,
        documentId: target,
        problem: 'second-rendering',
        message: `is a second rendering of ${target} (${earlier.file} is used); it is not used`,
      });
      continue;
    }
    const body = parseRenderingBody(rendering.document.content, rendering.contentFirstLine);
    for (const problem of body.problems)
      warnings.push({ file, documentId: target, problem: 'unreadable', message: `${target}: ${problem}` });
    const aligned = alignRendering(original, {
      file,
      language: rendering.document.language,
      title: rendering.frontMatter.title ?? original.title,
      translator: rendering.frontMatter.translator ?? '',
      blocks: body.blocks,
    });
    translations.set(target, aligned.translation);
    warnings.push(...aligned.warnings);
  }
  return { translations, warnings };
}
