import type { GlossaryTerm } from '../../ingest/glossary.js';
import { escapeRegExp } from '../../support/escape-regexp.js';
import { ledByAntecedent } from './antecedent-sentences.js';
import { planAspect } from './aspect-plan.js';
import { planDifference, type SentenceValue } from './contrast-plans.js';
import { contrastSides, joinedSides } from './contrast-sides.js';
import { literalBonus, mentionsAny, pickDistinct, rankBy } from './plan-support.js';
import type { AnswerPlan, PlanBlock, PlanContext } from './plan-types.js';
import { type EvidenceSentence, labelsOf, plain } from './sentence-evidence.js';
import { unlabelled } from './statement-plans.js';

/**
 * A which-question about a word ("哪个词", "which term", "叫…还是…", "哪个更准确"): the choice of term, not a
 * comparison. Accuracy, fitness and the breadth of a meaning are what a choice of word is judged by.
 */
const ASKS_FOR_TERM =
  /词|术语|叫|称|说法|算|属于|准确|恰当|含义|意思|意义|广|宽|窄|\b(?:terms?|words?|names?|called|call|say|accurate|appropriate|precise|correct|mean(?:s|ing)?|senses?|broad(?:er)?|wide(?:r)?|narrow(?:er)?|general)\b/i;

/** Words judging a word's fitness that judge a method's results too ("哪个更准确", "more accurate"). */
const ACCURACY = /准确|精确|\b(?:accurate|precise|correct)\b/gi;

/**
 * Whether a which-question asks for a term. An accuracy word does only between words the article recommends (微调 or
 * 调教: "…"微调"这个词更准确"); between a way of working it does not recommend as a word and another ("Which is more
 * accurate, fine-tuning or just applying the model?") it asks whose results are more accurate.
 */
function asksForTerm(context: PlanContext, question: string): boolean {
  if (!ASKS_FOR_TERM.test(question)) return false;
  if (ASKS_FOR_TERM.test(question.replace(ACCURACY, ' '))) return true;
  const sides = joinedSides(context, { choice: true }) ?? context.topics.slice(0, 2);
  const recommends = recommendsOneOf(sides.flatMap((side) => labelsOf(side.zh)));
  const recommended = context.pool.filter(recommends.any);
  return sides.length < 2 || sides.every((side) => recommended.some((sentence) => mentionsAny(sentence, labelsOf(side.zh))));
}

/** A comparative ("更省时间", "faster", "more flexible"): the question compares the two in that respect. */
const COMPARATIVE = /更|较|谁|\b(?:more|less|better|worse|\w{3,}er)\b/i;
/** Asking which to use, choose or what fits is a recommendation, whatever it compares. */
const CHOICE =
  /用哪|该用|应该用|用[^，。？?]{1,12}还是|选|合适|适合|\b(?:use|choose|pick|go with|fit|suit(?:s|ed|able)?)\b|\b(?:better|best|preferable) (?:when|if|for)\b/i;

/**
 * What an option is judged by when a learner chooses between two: what the article says it suits or does better or
 * worse (适用于, 优于, 不如, 更快, 效果更好). Its bare description (目的: "直接使用预训练模型…") does not help choose.
 */
const JUDGES_AN_OPTION = /适用|适合|优于|不如|更好(?!地)|更快|更慢|较长|较短|效果|取决于/;

/**
 * Whether a sentence recommends one of the words: the article's rule ending in using it ("如果是…,使用微调") or its
 * verdict that it is the more accurate one ("…,"微调"这个词更准确").
 */
function recommendsOneOf(labels: readonly string[]) {
  const escaped = labels.map(escapeRegExp).join('|');
  const rule = new RegExp(`(?:使用|用)["“]?(?:${escaped})["”]?[。.]?$`);
  const verdict = new RegExp(`["“]?(?:${escaped})["”]?这个词(?:更|较为?)(?:准确|合适|恰当)`);
  return {
    any: (sentence: EvidenceSentence): boolean => rule.test(plain(sentence.text)) || verdict.test(plain(sentence.text)),
    verdict: (sentence: EvidenceSentence): boolean => verdict.test(plain(sentence.text)),
  };
}

const judges: SentenceValue = (sentence) => (JUDGES_AN_OPTION.test(unlabelled(sentence.text)) ? 0.6 : 0);

/**
 * "模型应用和微调哪个更省时间？": a which-question joining two topics that asks which is better in some respect, not
 * which word to use nor which to choose, is a comparison on that respect: the section headed by it, else each side's
 * statement of it.
 */
