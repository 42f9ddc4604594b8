import type { Glossary } from '../../src/ingest/glossary.js';
import { createSeededRandom } from '../support/seeded-random.js';
import { createLearnerQuestions } from './learner-questions.js';

/** A question-like query of the retrieval benchmarks and where it comes from. */
export interface QuestionQuery {
  readonly text: string;
  readonly source: 'evaluation' | 'learner';
}

type Term = { readonly zh: string; readonly en: string };

/**
 * Styles learners type that the templates of learner-questions.ts do not: colloquial Chinese, no punctuation, English in
 * lower case, both languages in one question, a term asked about on its own.
 */
const CASUAL_STYLES: readonly ((a: Term, b: Term) => string)[] = [
  (a) => `${a.zh}是啥`,
  (a) => `${a.zh}怎么理解`,
  (a) => `请问${a.zh}是什么意思`,
  (a) => `${a.zh}有什么用`,
  (a, b) => `${a.zh}跟${b.zh}是一回事吗`,
  (a, b) => `请解释一下${a.zh}和${b.zh}的区别`,
  (a) => `what does ${a.en.toLowerCase()} mean`,
  (a) => `explain ${a.en.toLowerCase()} simply`,
  (a, b) => `${a.en}和${b.zh}有什么不同？`,
  (a) => a.zh,
  (a) => a.en,
];

/**
 * At least `count` distinct question-like queries: every turn of the evaluation cases (what learners were observed to
 * ask, follow-ups included), then glossary questions in the template styles of learner-questions.ts and the casual
 * styles above, alternating. Deterministic for a given seed.
 */
export function questionQueries(
  evaluationTurns: readonly string[],
  glossary: Glossary,
  options: { readonly count: number; readonly seed?: number },
): QuestionQuery[] {
  const seen = new Set<string>();
  const queries: QuestionQuery[] = [];
  const add = (text: string, source: QuestionQuery['source']): void => {
    const trimmed = text.trim();
    if (trimmed.length === 0 || seen.has(trimmed) || queries.length >= options.count) return;
    seen.add(trimmed);
    queries.push({ text: trimmed, source });
  };
  for (const turn of evaluationTurns) add(turn, 'evaluation');
  const templated = createLearnerQuestions(glossary, options.seed ?? 42);
  const terms = glossary.terms.filter((term) => term.en.length > 0).map((term) => ({ zh: term.zh, en: term.en[0] as string }));
  const random = createSeededRandom(options.seed ?? 42);
  const pick = (): Term => terms[Math.floor(random() * terms.length)] as Term;
  for (let n = 0; queries.length < options.count && n < 100 * options.count; n += 1) {
    if (n % 2 === 0) add(templated(n), 'learner');
    else add((CASUAL_STYLES[Math.floor(random() * CASUAL_STYLES.length)] as (a: Term, b: Term) => string)(pick(), pick()), 'learner');
  }
  return queries;
}
