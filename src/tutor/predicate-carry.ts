import type { Language } from '../ingest/chunk-types.js';
import type { GlossaryTerm } from '../ingest/glossary.js';
import type { TextAnalyzer } from '../retrieval/text-analyzer.js';
import { CHALLENGE, subjectsOf, surfaceIn, topicTerms } from './follow-up-references.js';

/**
 * A Chinese follow-up that names a subject and stands for the previous predicate with a pro-form: 也 / 同样 / 一样
 * ("调教也会吗？", "模型应用也需要吗？"), 这样 / 如此 ("那直接拿来用的模型会这样吗？", "微调也是这样吗？"), or a bare modal
 * with nothing after it ("调教会吗？"). Its `subject` group is what it asks the previous question of.
 */
const CHINESE_PRO_PREDICATE =
  /^(?:那么?|而|还有|那如果)?[，,\s]*(?<subject>[^，,。？?！!]+?)(?:呢)?[，,\s]*(?<predicate>(?:是不是|会不会|能不能|是否)?(?:也|还|同样|一样)?(?:是不是|会不会|能不能|是否)?(?:会|是|能|可以|需要|要|有|存在)?(?:这样|如此|一样|同样|这种情况|这个问题|同样的问题)?)(?:吗|呢|么|吧)?[？?！!。.\s]*$/;
/** The words of a Chinese pro-predicate that make it one: an additive or a pro-form, else a bare modal before 吗. */
const CHINESE_PRO_FORM = /也|同样|一样|这样|如此|这种情况|这个问题/;
const CHINESE_BARE_MODAL = /^(?:会|能|可以|需要|要|有|存在)$/;
/** A subject that is no subject: a pronoun, a demonstrative, a question word or an adverb ("它也会吗？", "真的是这样吗？"). */
const NOT_A_SUBJECT = /^(?:它们?|其|这|那|这个|那个|真的?|一定|确实|都|是|为什么|怎么|什么|哪|多少)|什么|怎么|哪|为什么|多少/;

const AUXILIARY = '(?:does|do|did|is|are|was|were|can|could|will|would|should|has|have|might|may)';
const ADDITIVE = '(?:too|as well|also|either)';
/**
 * English forms of the same: "Does fine-tuning too?", "Does tuning do that too?", "Does model application need one
 * too?", "Is tuning the same?", "Does that happen with tuning too?", "Is that true of model application as well?",
 * "Does the same apply to tuning?", "And tuning too?". The `subject` group must be a glossary term (checked after).
 */
const ENGLISH_PRO_PREDICATE: readonly RegExp[] = [
  new RegExp(
    `^(?:and |so |but |then )?${AUXILIARY} (?<subject>.+?)(?: (?:do|does|have|has|need|needs|get|gets|face|faces|cause|causes|make|makes|take|takes|suffer from)(?: (?:that|this|it|one|them|so|the same(?: thing| problem)?))?)? ${ADDITIVE}\\s*[?.!]*$`,
    'i',
  ),
  new RegExp(
    `^(?:and |so |but |then )?${AUXILIARY} (?:it|that|this|the same(?: thing)?) (?:also )?(?:happen|apply|hold|occur|work|go|count|be (?:true|the case|so)|true|the case|so)(?: true)? (?:with|to|for|in|of|when using) (?<subject>.+?)(?: ${ADDITIVE})?\\s*[?.!]*$`,
    'i',
  ),
  new RegExp(`^(?:and |what about |how about )?(?<subject>.+?) ${ADDITIVE}\\s*[?.!]*$`, 'i'),
];
/** Determiners and the like that may stand around an English subject ("the tuning", "using a pre-trained model"). */
const ENGLISH_FILLER = /\b(?:the|a|an|using|with|for|of)\b/gi;

/** Why-question openings: carried to another subject, the presupposition becomes what is asked ("does it hold there?"). */
const CHINESE_WHY = /为什么|为何|怎么会/;
const ENGLISH_WHY = new RegExp(`^why (?=${AUXILIARY}\\b)`, 'i');

