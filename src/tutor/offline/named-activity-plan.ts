import { ledByAntecedent } from './antecedent-sentences.js';
import { literalBonus, mentionsAny, pickDistinct, rankBy } from './plan-support.js';
import type { AnswerPlan, PlanContext } from './plan-types.js';
import { type EvidenceSentence, isAnalogyChunk, labelsOf, plain } from './sentence-evidence.js';

/**
 * "调超参数应该说是哪个词？": a which-question that names an activity (a term of the article that is not one of the
 * words it recommends) and finds no recommendation on it. The answer is the sentence naming the activity, after the
 * sentence it points back to ("调教可能指的是…。这可以包括超参数的调整…"), then the article's rule for the word that
 * sentence is about ("…,使用调教"). A verdict on another word ("…"微调"这个词更准确") answers another question. Undefined
 * when no literal sentence names the activity, or when it names no word or both.
 */
export function planNamedActivity(context: PlanContext): AnswerPlan | undefined {
  const rules = context.pool.filter((sentence) => recommendedWord(context, sentence) !== undefined);
  const words = new Set(rules.map((sentence) => recommendedWord(context, sentence) as string));
  const activity = context.topics.filter((topic) => !words.has(topic.zh)).flatMap((topic) => labelsOf(topic.zh));
  if (activity.length === 0 || context.topics.some((topic) => words.has(topic.zh))) return undefined;
  const naming = context.pool.filter((sentence) => mentionsAny(sentence, activity) && !isAnalogyChunk(sentence.chunk));
  const [named] = pickDistinct(context, rankBy(context, naming, literalBonus(context)), { limit: 1 });
  if (!named) return undefined;
  const lead = ledByAntecedent(context, named, []);
  // The word the activity belongs to: the one its own sentence names, else the one the sentence it points back to names.
  const wordsOf = (sentence: EvidenceSentence): string[] => [...words].filter((word) => sentence.text.includes(word));
  const found = [named, ...lead].map(wordsOf).find((named) => named.length > 0);
  if (found?.length !== 1) return undefined;
  const word = found[0] as string;
  const rule = pickDistinct(
    context,
    rankBy(
      context,
      rules.filter((sentence) => recommendedWord(context, sentence) === word),
      () => 0,
    ),
    { limit: 1, taken: lead },
  );
  return {
    kind: 'which',
    topics: context.topics,
    blocks: [{ role: 'recommendation', sentences: lead }, ...(rule.length > 0 ? [{ role: 'summary' as const, sentences: rule }] : [])],
  };
}

/** The word an article's rule ends by recommending ("如果是在模型训练的任何阶段…,使用调教" → 调教), if any. */
function recommendedWord(context: PlanContext, sentence: EvidenceSentence): string | undefined {
  const ending = /(?:使用|用)["“]?([\u3400-\u9fff]{2,6})["”]?[。.]?$/.exec(plain(sentence.text))?.[1];
  return ending !== undefined && context.glossary.some((term) => term.zh === ending) ? ending : undefined;
}

/** The words the article's rules recommend ("…,使用微调", "…,使用调教"), as far as the pool holds them. */
export function recommendedWords(context: PlanContext): string[] {
  return [...new Set(context.pool.map((sentence) => recommendedWord(context, sentence)).filter((word) => word !== undefined))];
}
