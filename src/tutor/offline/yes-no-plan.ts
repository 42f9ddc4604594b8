import type { GlossaryTerm } from '../../ingest/glossary.js';
import { ANSWER_KIND_TERMS } from '../../retrieval/text-analyzer.js';
import { joinedSides } from './contrast-plans.js';
import { mentionsAny, neighbour, pickDistinct, rankBy, topicalBonus } from './plan-support.js';
import type { AnswerPlan, PlanContext } from './plan-types.js';
import { renderedSentence } from './rendering.js';
import { type EvidenceSentence, labelsOf, plain } from './sentence-evidence.js';

/** Words that ask rather than state ("需要…吗" keeps 需要; these carry no claim). */
const QUESTION_WORDS = new Set(['是不是', '是否', '能不能', '会不会', '有没有', '吗', '么']);
const CHINESE_NEGATION = /(?:不|无|没有|没|未|非|无需|不需要|不会|不能)[会被再]?$/;
const CHINESE_HEDGE = /(?:可能|也许|或许)[会被再过]?$/;
const ENGLISH_NEGATION = /\b(?:not|no|never|without|doesn't|don't|isn't|aren't|won't|cannot|can't|neither|nor)\b(?:\s+\w+){0,2}\s*$/i;
const ENGLISH_HEDGE = /\b(?:may|might|can|could|possibly|sometimes)\b(?:\s+\w+){0,2}\s*$/i;

type Polarity = 'yes' | 'no' | 'maybe';

/**
 * A negating verb phrase that governs the rest of its clause: "不需要进行大量的参数更新" negates 更新, "无需重新训练"
 * negates 训练. Bare 不 only negates the word right after it (不同 is not a negation of what follows).
 */
const CHINESE_CLAUSE_NEGATION = /(?:不需要|无需|不用|不必|没有|不会|不能|并不|从不|未曾)/;
const CLAUSE_END = /[,，;；。！？!?:：、]/;

/** The text of the clause before `at`: back to the last clause boundary. */
function clauseBefore(text: string, at: number): string {
  let start = at;
  while (start > 0 && !CLAUSE_END.test(text[start - 1] ?? '')) start -= 1;
  return text.slice(start, at);
}

/** How a sentence states a claim word: negated before it in its clause (不更新, 不需要…更新), hedged (可能过拟合), or plainly. */
function polarityOf(text: string, word: string): Polarity | undefined {
  const latin = /^[a-z]/i.test(word);
  const haystack = latin ? text.toLowerCase() : text;
  const at = haystack.indexOf(latin ? word.toLowerCase() : word);
  if (at < 0) return undefined;
  const before = haystack.slice(Math.max(0, at - (latin ? 30 : 4)), at);
  if ((latin ? ENGLISH_NEGATION : CHINESE_NEGATION).test(before)) return 'no';
  if (!latin && CHINESE_CLAUSE_NEGATION.test(clauseBefore(haystack, at))) return 'no';
  if ((latin ? ENGLISH_HEDGE : CHINESE_HEDGE).test(before)) return 'maybe';
  return 'yes';
}

/**
 * A yes/no question: the sentence that states the question's claim words (those beyond its topics) best, the verdict
 * it gives (negated → no, hedged → maybe, stated → yes; none when it states none of them), then one sentence of context
 * from its passage. The verdict is said first and the sentence is cited.
 */
