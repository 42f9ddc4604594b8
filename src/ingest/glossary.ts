import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { TutorError } from '../errors/tutor-error.js';

const glossaryFileSchema = z.object({
  terms: z.array(
    z.object({
      zh: z.string().min(1),
      en: z.array(z.string().min(1)).min(1),
      gloss: z.string().min(1),
      everyday: z.array(z.string().min(2)).optional(),
    }),
  ),
});

export interface GlossaryTerm {
  /** The Chinese term exactly as the corpus writes it. */
  readonly zh: string;
  /** Lower-case English surface forms a learner might type. */
  readonly en: readonly string[];
  /** The English rendering used when an English answer explains the term. */
  readonly gloss: string;
  /**
   * Everyday Chinese ways a learner says the term (学过头 and 死记硬背 for 过拟合, 算力 for 计算资源): a question is read
   * with the term in their place (everyday-names.ts), as `en` forms stand for it in English. One the corpus itself
   * writes is no alias (the corpus's words are searched as written). @default none
   */
  readonly everyday?: readonly string[];
}

export interface Glossary {
  readonly terms: readonly GlossaryTerm[];
  /** A stable fingerprint of the glossary content; part of the index manifest. */
  readonly fingerprint: string;
}

/** An empty glossary: English questions then match only English words of the corpus. */
export const emptyGlossary: Glossary = { terms: [], fingerprint: 'empty' };

/**
 * Reads `glossary.json` (see corpus/README.md). A missing file is an empty glossary; a malformed one is an error
 * naming the file, because a silently ignored glossary would quietly break English questions.
 */
export async function loadGlossary(filePath: string): Promise<Glossary> {
  let raw: string;
  try {
    raw = await readFile(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyGlossary;
    throw new TutorError('CORPUS_UNREADABLE', `Cannot read the glossary ${filePath}`, { cause: error });
  }
  let parsed: z.infer<typeof glossaryFileSchema>;
  try {
    parsed = glossaryFileSchema.parse(JSON.parse(raw));
  } catch (error) {
    throw new TutorError('CORPUS_UNREADABLE', `The glossary ${filePath} is not valid: ${describeParseError(error)}`, {
      cause: error,
    });
  }
  const terms = parsed.terms.map((term) => ({
    zh: term.zh,
    en: term.en.map((form) => form.toLowerCase().trim()),
    gloss: term.gloss,
    ...(term.everyday && term.everyday.length > 0 ? { everyday: term.everyday.map((form) => form.trim()) } : {}),
  }));
  return { terms, fingerprint: createHash('sha256').update(JSON.stringify(terms)).digest('hex').slice(0, 16) };
}

function describeParseError(error: unknown): string {
  if (error instanceof z.ZodError) return error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
  return error instanceof Error ? error.message : String(error);
}