/**
 * The subject a follow-up asks the previous question's predicate of, as it names it, when the follow-up has no
 * predicate of its own (会这样吗, 也会吗, "does it too?"); undefined otherwise. A Chinese subject may be the learner's
 * own words ("直接拿来用的模型"); an English one must be a glossary term.
 */
export function proPredicateSubject(analyzer: TextAnalyzer, question: string, language: Language): string | undefined {
  if (CHALLENGE[language].test(question)) return undefined;
  if (language === 'zh') {
    const match = CHINESE_PRO_PREDICATE.exec(question);
    const subject = match?.groups?.subject?.trim();
    const predicate = match?.groups?.predicate ?? '';
    if (!subject || [...subject].length < 2 || NOT_A_SUBJECT.test(subject)) return undefined;
    if (!CHINESE_PRO_FORM.test(predicate) && !(CHINESE_BARE_MODAL.test(predicate) && /吗[？?！!。.\s]*$/.test(question))) return undefined;
    return subject;
  }
  for (const pattern of ENGLISH_PRO_PREDICATE) {
    const subject = pattern.exec(question.trim())?.groups?.subject?.trim();
    if (!subject) continue;
    const terms = topicTerms(analyzer.findGlossaryTerms(subject));
    if (terms.length !== 1) continue;
    const rest = subject
      .toLowerCase()
      .replace(surfaceIn(subject, terms[0] as GlossaryTerm).toLowerCase(), ' ')
      .replace(ENGLISH_FILLER, ' ')
      .trim();
    if (rest === '') return surfaceIn(subject, terms[0] as GlossaryTerm);
  }
  return undefined;
}

/**
 * The previous query asked of another subject: its subject replaced, and a why-question turned into whether the same
 * holds ("为什么微调会过拟合？" → "直接拿来用的模型会过拟合吗？", "Why can fine-tuning overfit?" → "Can model application
 * overfit?"): the follow-up does not grant the previous premise to the new subject, it asks whether it holds. Undefined
 * when the previous query does not name its subject where it can be replaced.
 */
export function askedOf(previousQuery: string, oldSurface: string, newSurface: string): string | undefined {
  const index = previousQuery.toLowerCase().indexOf(oldSurface.toLowerCase());
  if (index < 0) return undefined;
  const replaced = previousQuery.slice(0, index) + newSurface + previousQuery.slice(index + oldSurface.length);
  if (/[（(]/.test(replaced)) return replaced;
  if (CHINESE_WHY.test(replaced) && !/[吗呢][？?！!。.\s]*$/.test(replaced))
    return `${replaced.replace(CHINESE_WHY, '').replace(/[？?！!。.\s]*$/, '')}吗？`;
  const why = ENGLISH_WHY.exec(replaced);
  if (why) {
    const rest = replaced.slice(why[0].length);
    return rest.charAt(0).toUpperCase() + rest.slice(1);
  }
  return replaced;
}

/**
 * A follow-up without a predicate of its own, resolved: the previous query asked of its subject ("为什么微调会过拟合？" +
 * "那直接拿来用的模型会这样吗？" → "直接拿来用的模型会过拟合吗？", "Does fine-tuning need a GPU?" + "Does model
 * application too?" → "Does model application need a GPU?"). Undefined when it is not such a follow-up, when the
 * previous query names no subject, or when it names the same one.
 */
export function carryPredicate(analyzer: TextAnalyzer, question: string, previousQuery: string): string | undefined {
  const language = analyzer.detectLanguage(question);
  const subject = proPredicateSubject(analyzer, question, language);
  const previousSubject = subjectsOf(analyzer, previousQuery)[0];
  if (subject === undefined || previousSubject === undefined) return undefined;
  const [named] = topicTerms(analyzer.findGlossaryTerms(subject));
  if (named === previousSubject) return undefined;
  // Asked in the other language, a glossary subject is put in the previous query's words.
  const previousLanguage = analyzer.detectLanguage(previousQuery);
  const surface = named && previousLanguage !== language ? (previousLanguage === 'zh' ? named.zh : (named.en[0] ?? named.zh)) : subject;
  return askedOf(previousQuery, surfaceIn(previousQuery, previousSubject), surface);
}
