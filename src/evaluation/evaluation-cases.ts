import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { TutorError } from '../errors/tutor-error.js';

/**
 * What a case tests. Question kinds (definition ... yes-no, summary; `aspect` compares the two on one aspect or names what they share) are asked plainly, in either language; the other categories
 * are about how the question is put: everyday words for the article's terms, pinyin-IME typos, noisy characters, chat
 * register (no apostrophes, interjections),
 * follow-ups of two and three turns, a second question that names its own topic, and out-of-scope questions that share
 * words with the article.
 */
export const CASE_CATEGORIES = [
  'definition',
  'contrast',
  'aspect',
  'example',
  'analogy',
  'why-how',
  'risk',
  'which-term',
  'yes-no',
  'summary',
  'paraphrase',
  'pinyin-typo',
  'noisy',
  'casual',
  'follow-up-2',
  'follow-up-3',
  'self-contained',
  'out-of-scope',
] as const;

export type CaseCategory = (typeof CASE_CATEGORIES)[number];

/** One required sentence: a verbatim substring of an original corpus sentence, or alternatives of which one suffices. */
const requirementSchema = z.union([z.string().min(2), z.array(z.string().min(2)).min(1)]);

const caseSchema = z
  .object({
    id: z.string().min(1),
    language: z.enum(['zh', 'en']),
    category: z.enum(CASE_CATEGORIES),
    /** The learner's questions in order, as typed; the last one is evaluated, the earlier ones are context. */
    turns: z.array(z.string().min(1)).min(1),
    covered: z.boolean(),
    /**
     * Verbatim substrings of the original corpus, each inside one sentence that answers the last turn. A passage
     * holding one is relevant (hit@k); a cited sentence span overlapping one is precise.
     */
    expect: z.array(z.string().min(2)),
    /**
     * Sentences the answer must contain, named by a verbatim substring of the original sentence (so an answer quoting
     * the English rendering of that sentence, or citing its span, holds it too). Each entry is also expected evidence.
     */
    must: z.array(requirementSchema).default([]),
    /** Contrast cases: for each side, the sentences of which the answer must contain at least one. */
    sides: z
      .array(z.array(z.string().min(2)).min(1))
      .min(2)
      .optional(),
    /** Pinyin-typo cases: the word as typed with a pinyin IME and the corpus term with the same toneless pinyin. */
    typo: z.object({ from: z.string().min(1), to: z.string().min(1) }).optional(),
  })
  .superRefine((entry, context) => {
    const issue = (message: string): void => context.addIssue({ code: 'custom', message: `${entry.id}: ${message}` });
    if (entry.covered && entry.must.length === 0) issue('an in-corpus case needs the sentences its answer must contain (`must`)');
    if (!entry.covered && (entry.expect.length > 0 || entry.must.length > 0 || entry.sides))
      issue('an out-of-scope case expects no passage, sentence or side');
    if (entry.covered === (entry.category === 'out-of-scope')) issue('`covered` is false exactly for the out-of-scope category');
    if (entry.category === 'follow-up-2' && entry.turns.length !== 2) issue('a follow-up-2 case has two turns');
    if (entry.category === 'follow-up-3' && entry.turns.length !== 3) issue('a follow-up-3 case has three turns');
    if (entry.category === 'self-contained' && entry.turns.length < 2) issue('a self-contained case follows an earlier turn');
    if ((entry.category === 'pinyin-typo') !== (entry.typo !== undefined)) issue('exactly the pinyin-typo cases name their `typo`');
    if (entry.typo && !(entry.turns[entry.turns.length - 1] as string).includes(entry.typo.from)) issue('the typo is in the last turn');
  });

export type EvaluationCase = z.infer<typeof caseSchema>;

/** Every verbatim phrase of a case that names an expected sentence: `expect`, `must` and `sides` together. */
export function evidencePhrases(entry: Pick<EvaluationCase, 'expect' | 'must' | 'sides'>): string[] {
  const phrases = [...entry.expect, ...entry.must.flat(), ...(entry.sides ?? []).flat()];
  return [...new Set(phrases)];
}

/** The `must` entries as groups of alternatives. */
export function requirementGroups(entry: Pick<EvaluationCase, 'must'>): string[][] {
  return entry.must.map((requirement) => (typeof requirement === 'string' ? [requirement] : requirement));
}

/**
 * Loads and validates the cases; ids are unique. A file that is not JSON or not `{ "cases": [...] }` of valid cases is an
 * INVALID_REQUEST naming the file and each faulty field (its path, such as `cases.3.turns`), not a stack trace.
 */
export async function loadEvaluationCases(filePath: string): Promise<EvaluationCase[]> {
  const schema = z.object({ cases: z.array(caseSchema).min(1) }).superRefine((file, context) => {
    const seen = new Set<string>();
    for (const entry of file.cases) {
      if (seen.has(entry.id)) context.addIssue({ code: 'custom', message: `duplicate case id ${entry.id}` });
      seen.add(entry.id);
    }
  });
  let json: unknown;
  try {
    json = JSON.parse(await readFile(filePath, 'utf8'));
  } catch (error) {
    throw new TutorError('INVALID_REQUEST', `${filePath} is not a readable JSON file: ${(error as Error).message}`, { cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new TutorError(
      'INVALID_REQUEST',
      `${filePath} is not a valid case file (test/eval/README.md):\n${z.prettifyError(parsed.error)}`,
      {
        cause: parsed.error,
      },
    );
  }
  return parsed.data.cases;
}
