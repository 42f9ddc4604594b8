import type { GlossaryTerm } from '../../ingest/glossary.js';
import { boundedMemo } from '../../support/bounded-memo.js';
import { escapeRegExp } from '../../support/escape-regexp.js';
import { ledByAntecedent } from './antecedent-sentences.js';
import { joinedSides } from './contrast-sides.js';
import { literalBonus, mentionsAny, neighbour, pickDistinct, rankBy, saidOfBoth, topicalBonus } from './plan-support.js';
import type { AnswerPlan, PlanContext } from './plan-types.js';
import { renderedSentence } from './rendering.js';
import { type EvidenceSentence, labelsOf, opensWith, plain } from './sentence-evidence.js';
import { speaksOf } from './sentence-subject.js';
import { unnamedSubject } from './unnamed-subject.js';
import { splitClaim } from './yes-no-claim.js';
import { type ClaimReading, comparedTerms, isObject, type Polarity, readClaim } from './yes-no-reading.js';

/** A negation right before the word, or before the short verb that governs it (不更新权重 negates 权重; 不同 is no negation). */
const CHINESE_NEGATION = /(?:(?:不(?![同断如仅])|没|未)[\u4e00-\u9fff]{0,2}|(?:无|没有|非|无需|不需要|不会|不能)[会被再]?)$/;
const CHINESE_HEDGE = /(?:可能|也许|或许)[会被再过]?$/;
const ENGLISH_NEGATION = /\b(?:not|no|never|without|doesn't|don't|isn't|aren't|won't|cannot|can't|neither|nor)\b(?:\s+\w+){0,2}\s*$/i;
const ENGLISH_HEDGE = /\b(?:may|might|can|could|possibly|sometimes)\b(?:\s+\w+){0,2}\s*$/i;

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

/**
 * How a sentence states a claim word: negated before it in its clause (不更新, 不需要…更新), hedged (可能过拟合), or
 * plainly; undefined when the text does not hold the word. Remembered per word for the latest texts, without building a
 * key per call: a yes/no plan asks it for every form of every predicate word in every text of every pool sentence.
 */
export function polarityOf(text: string, word: string): Polarity | undefined {
  return polarityByWord(word)(text);
}
const polarityByWord = boundedMemo(1000, (word: string) => boundedMemo(2000, (text: string) => readPolarity(text, word)));

function readPolarity(text: string, word: string): Polarity | undefined {
  const latin = /^[a-z]/i.test(word);
  const haystack = latin ? text.toLowerCase() : text;
  // An English word where a word starts ("time" is not in "sentiment"), a Chinese one anywhere.
  const at = latin ? haystack.search(englishWordStart(word)) : haystack.indexOf(word);
  if (at < 0) return undefined;
  const before = haystack.slice(Math.max(0, at - (latin ? 30 : 4)), at);
  if ((latin ? ENGLISH_NEGATION : CHINESE_NEGATION).test(before)) return 'no';
  if (!latin && CHINESE_CLAUSE_NEGATION.test(clauseBefore(haystack, at))) return 'no';
  if ((latin ? ENGLISH_HEDGE : CHINESE_HEDGE).test(before)) return 'maybe';
  return 'yes';
}
/** A lower-case English word or stem where a word starts. */
const englishWordStart = boundedMemo(2000, (word: string): RegExp => new RegExp(`(?<![a-z])${escapeRegExp(word.toLowerCase())}`));

/**
 * A yes/no question: split into its subject and predicate (yes-no-claim.ts), the sentence that carries the predicate
 * best for that subject, and the verdict it gives: negated or opposed (较长 for "less time", 小的调整 for 大范围) → no,
 * hedged or both ways (部分或全部) → maybe, stated → yes; none when it carries less than half of the predicate or none of
 * its pole words, or when it is about another term than the subject (sentence-subject.ts; a sentence about the subject
 * that gives a verdict is preferred to it then). A comparative verdict needs the evidence to compare with what the
 * question does; otherwise the answer says what the article compares it with. The verdict is said first and the
 * sentence is cited, with one sentence that continues it.
 */