export function planComparedWhich(context: PlanContext, question: string): AnswerPlan | undefined {
  if (!COMPARATIVE.test(question) || asksForTerm(context, question) || CHOICE.test(question)) return undefined;
  // One option named in everyday words ("Using a model directly or fine-tuning it: which…", "直接用现成模型和微调，
  // 哪个更省资源？") stands for the counterpart the article sets against the other (contrastSides).
  if (!joinedSides(context) && !(TWO_OPTIONS.test(question) && contrastSides(context).length >= 2)) return undefined;
  return planAspect(context) ?? planDifference(context);
}

/** Two options offered side by side: "A or B", "A还是B", "A和B", "A, B". */
const TWO_OPTIONS = /\bor\b|\band\b|\bvs\b|versus|还是|和|跟|与|或|[,，、/]/i;

/**
 * A which-question between two options it names ("用模型应用还是用微调比较合适？", "Should I use A or B if…", "do I
 * say A or B?"): the article's sentence on each option, so that the learner reads both before choosing. A choice of
 * word is answered by each word's recommendation (the summary rule "…,使用微调" / "…,使用调教"), a choice of method by
 * what each is good for, on what the question asks beyond them ("任务很相似", "little time", "in the long run").
 */
export function planChoice(context: PlanContext, question: string): AnswerPlan | undefined {
  const sides = joinedSides(context, { choice: true });
  if (!sides) return undefined;
  const ofWord = ASKS_FOR_TERM.test(question) && !CHOICE.test(question.replace(/用[^，。？?]{1,12}还是/, ''));
  // Which word names a thing the question names ("改学习率属于微调还是调教", "训练情感分析任务用微调还是调教这个词"), or
  // which is broader, is told by the article's sentence on that thing or that respect: the recommendation plan.
  if (ofWord && COMPARATIVE.test(question)) return undefined;
  // A word's recommendation is its answer: when the article recommends each word, those lines are the sides.
  const recommends = recommendsOneOf(sides.flatMap((side) => labelsOf(side.zh)));
  const recommending = context.pool.filter(recommends.any);
  const recommendsBoth = sides.every((side) => recommending.some((sentence) => mentionsAny(sentence, labelsOf(side.zh))));
  const plan =
    ofWord && recommendsBoth
      ? planDifference({ ...context, pool: recommending.filter((sentence) => !recommends.verdict(sentence)) }, { sides })
      : planDifference(context, { sides, prefer: judges });
  if (!plan || plan.blocks.filter((block) => block.role === 'side').length < 2) return undefined;
  const told = plan.blocks.flatMap((block) => block.sentences);
  // What the question asks to name is told first, by the sentence naming it ("调整超参数和学习率算是微调还是调教":
  // 超参数); a bare choice of word, by the article's verdict where it gives one ("…"微调"这个词更准确").
  const named = context.topics.filter((topic) => !sides.includes(topic)).flatMap((topic) => labelsOf(topic.zh));
  const leads = !ofWord
    ? []
    : named.length > 0
      ? told.some((sentence) => mentionsAny(sentence, named))
        ? []
        : context.pool.filter((sentence) => mentionsAny(sentence, named))
      : recommending.filter(recommends.verdict);
  const [first] = pickDistinct(context, rankBy(context, leads, literalBonus(context)), { limit: 1, taken: told });
  // A lead that points back ("这可以包括…学习率的改变等") follows the sentence it points to ("调教可能指的是…").
  const lead = first ? ledByAntecedent(context, first, told) : [];
  const blocks = ofWord && first && named.length > 0 ? toldSide(plan.blocks, [first, ...lead]) : plan.blocks;
  return { ...plan, kind: 'which', blocks: lead.length > 0 ? [{ role: 'recommendation', sentences: lead }, ...blocks] : blocks };
}

/**
 * A choice of word answered for what the question names: when the sentence naming it (the lead) tells which word it
 * belongs to (by its own word, else by the word of the sentence it points back to: "这可以包括…学习率的改变等" after
 * "调教可能指的是…"), that word's rule follows it and the other word's rule, which answers another question, is left
 * out ("改学习率属于微调还是调教" is not answered by "…特定任务的训练,使用微调"). Without a lead, with one naming both
 * words, or for a bare choice of word (whose lead is the article's verdict), both rules stay: the learner reads both
 * before choosing.
 */
function toldSide(blocks: readonly PlanBlock[], lead: readonly EvidenceSentence[]): readonly PlanBlock[] {
  const sides = blocks.filter((block) => block.role === 'side' && block.topic !== undefined);
  if (sides.length < 2) return blocks;
  const named = (sentence: EvidenceSentence): PlanBlock[] =>
    sides.filter((block) => mentionsAny(sentence, labelsOf((block.topic as GlossaryTerm).zh)));
  const byLead = lead.map(named).find((found) => found.length > 0);
  const chosen = byLead?.length === 1 ? byLead[0] : undefined;
  return chosen ? blocks.filter((block) => block.role !== 'side' || block === chosen) : blocks;
}
