import type { GlossaryTerm } from '../../ingest/glossary.js';
import { labelOf } from './plan-support.js';
import type { PlanContext } from './plan-types.js';
import { labelsOf } from './sentence-evidence.js';
import { termSpan } from './term-spans.js';

/**
 * The subject of a yes/no question that names it only in everyday words ("直接拿现成的模型来用，还要重新训练吗？"):
 * its one glossary term (重新训练) stands in the predicate, after the main clause's verb, and is no item the article
 * labels, so it is what is asked of the subject, not the subject. The subject is then the labelled item ("**应用**:…",
 * "**微调**:…") whose statements hold most of the question's words before that term (直接, 模型: "**应用**:通常是
 * 直接使用预训练模型…"), weighed by how few sentences of the pool hold each; undefined when no item holds more than
 * every other (现成的模型 alone: 模型 is in both), or when the question's term opens its main clause or is a label.
 */
export function unnamedSubject(context: PlanContext, mainClause: string): GlossaryTerm | undefined {
  const asked = context.topics[0];
  if (!asked || context.topics.length > 1) return undefined;
  // The term opens its clause (重新训练需要很多时间吗): it is the subject.
  const inClause = termSpan(mainClause, asked);
  if (!inClause || inClause.start === 0) return undefined;
  const labels = new Set(labelsOf(asked.zh));
  if (context.pool.some((sentence) => labels.has(labelOf(sentence) ?? ''))) return undefined;
  // The words naming the subject: the question's words before the term, not its own pieces.
  const at = termSpan(context.query, asked)?.start ?? 0;
  const before = context.query.slice(0, at);
  const words = context.queryTerms.filter((term) => before.includes(term) && !asked.zh.includes(term));
  if (words.length === 0) return undefined;
  const holding = (word: string): number => context.pool.filter((sentence) => sentence.terms.has(word)).length;
  const weight = new Map(words.map((word) => [word, Math.log((context.pool.length + 1) / (holding(word) + 1))]));
  const held = new Map<string, Set<string>>();
  for (const sentence of context.pool) {
    const label = labelOf(sentence);
    if (!label || !context.termLabels.has(label) || labels.has(label)) continue;
    const own = held.get(label) ?? new Set<string>();
    for (const word of words) if (sentence.terms.has(word)) own.add(word);
    held.set(label, own);
  }
  const totals = [...held]
    .map(([label, own]) => ({ label, total: [...own].reduce((sum, word) => sum + (weight.get(word) ?? 0), 0) }))
    .sort((left, right) => right.total - left.total);
  const [best, next] = totals;
  if (!best || best.total <= 0 || (next && next.total >= best.total - 1e-9)) return undefined;
  return context.termOf(best.label);
}
