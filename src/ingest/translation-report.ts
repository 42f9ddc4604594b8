import type { ChunkRecord } from './chunk-types.js';
import type { LoadedCorpus } from './corpus-loader.js';

/** What `npm run ingest` says about renderings: one line per document, then one per warning. */
export interface TranslationReport {
  readonly lines: readonly string[];
  readonly warningCount: number;
}

/**
 * Which documents have a rendering, how many of their passages carry it (and how many sentence by sentence), and every
 * alignment warning, each naming the rendering file, the document and the block.
 */
export function reportTranslations(corpus: LoadedCorpus, chunks: readonly ChunkRecord[]): TranslationReport {
  const lines: string[] = [];
  const translations = corpus.translations ?? new Map();
  for (const document of corpus.documents) {
    const own = chunks.filter((chunk) => chunk.documentId === document.documentId);
    const translation = translations.get(document.documentId);
    if (translation === undefined) {
      lines.push(`  ${document.documentId}: no rendering (${own.length} passages)`);
      continue;
    }
    const rendered = own.filter((chunk) => chunk.translation !== undefined).length;
    const bySentence = own.filter((chunk) => chunk.translation?.sentences !== undefined).length;
    const translator = translation.translator === '' ? '' : `, ${translation.translator}`;
    lines.push(
      `  ${document.documentId}: ${translation.language} rendering ${translation.file}${translator}: ` +
        `${rendered}/${own.length} passages (${bySentence} sentence by sentence), ` +
        `${translation.blocks.size}/${translation.originalBlockCount} blocks aligned`,
    );
  }
  const warnings = corpus.translationWarnings ?? [];
  for (const warning of warnings) lines.push(`  warning ${warning.file}: ${warning.message}`);
  return { lines, warningCount: warnings.length };
}
