import type { GlossaryTerm } from '../../ingest/glossary.js';
import { SHARED_HEADING } from '../../retrieval/evidence-cues.js';
import { areOpposites, type PoleWord } from '../../retrieval/opposite-words.js';
import { isGenericConcept } from '../concept-map.js';
import type { PlanContext } from './plan-types.js';
import { type EvidenceSentence, labelsOf, passageSentenceSpans, plain } from './sentence-evidence.js';
import { type ClaimPole, namesOf, polesIn, type YesNoClaim } from './yes-no-claim.js';

/**
 * How one sentence bears on a yes/no claim (yes-no-claim.ts): which of the predicate's words it states and how
 * (plainly, negated, hedged), which of its pole words it agrees with or opposes, and what it compares its subject with.
 */

/** A pole word of the predicate counts as much as its rarest content word, at least this much. */
const POLE_WEIGHT = 1.5;

export type Polarity = 'yes' | 'no' | 'maybe';

/** How one sentence bears on the claim: the share of the predicate it carries and the verdict it gives. */
export interface ClaimReading {
  /** Weighted share of the predicate (words stated, poles found on the same scale) the sentence carries, 0..1. */
  readonly carried: number;
  /** Some pole of the predicate is opposed in the sentence (较长 for 更短): the claim is contradicted. */
  readonly opposed: boolean;
  /** Every pole of the predicate that the question has, found at least once. */
  readonly polesFound: boolean;
  /** The verdict the sentence gives, before the question's own negation; undefined when it carries too little. */
  readonly verdict: Polarity | undefined;
}

const CLAUSE = /[^,，;；。！？!?:：]+/g;

/**
 * Reads one sentence against the claim, in each of its texts (the original and, for English questions, its rendering):
 * each content word stated plainly, negated or hedged (`polarityOf`), each pole word found agreeing, opposed, or both
 * (部分或全部: it depends). A verdict needs half the predicate's weight, and at least one of its poles when it has any.
 */
export function readClaim(
  claim: YesNoClaim,
  texts: readonly string[],
  glossary: readonly GlossaryTerm[],
  polarityOf: (text: string, word: string) => Polarity | undefined,
): ClaimReading {
  const poleWeight = Math.max(POLE_WEIGHT, ...claim.words.map((word) => word.weight));
  const total = claim.words.reduce((sum, word) => sum + word.weight, 0) + claim.poles.length * poleWeight;
  if (total === 0) return { carried: 0, opposed: false, polesFound: true, verdict: undefined };
  // What a text says first decides: an English question reads the rendering before the original (see the plan).
  let carried = 0;
  const polarities: Polarity[] = [];
  let respectOnly = 0;
  for (const { forms, negatedForms, respectForms, weight, standIns } of claim.words) {
    let share = 1;
    let polarity = texts.some((text) => negatedForms.some((form) => text.includes(form))) ? 'no' : firstStated(texts, forms, polarityOf);
    // Stated only by a word standing for it: at that word's share.
    for (const standIn of standIns ?? []) {
      if (polarity !== undefined) break;
      polarity = firstStated(texts, [standIn.form], polarityOf);
      share = standIn.share;
    }
    if (polarity === undefined) {
      // Stated only in the words of its aspect: the sentence speaks to it, and says neither yes nor no.
      if (texts.some((text) => respectForms.some((form) => polarityOf(text, form) !== undefined))) {
        carried += weight;
        respectOnly += 1;
      }
      continue;
    }
    carried += weight * share;
    polarities.push(polarity);
  }
  let opposed = false;
  let found = 0;
  for (const pole of claim.poles) {
    const reading = texts.map((text) => readPole(pole, text, claim, glossary)).find((value) => value !== undefined);
    if (reading === undefined) continue;
    found += 1;
    carried += poleWeight;
    if (reading === 'opposed') opposed = true;
    else polarities.push(reading === 'both' ? 'maybe' : 'yes');
  }
  const polesFound = claim.poles.length === 0 || found > 0;
  const share = carried / total;
  // A word no sentence uses leaves the claim unstated, but a contradiction of its pole stands ("only at the end" against
  // "at any stage").
  // Only aspect words and no pole carried: nothing the verdict could rest on.
  const stated = polarities.length > 0 || found > 0 || respectOnly === 0;
  const enough = share * 2 >= 1 - 1e-9 && polesFound && carried > 0 && stated && (!claim.unused || opposed);
  const verdict: Polarity | undefined = !enough
    ? undefined
    : opposed || polarities.includes('no')
      ? 'no'
      : polarities.includes('maybe')
        ? 'maybe'
        : 'yes';
  return { carried: share, opposed, polesFound, verdict };
}

/** How the first text that states one of the forms states it (texts in order, then forms), without arrays per word. */
function firstStated(
  texts: readonly string[],
  forms: readonly string[],
  polarityOf: (text: string, word: string) => Polarity | undefined,
): Polarity | undefined {
  for (const text of texts)
    for (const form of forms) {
      const found = polarityOf(text, form);
      if (found !== undefined) return found;
    }
  return undefined;
}

