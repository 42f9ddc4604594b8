import type { GlossaryTerm } from '../../ingest/glossary.js';
import { escapeRegExp } from '../../support/escape-regexp.js';
import { antecedentOf } from './antecedent-sentences.js';
import { askedShare, askedTerms, generalSentences, literalBonus, mentionsAny, pickDistinct, rankBy, topicalBonus } from './plan-support.js';
import type { AnswerPlan, PlanContext } from './plan-types.js';
import { type EvidenceSentence, labelsOf, plain, pointsBack } from './sentence-evidence.js';

/**
 * A term of four characters or more written with its instances between its two halves: "特定的翻译、情感分析或问答任务"
 * names specific tasks (特定任务) by listing them. Undefined for shorter terms.
 */
function instancesPattern(term: string): RegExp | undefined {
  const characters = [...term];
  if (characters.length < 4 || !/[\u3400-\u9fff]/.test(term)) return undefined;
  const head = escapeRegExp(characters.slice(0, 2).join(''));
  const tail = escapeRegExp(characters.slice(-2).join(''));
  const item = '[^，。；,;:：]{1,24}';
  return new RegExp(`${head}的?${item}[、或和及]${item}${tail}`);
}

/**
 * What a term is, asked of one the article names but never defines (学习率, 过拟合, 前向传播, 特定任务): one sentence on
 * it, under a frame that says the article gives no definition (`unmet`). A sentence listing the term's instances ("特定
 * 的翻译、情感分析或问答任务") says what falls under it; else the general plan's lead when it is on the term (naming it,
 * or said of both things in a document that names it: "两者都依赖于大型预训练模型…" for 大模型); else the best sentence
 * naming it, literal statements first. A sentence pointing back to a term's statement ("调教可能指的是…。这可以包括…
 * 学习率的改变等。") is told alone under a frame naming that term (`within`). Undefined when no sentence names the term.
 */
export function planMentionedTerm(context: PlanContext): AnswerPlan | undefined {
  const topic = context.topics[0];
  if (!topic) return undefined;
  const labels = labelsOf(topic.zh);
  const instances = instancesPattern(topic.zh);
  const literal = literalBonus(context);
  const lists = (sentence: EvidenceSentence): boolean => instances?.test(sentence.text) === true && literal(sentence) === 0;
  // On this topic, not on another the question names ("微调中的超参数是什么" asks of 超参数).
  const topical = topicalBonus({ ...context, topics: [topic] });
  const [lead] = generalSentences(context, 1);
  const leadOnTopic = lead !== undefined && (mentionsAny(lead, labels) || topical(lead) > 0);
  const asked = askedTerms(context, context.topics);
  const naming = context.pool.filter((sentence) => mentionsAny(sentence, labels));
  const best = (candidates: readonly EvidenceSentence[]): EvidenceSentence | undefined =>
    pickDistinct(
      context,
      rankBy(
        context,
        candidates,
        (sentence) => literal(sentence) + askedShare(sentence, asked) + (sentence.text.includes(topic.zh) ? 0.2 : 0),
      ),
      { limit: 1 },
    )[0];
  const named = best(context.pool.filter(lists)) ?? (leadOnTopic ? lead : best(naming));
  if (!named) return undefined;
  // A sentence pointing back to one that opens with a term ("调教可能指的是…。这可以包括…学习率的改变等。") speaks of the
  // term under that one: the frame names it. The sentence is cited alone: the one it points back to says what that term
  // is, not what was asked (a reason's claim, "因为它强调了…训练过程" after "…"微调"这个词更准确", is another answer).
  const antecedent = pointsBack(named) ? antecedentOf(context, named) : undefined;
  const opening = antecedent ? openingTerm(context, antecedent) : undefined;
  const within = opening && opening !== topic ? opening : undefined;
  return {
    kind: 'definition',
    topics: context.topics,
    unmet: true,
    ...(within ? { within } : {}),
    blocks: [{ role: 'main', sentences: [named] }],
  };
}

/** The glossary term a sentence opens with as its subject ("调教可能指的是…" → 调教), the longest that fits. */
function openingTerm(context: PlanContext, sentence: EvidenceSentence): GlossaryTerm | undefined {
  const text = plain(sentence.text).replace(/^"/, '');
  return context.glossary.filter((term) => text.startsWith(term.zh)).sort((left, right) => right.zh.length - left.zh.length)[0];
}