export function planYesNo(context: PlanContext, question: string): AnswerPlan | undefined {
  // The subject is the first topic; the other topics belong to the claim ("微调会过拟合吗" asks about 过拟合).
  const labels = context.topics.slice(0, 1).flatMap((topic) => labelsOf(topic.zh));
  // The subject's own names in either language ("model application") are not part of the claim.
  // Alternatives the question joins ("for model application or fine-tuning") are its scope, not its claim.
  const scope: GlossaryTerm[] = joinedSides(context) ?? [];
  const names = [...context.topics.slice(0, 1), ...scope].flatMap((topic) => [
    ...labelsOf(topic.zh),
    ...topic.en.map((form) => form.toLowerCase()),
  ]);
  // A question with a condition before its main clause ("模型直接拿来用的时候，它…会变吗") asks about the main clause:
  // words of the condition are its scope, and a verdict resting on them would answer another question.
  const mainClause = mainClauseOf(question);
  const claimWords = context.queryTerms.filter(
    (term) =>
      !ANSWER_KIND_TERMS.has(term) &&
      !QUESTION_WORDS.has(term) &&
      !names.some((name) => name.includes(term) || term.includes(name)) &&
      [...term].length >= (/^[a-z]/i.test(term) ? 3 : 2) &&
      // A Chinese word the passages never use is a segmentation artefact ("会过" of 会过拟合), not a claim.
      (/^[a-z]/i.test(term) || context.pool.some((sentence) => sentence.chunk.text.includes(term))),
  );
  const mainWords = claimWords.filter((word) => mainClause.toLowerCase().includes(word.toLowerCase()));
  const textsOf = (sentence: EvidenceSentence): string[] => [sentence.text, renderedSentence(sentence) ?? ''];
  const stated = (sentence: EvidenceSentence): string[] =>
    claimWords.filter((word) => textsOf(sentence).some((text) => polarityOf(text, word)));
  // A sentence labelled with another term ("**微调**:…" asked about 模型应用) states that term's claim, not the subject's.
  const claimTopics = context.topics.slice(1).filter((topic) => !scope.includes(topic));
  const topical = topicalBonus({ ...context, topics: context.topics.slice(0, 1) });
  const ranked = rankBy(
    context,
    context.pool,
    (sentence) =>
      stated(sentence).length * 0.6 +
      // The claim's own terms whole ("重新训练", not 训练 inside 预训练).
      claimTopics.filter((topic) => sentence.text.includes(topic.zh)).length * 0.6 +
      (mentionsAny(sentence, labels) ? 0.3 : 0) +
      2 * Math.min(0, topical(sentence)),
  );
  const best = pickDistinct(context, ranked, { limit: 1 })[0];
  if (!best) return undefined;
  // A verdict needs at least half of the claim stated: a sentence that shares one noun with the question does not answer it.
  // When the question has a condition, the verdict rests on the main clause's words only.
  const statedWords = stated(best).filter((word) => mainClause === question || mainWords.includes(word));
  const verdicts = (
    statedWords.length > 0 && statedWords.length * 2 >= (mainClause === question ? claimWords : mainWords).length ? statedWords : []
  )
    .map((word) => {
      for (const text of textsOf(best)) {
        const polarity = polarityOf(text, word);
        if (polarity) return polarity;
      }
      return undefined;
    })
    .filter((polarity) => polarity !== undefined);
  // The question's own negation ("不需要…吗") turns the verdict around.
  // Only the words the verdict rests on: "applied without fine-tuning, are its weights updated" does not negate 更新.
  const askedNegatively = statedWords.some((word) => polarityOf(question, word) === 'no');
  let verdict: Polarity | undefined = verdicts.includes('no') ? 'no' : verdicts.includes('maybe') ? 'maybe' : verdicts[0];
  if (askedNegatively && verdict !== 'maybe' && verdict !== undefined) verdict = verdict === 'yes' ? 'no' : 'yes';
  const following = neighbour(context, best, 1);
  const sentences =
    following &&
    // Only a sentence that continues the verdict's sentence ("这…", "因为…"); the next bullet is another claim.
    /^(?:这|它|因为|由于|但|所以)/.test(plain(following.text)) &&
    following.terms.size > 0 &&
    pickDistinct(context, [following], { limit: 1, taken: [best] }).length > 0
      ? [best, following]
      : [best];
  return { kind: 'yesno', topics: context.topics, blocks: [{ role: 'main', sentences }], ...(verdict ? { verdict } : {}) };
}

/**
 * The main clause of a question: after its last comma when the question has more than one clause ("…的时候，它会变吗"
 * → "它会变吗", "When a model is applied, are its weights updated?" → "are its weights updated?"); else the question.
 */
export function mainClauseOf(question: string): string {
  const text = question.trim();
  const cut = Math.max(text.lastIndexOf('，'), text.lastIndexOf(','), text.lastIndexOf('；'), text.lastIndexOf(';'));
  const main = cut >= 0 ? text.slice(cut + 1).trim() : '';
  return main.replace(/[\p{P}\s]/gu, '').length >= 2 ? main : text;
}