/**
 * A pole of the question in one text: the pole words of its scale there, in the clause that holds most of the
 * predicate's words when they disagree. Both poles in that clause ("部分或全部") read as `both`.
 */
function readPole(
  pole: ClaimPole,
  text: string,
  claim: YesNoClaim,
  glossary: readonly GlossaryTerm[],
): 'agrees' | 'opposed' | 'both' | undefined {
  const lowerText = text.toLowerCase();
  const same = polesIn(text, glossary).filter(
    (found) => found.scale === pole.scale && (pole.head === undefined || clauseAround(lowerText, found, pole.head)),
  );
  if (same.length === 0) return undefined;
  const verdictOf = (found: readonly PoleWord[]): 'agrees' | 'opposed' | 'both' => {
    const opposite = found.some((other) => areOpposites(other, pole));
    const agreeing = found.some((other) => !areOpposites(other, pole));
    return opposite && agreeing ? 'both' : opposite ? 'opposed' : 'agrees';
  };
  const overall = verdictOf(same);
  if (overall !== 'both') return overall;
  const lower = text.toLowerCase();
  let best: { words: number; poles: PoleWord[] } | undefined;
  for (const match of text.matchAll(CLAUSE)) {
    const start = match.index ?? 0;
    const end = start + match[0].length;
    const inClause = same.filter((found) => found.start >= start && found.end <= end);
    if (inClause.length === 0) continue;
    const clause = lower.slice(start, end);
    const words = claim.words.filter(({ word }) => clause.includes(word)).length;
    if (!best || words > best.words) best = { words, poles: inClause };
  }
  return best ? verdictOf(best.poles) : overall;
}

/**
 * Whether the clause holding a pole word names one of the forms (lower-case text). A clause of examples right after it
 * ("较高的计算资源,如GPU支持", "substantial computing resources, such as GPU support") belongs to the noun it
 * illustrates: a form named there is named by the clause.
 */
function clauseAround(lower: string, found: PoleWord, forms: readonly string[]): boolean {
  let start = found.start;
  while (start > 0 && !/[,，;；。！？!?:：]/.test(lower[start - 1] ?? '')) start -= 1;
  let end = clauseEnd(lower, found.end);
  while (EXAMPLE_CLAUSE.test(lower.slice(end + 1).trimStart())) end = clauseEnd(lower, end + 1);
  const clause = lower.slice(start, end);
  return forms.some((form) => clause.includes(form.toLowerCase()));
}

const clauseEnd = (lower: string, from: number): number => {
  let end = from;
  while (end < lower.length && !/[,，;；。！？!?:：]/.test(lower[end] ?? '')) end += 1;
  return end;
};

/** A clause that gives examples of the noun before it. */
const EXAMPLE_CLAUSE = /^(?:如|比如|例如|譬如|像|包括|such as\b|e\.g\.|for example\b|for instance\b|including\b|like\b)/;

/**
 * What a sentence compares its subject with: the other terms it names (not generic words such as 训练), and the terms
 * that label the other sentences of its passage (the parallel bullet "**应用**:更快" beside "**微调**:时间较长"), unless
 * the passage lists what both share.
 */
export function comparedTerms(context: PlanContext, sentence: EvidenceSentence, subject: GlossaryTerm | undefined): GlossaryTerm[] {
  const subjectLabels = subject ? labelsOf(subject.zh) : [];
  const isOther = (term: GlossaryTerm): boolean =>
    term !== subject && !isGenericConcept(term.zh) && !subjectLabels.some((label) => term.zh.includes(label) || label.includes(term.zh));
  const named = context.glossary.filter((term) => isOther(term) && labelsOf(term.zh).some((label) => sentence.text.includes(label)));
  const { chunk } = sentence;
  // The items of a section on what both share (共性: 复用价值, 计算资源需求) are points both sides have, not sides: a
  // sentence there compares its subject with nothing, whatever terms it names (计算资源 of 计算资源需求).
  if (SHARED_HEADING.test(chunk.headingPath.at(-1) ?? '')) return [];
  const siblings = passageSentenceSpans(chunk)
    .filter((_span, index) => !sentence.indexes.includes(index))
    .map((span) => /^"?([^\s:：,，。"]{1,8})"?[:：]/.exec(plain(chunk.text.slice(span.start - chunk.start, span.end - chunk.start)))?.[1])
    .filter((label): label is string => label !== undefined && context.termLabels.has(label));
  const labelled = context.glossary.filter((term) => isOther(term) && siblings.some((label) => labelsOf(term.zh).includes(label)));
  return dropContained([...new Set([...labelled, ...named])]);
}

/** Terms named inside another named term (应用 of 模型应用) are that term. */
function dropContained(terms: readonly GlossaryTerm[]): GlossaryTerm[] {
  return terms.filter((term) => !terms.some((other) => other !== term && other.zh.includes(term.zh)));
}

/** Whether a compared term is the question's object (by its names or labels). */
export const isObject = (claim: YesNoClaim, term: GlossaryTerm): boolean => namesOf(term).some((name) => claim.objectNames.includes(name));
