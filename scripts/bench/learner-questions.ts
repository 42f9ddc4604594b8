import type { Glossary } from '../../src/ingest/glossary.js';
import { createSeededRandom } from '../support/seeded-random.js';

/**
 * Distinct learner questions for serving benchmarks, made from the glossary's terms with question templates in
 * Chinese and English. Distinct on purpose: hybrid search remembers results per query, and a benchmark that repeated
 * the same few questions would measure that cache rather than answering. Some questions (two unrelated terms) are not
 * covered by the article, as in real use. Deterministic: the n-th question is always the same.
 */
export function createLearnerQuestions(glossary: Glossary, seed = 42): (n: number) => string {
  const terms = glossary.terms.filter((term) => term.en.length > 0);
  if (terms.length < 2) throw new Error('learner questions need a glossary with at least two terms');
  const single: readonly ((zh: string, en: string) => string)[] = [
    (zh) => `什么是${zh}？`,
    (zh) => `为什么需要${zh}？`,
    (zh) => `${zh}在微调中起什么作用？`,
    (zh) => `能举一个关于${zh}的例子吗？`,
    (_zh, en) => `What is ${en}?`,
    (_zh, en) => `Why does ${en} matter when fine-tuning a model?`,
  ];
  const paired: readonly ((a: { zh: string; en: string }, b: { zh: string; en: string }) => string)[] = [
    (a, b) => `${a.zh}和${b.zh}有什么区别？`,
    (a, b) => `${a.zh}与${b.zh}有什么关系？`,
    (a, b) => `How does ${a.en} relate to ${b.en}?`,
  ];
  // A fixed shuffle of every (template, term[, term]) combination, so consecutive questions are unrelated.
  const combinations: string[] = [];
  for (const template of single) {
    for (const term of terms) combinations.push(template(term.zh, term.en[0] as string));
  }
  for (const template of paired) {
    for (const first of terms) {
      for (const second of terms) {
        if (first !== second)
          combinations.push(template({ zh: first.zh, en: first.en[0] as string }, { zh: second.zh, en: second.en[0] as string }));
      }
    }
  }
  const random = createSeededRandom(seed);
  for (let index = combinations.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [combinations[index], combinations[other]] = [combinations[other] as string, combinations[index] as string];
  }
  return (n) => combinations[n % combinations.length] as string;
}