export function planYesNo(given: PlanContext, question: string): AnswerPlan | undefined {
  // A subject named only in everyday words ("直接拿现成的模型来用，还要重新训练吗"): the labelled item the words stand for
  // is the subject, and the question's term (重新训练) part of what is asked of it.
  const named = unnamedSubject(given, mainClauseOf(question));
  const context = named ? { ...given, topics: [named, ...given.topics] } : given;
  const subject = context.topics[0];
  const labels = subject ? labelsOf(subject.zh) : [];
  const scope: GlossaryTerm[] = joinedSides(context) ?? [];
  // A question with a condition before its main clause ("模型直接拿来用的时候，它…会变吗") asks about the main clause:
  // words of the condition are its scope, and a verdict resting on them would answer another question.
  const claim = splitClaim(context, mainClauseOf(question), scope);
  // The learner's language is read first: an English question meets its words in the rendering before the original.
  const english = !/[\u3400-\u9fff]/.test(question);
  const ownTexts = (sentence: EvidenceSentence): string[] =>
    english ? [renderedSentence(sentence) ?? '', sentence.text] : [sentence.text, renderedSentence(sentence) ?? ''];
  // A sentence that continues the one before it ("这可以包括…学习率的改变") says it of that sentence's subject: read together.
  const textsOf = (sentence: EvidenceSentence): string[] => {
    const continued = CONTINUES.test(plain(sentence.text)) ? neighbour(context, sentence, -1) : undefined;
    if (!continued) return ownTexts(sentence);
    const before = ownTexts(continued);
    return ownTexts(sentence).map((text, index) => `${before[index] ?? ''} ${text}`);
  };
  const readings = new Map<EvidenceSentence, ClaimReading>();
  const readingOf = (sentence: EvidenceSentence): ClaimReading => {
    let reading = readings.get(sentence);
    if (!reading) readings.set(sentence, (reading = readClaim(claim, textsOf(sentence), context.glossary, polarityOf)));
    return reading;
  };
  // A sentence labelled with another term ("**微调**:…" asked about 模型应用) states that term's claim, not the subject's.
  const claimTopics = context.topics.slice(1).filter((topic) => !scope.includes(topic) && !isObject(claim, topic));
  // A verdict rests only on a sentence about what it is said of (sentence-subject.ts): the subject, the object whose
  // evidence answers the other way round, or another term of the claim in a sentence naming the subject ("…可能需要通过
  // 微调来适应特定的翻译" for 翻译任务需要微调吗). "都需要较高的计算资源" of a note on 模型应用 and 微调 says nothing of 调教.
  const objects = context.glossary.filter((term) => isObject(claim, term));
  const onClaim = (sentence: EvidenceSentence, about: readonly GlossaryTerm[]): boolean =>
    !subject ||
    about.some((term) => speaksOf(context, sentence, term)) ||
    (claimTopics.some((topic) => speaksOf(context, sentence, topic)) && sentence.text.includes(subject.zh));
  const about = [...(subject ? [subject] : []), ...objects];
  const topical = topicalBonus({ ...context, topics: context.topics.slice(0, 1) });
  const literal = literalBonus(context);
  const ranked = rankBy(
    context,
    context.pool,
    (sentence) =>
      readingOf(sentence).carried * 1.2 +
      (readingOf(sentence).verdict && onClaim(sentence, about) ? 0.2 : 0) +
      // The claim's own terms whole ("重新训练", not 训练 inside 预训练).
      claimTopics.filter((topic) => namedOrContinued(context, sentence, topic.zh)).length * 0.6 +
      (mentionsAny(sentence, labels) || saidOfBoth(sentence, labels) ? 0.3 : 0) +
      literal(sentence) +
      2 * Math.min(0, topical(sentence)),
  );
  const first = pickDistinct(context, ranked, { limit: 1 })[0];
  if (!first) return undefined;
  // Evidence labelled with another term ("**微调**:…也可能过拟合" asked whether 模型应用 overfits) says nothing of the
  // subject: the subject's own bullet beside it in the passage ("**应用**:…效果取决于…") is what the article says of it.
  const parallel =
    subject && topical(first) <= -0.5
      ? ranked.find((sentence) => sentence.chunk.chunkId === first.chunk.chunkId && opensWith(sentence, subject.zh))
      : undefined;
  // Evidence about another term ("调教则是一个更宽泛的概念,包括了…所有参数的调整" asked whether fine-tuning adjusts
  // parameters) gives way to the best sentence about the subject that gives a verdict ("这个过程涉及调整模型的参数") and
  // names the claim's own terms (超参数 of 微调会调整超参数吗 is in no sentence on 微调: the article does not say).
  const own =
    !parallel && !onClaim(first, about)
      ? ranked.find(
          (sentence) =>
            readingOf(sentence).verdict &&
            onClaim(sentence, about) &&
            claimTopics.every((topic) => namedOrContinued(context, sentence, topic.zh)),
        )
      : undefined;
  const best = parallel ?? own ?? first;
  // Evidence on the object ("调教…更广义" for "Is fine-tuning broader than tuning?") answers the other way round, when it
  // compares the object with the subject.
  const object =
    subject && !opensWith(best, subject.zh)
      ? context.glossary.find((term) => isObject(claim, term) && opensWith(best, term.zh))
      : undefined;
  // A sentence labelled with another term ("**微调**:…" asked about 模型应用) is about that term (onClaim): no verdict,
  // unless that term is one of the claim's and the sentence names the subject.
  let verdict = onClaim(best, object ? [object] : subject ? [subject] : []) ? readingOf(best).verdict : undefined;
  let comparedWith: GlossaryTerm | undefined;
  if (verdict && object && subject) {
    const withSubject = comparedTerms(context, best, object).some((term) => labelsOf(term.zh).includes(subject.zh));
    verdict = !withSubject ? undefined : verdict === 'yes' ? 'no' : verdict === 'no' ? 'yes' : verdict;
  } else if (verdict && claim.objectNames.length > 0) {
    // "Less time than X?" over a sentence that compares with Y: the article does not answer for X.
    const compared = comparedTerms(context, best, subject);
    if (!compared.some((term) => isObject(claim, term))) {
      verdict = undefined;
      comparedWith = compared[0];
    }
  }
  // The question's own negation ("不需要…吗") turns the verdict around: only the words the verdict rests on ("applied
  // without fine-tuning, are its weights updated" does not negate 更新). Its negated poles are read as turned already.
  const askedNegatively = claim.words.some(
    ({ word, forms }) =>
      textsOf(best).some((text) => forms.some((form) => polarityOf(text, form))) && polarityOf(affirmativeForm(question), word) === 'no',
  );
  if (askedNegatively && verdict !== 'maybe' && verdict !== undefined) verdict = verdict === 'yes' ? 'no' : 'yes';
  // "这可以包括…" is told after the sentence it points back to ("调教可能指的是…对参数进行调整…").
  const sentences = [...ledByAntecedent(context, best, []), ...supporting(context, best, comparedWith)];
  return {
    kind: 'yesno',
    topics: context.topics,
    blocks: [{ role: 'main', sentences }],
    ...(verdict ? { verdict } : {}),
    ...(comparedWith ? { comparedWith } : {}),
  };
}

/**
 * Whether a sentence names a term, or continues one that does: "这可以包括超参数的调整、学习率的改变等" opens with 这 and
 * says it of the 调教 of the sentence before it.
 */
function namedOrContinued(context: PlanContext, sentence: EvidenceSentence, term: string): boolean {
  if (sentence.text.includes(term)) return true;
  return CONTINUES.test(plain(sentence.text)) && neighbour(context, sentence, -1)?.text.includes(term) === true;
}
const CONTINUES = /^(?:这|它|其|此|this\b|it\b)/i;

/**
 * The sentence told after the verdict's: for a comparison with something else, the sentence of its passage that states
 * that term (the parallel bullet); else one that continues the verdict's sentence ("这…", "因为…"), not the next bullet.
 */
function supporting(context: PlanContext, best: EvidenceSentence, comparedWith: GlossaryTerm | undefined): EvidenceSentence[] {
  const candidates = comparedWith
    ? context.pool.filter((sentence) => sentence.chunk.chunkId === best.chunk.chunkId && opensWith(sentence, comparedWith.zh))
    : [neighbour(context, best, 1)].filter(
        (following): following is EvidenceSentence =>
          following !== undefined && /^(?:这|它|因为|由于|但|所以)/.test(plain(following.text)) && following.terms.size > 0,
      );
  return pickDistinct(context, candidates, { limit: 1, taken: [best] });
}

/**
 * The main clause of a question: after its last comma when the question has more than one clause ("…的时候，它会变吗"
 * → "它会变吗", "When a model is applied, are its weights updated?" → "are its weights updated?"); else the question.
 */
export function mainClauseOf(question: string): string {
  const text = question.trim();
  const cut = Math.max(text.lastIndexOf('，'), text.lastIndexOf(','), text.lastIndexOf('；'), text.lastIndexOf(';'));
  const main = cut >= 0 ? text.slice(cut + 1).trim() : '';
  // "我把学习率调了一下，这算调教吗？": a main clause whose subject points back (这, that) is about the clause before it.
  if (POINTS_BACK.test(main)) return text;
  // "微调要在新数据集上训练，模型应用也要吗？": a main clause that asks the same of another ("也", "too") asks the clause before it.
  if (SAME_AGAIN.test(main)) return text;
  return main.replace(/[\p{P}\s]/gu, '').length >= 2 ? main : text;
}

/** A main clause asking the clause before it again of another subject: "B也要吗", "同样如此吗", "does B too?". */
const SAME_AGAIN = /^[^，。？?]{0,12}(?:也|同样)|\b(?:too|also|as well)\b/i;

/** A clause opening with a demonstrative subject: what it says is said of the clause before it. */
const POINTS_BACK =
  /^(?:这|那|此)(?:样|种|个|么做|样做)?(?:算|是|叫|属于|就是|也|还|会|能|可以|需要|要)|^(?:is|does|would|will|can) (?:this|that|it)\b|^(?:this|that|it) (?:is|counts|means)\b/i;

/**
 * The question with its A-not-A forms read as the affirmative they ask about ("是不是" → 是, "需不需要" → 需要): the
 * 不 of a question form is no negation of the claim ("调教是不是就是调参" does not ask whether it is not).
 */
export function affirmativeForm(question: string): string {
  return question.replace(/([\u4e00-\u9fff])([\u4e00-\u9fff])?[不没]\1\2?/gu, (_whole, first: string, second?: string) =>
    second === undefined ? first : `${first}${second}`,
  );
}
