import { SUMMARY_QUESTION } from '../../retrieval/evidence-cues.js';
import { EXAMPLE_OPENING, INTENT_SENTENCE_CUES } from '../question-intent.js';
import { askedRelevance, keepRelevant } from './asked-relevance.js';
import { planDifference } from './contrast-plans.js';
import { joinedSides } from './contrast-sides.js';
import { askedShare, askedTerms, literalBonus, mentionsAny, neighbour, pickDistinct, rankBy, summarySentences } from './plan-support.js';
import type { AnswerPlan, PlanBlock, PlanContext } from './plan-types.js';
import {
  definitionPatternFor,
  type EvidenceSentence,
  inReadingOrder,
  isAnalogyChunk,
  isSummaryChunk,
  labelsOf,
  opensWith,
  plain,
  pointsBack,
} from './sentence-evidence.js';

/**
 * Words inside a sentence that give an example ("比如让牛肉更辣", "，如调整分类器层"), or an enumeration of instances
 * ("这可以包括超参数的调整、学习率的改变等"); 假设 / 想象 only open one.
 */
const EXAMPLE_WORDS = /例如|比如|譬如|举例|诸如|[,，]如[^果何此今]|包括[^。；]*、[^。；]*等|for example|for instance|such as|e\.g\./i;
const FIGURATIVE = /就像|像是|好比|更像/;
/** A sentence that states what the figure stands for: "这个过程就是微调——…", "微调:就像是…". */
const MAPPING = /就像|像是|好比|更像|这个过程就是|就是/;

const topicLabels = (context: PlanContext): string[] => context.topics.flatMap((topic) => labelsOf(topic.zh));
const vehicleLabels = (context: PlanContext): string[] => context.vehicles.map((vehicle) => vehicle.zh);

/** The sentence that defines a topic best (opening with it and a defining phrase), or undefined. */
function definingSentence(context: PlanContext, taken: readonly EvidenceSentence[]): EvidenceSentence | undefined {
  const pattern = definitionPatternFor(topicLabels(context));
  if (!pattern) return undefined;
  const defining = context.pool.filter((sentence) => pattern.test(plain(sentence.text)));
  return pickDistinct(context, rankBy(context, defining, literalBonus(context)), { limit: 1, taken })[0];
}

/**
 * An example: the sentence that gives it first (one opening with 例如 / 比如 / 假设..., else one containing such a
 * word). When the example does not name the topic itself, the sentence it illustrates follows: the one before it in
 * its passage, else the topic's definition. A question that names the analogy's own words ("炖牛肉的例子") asks for
 * the analogy.
 */
export function planExample(context: PlanContext): AnswerPlan | undefined {
  if (context.vehicles.length > 0) {
    const figure = planAnalogy(context);
    if (figure) return { ...figure, kind: 'example' };
  }
  const labels = topicLabels(context);
  const examples = context.pool.filter((sentence) => EXAMPLE_OPENING.test(plain(sentence.text)) || EXAMPLE_WORDS.test(sentence.text));
  // A sentence pointing back ("这可以包括超参数的调整…") names what the sentence before it names.
  const namesTopic = (sentence: EvidenceSentence): boolean => {
    if (mentionsAny(sentence, labels)) return true;
    const before = pointsBack(sentence) ? neighbour(context, sentence, -1) : undefined;
    return before !== undefined && mentionsAny(before, labels);
  };
  const inHeading = (sentence: EvidenceSentence): boolean =>
    sentence.chunk.headingPath.some((heading) => labels.some((label) => heading.includes(label)));
  // What the question asks beyond its topics ("调哪些参数") tells two examples of one topic apart.
  const asked = askedTerms(context, context.topics);
  const ranked = rankBy(
    context,
    examples,
    (sentence) =>
      (EXAMPLE_OPENING.test(plain(sentence.text)) ? 0.6 : 0.2) +
      askedShare(sentence, asked) +
      (labels.length === 0 || namesTopic(sentence) ? 0.6 : inHeading(sentence) ? 0.2 : 0) -
      (isAnalogyChunk(sentence.chunk) ? 0.3 : 0),
  );
  const example = ranked[0];
  if (!example) return undefined;
  const blocks: PlanBlock[] = [{ role: 'example', sentences: [example] }];
  // An example that names its topic says what it illustrates; one that does not needs the sentence it illustrates.
  if (labels.length === 0 || !mentionsAny(example, labels)) {
    const before = neighbour(context, example, -1);
    const illustrated =
      before && (labels.length === 0 || mentionsAny(before, labels)) ? before : (definingSentence(context, [example]) ?? before);
    if (illustrated && pickDistinct(context, [illustrated], { limit: 1, taken: [example] }).length > 0) {
      blocks.push({ role: 'context', sentences: [illustrated] });
    }
  }
  return { kind: 'example', topics: context.topics, blocks };
}

/**
 * The article's analogy for the topics (its cooking example). Two topics the question joins get one figurative
 * sentence each (the contrast plan inside the analogy). One topic gets the sentences that map the figure onto it
 * ("这个过程就是微调", "微调:就像是…"), or the figure's own words the question names ("炖牛肉"): two at most. Without a
 * topic, the analogy sentences that match the question's words; with none of them either, its setup and summary.
 */
export function planAnalogy(context: PlanContext): AnswerPlan | undefined {
  // Two sides joined in the question ("烹饪的比喻里，微调和调教有什么不同"): the analogy's statement of each.
  if (joinedSides(context)) {
    const contrast = planDifference({ ...context, kind: 'analogy' });
    if (contrast) return contrast;
  }
  const analogy = context.pool.filter((sentence) => isAnalogyChunk(sentence.chunk));
  if (analogy.length === 0) return undefined;
  const cue = INTENT_SENTENCE_CUES.analogy;
  const vehicles = vehicleLabels(context);
  const onFigure = (sentence: EvidenceSentence): number =>
    vehicles.length === 0 ? 0 : (0.4 * vehicles.filter((vehicle) => sentence.text.includes(vehicle)).length) / vehicles.length;
  const taken: EvidenceSentence[] = [];
  const blocks: PlanBlock[] = [];
  const topics = context.topics.slice(0, 2);
  const perTopic = topics.length > 1 ? 1 : 2;
  // What the question asks of the figure beyond its topics and the figure's own words ("调整哪些因素").
  const asked = askedTerms(context, [...context.topics, ...context.vehicles]);
  // A question on the analogy's summary ("最后是怎么总结的") wants the summary's line, not the story.
  const onSummary = SUMMARY_QUESTION.test(context.query);
  const relevance = askedRelevance(context, asked);
  for (const topic of topics) {
    const labels = labelsOf(topic.zh);
    const inSection = (sentence: EvidenceSentence): boolean =>
      sentence.chunk.headingPath.slice(1).some((heading) => labels.some((label) => heading.includes(label)));
    const mapsTopic = (sentence: EvidenceSentence): boolean => mentionsAny(sentence, labels) && MAPPING.test(sentence.text);
    const value = (sentence: EvidenceSentence): number =>
      (inSection(sentence) ? 0.5 : 0) +
      (opensWith(sentence, topic.zh) ? 0.5 : 0) +
      (onSummary && isSummaryChunk(sentence.chunk) ? 0.6 : 0) +
      (cue?.test(sentence.text) ? 0.2 : 0) +
      onFigure(sentence) +
      askedShare(sentence, asked);
    // The sentence that maps the figure onto the topic ("这个过程就是微调——…", "微调:就像是…"), then, from the
    // topic's own section, the story it maps ("假设你有一锅炖牛肉的秘方…").
    // Told with its story, the mapping is the one that concludes the story's own section (the story comes from there).
    const telling = perTopic > 1 && !onSummary;
    const mappingValue = (sentence: EvidenceSentence): number => value(sentence) + (telling && inSection(sentence) ? 0.5 : 0);
    const mapping = pickDistinct(context, rankBy(context, analogy.filter(mapsTopic), mappingValue), { limit: 1, taken });
    const story = telling
      ? pickDistinct(
          context,
          rankBy(
            context,
            analogy.filter((sentence) => inSection(sentence) && !mapsTopic(sentence)),
            value,
          ),
          { limit: 1, taken: [...taken, ...mapping] },
        )
      : [];
    // Asked for a detail of the story ("调教时要调整哪些因素"), the sentence holding it answers; the mapping stays when it
    // holds the asked words as well (askedRelevance), or when the question asks nothing the story holds.
    const picked = keepRelevant([...story, ...mapping], relevance);
    if (picked.length === 0) {
      const about = analogy.filter((sentence) => inSection(sentence) || mentionsAny(sentence, labels));
      picked.push(...pickDistinct(context, rankBy(context, about, value), { limit: 1, taken }));
    }
    if (picked.length === 0) continue;
    taken.push(...picked);
    blocks.push({ role: topics.length > 1 ? 'side' : 'main', topic, sentences: inReadingOrder(picked, context.order) });
  }
  if (blocks.length === 0) {
    // Without a topic the figure's own words are what is asked ("更辣或更甜"), each weighed by how few of the
    // analogy's sentences use it: 烹饪 is in many, 想象 in one.
    const words = askedTerms(context, []);
    const using = new Map(words.map((word) => [word, analogy.filter((sentence) => sentence.terms.has(word)).length]));
    const weightOf = (word: string): number => Math.log((analogy.length + 1) / ((using.get(word) ?? 0) + 1));
    const total = words.reduce((sum, word) => sum + weightOf(word), 0) || 1;
    const rare = (sentence: EvidenceSentence): number =>
      words.filter((word) => sentence.terms.has(word)).reduce((sum, word) => sum + weightOf(word), 0) / total;
    const matching = analogy.filter((sentence) => rare(sentence) > 0);
    if (matching.length > 0) {
      const value = (sentence: EvidenceSentence): number => rare(sentence) + (cue?.test(sentence.text) ? 0.1 : 0);
      const ranked = rankBy(context, matching, (sentence) => value(sentence) - sentence.score);
      const best = ranked[0] as EvidenceSentence;
      const picked = pickDistinct(context, ranked, { limit: 2 }).filter((sentence) => value(sentence) >= value(best) * 0.8);
      const figures = picked.length > 0 ? picked : [best];
      const mappings = ASKS_WHAT_IT_STANDS_FOR.test(context.query) ? mappingsOf(context, figures) : [];
      blocks.push({ role: 'main', sentences: inReadingOrder([...figures, ...mappings], context.order) });
    } else {
      const setup = pickDistinct(
        context,
        rankBy(context, analogy, (sentence) => (cue?.test(sentence.text) ? 0.4 : 0)),
        { limit: 1 },
      );
      const summary = summarySentences(context, [], 2, setup);
      if (setup.length + summary.length === 0) return undefined;
      if (setup.length > 0) blocks.push({ role: 'main', sentences: setup });
      if (summary.length > 0) blocks.push({ role: 'summary', sentences: summary });
    }
  }
  return { kind: 'analogy', topics, blocks };
}

/**
 * For figure sentences, the sentence after each in its passage that says which term (one the figure does not name)
 * they stand for ("…添加一些特定的调料(比如辣椒或糖)…" → "这个过程就是微调——…"): asked what a detail of the story
 * corresponds to, the answer is the term, not the story alone.
 */
/** A question asking what a detail of the figure stands for ("加辣椒对应什么", "what does adding chili correspond to"). */
const ASKS_WHAT_IT_STANDS_FOR =
  /对应|代表|相当于|比作|比喻的是|指的是|说的是(?:哪|什么)|哪个(?:概念|词)|\b(?:correspond(?:s|ing)?|stands? for|represents?|equivalent|compared to|likened to|which (?:term|concept|word))\b/i;

/** How many sentences past a figure sentence its mapping may come, in the same passage. */
const MAPPING_REACH = 3;

/** The sentence maps the figure onto a term the figure sentence itself does not name ("这个过程就是微调"). */
const mapsOnto = (sentence: EvidenceSentence, figure: EvidenceSentence, terms: readonly string[]): boolean =>
  MAPPING.test(sentence.text) && terms.some((term) => sentence.text.includes(term) && !figure.text.includes(term));

function mappingsOf(context: PlanContext, figures: readonly EvidenceSentence[]): EvidenceSentence[] {
  const vehicles = new Set(vehicleLabels(context));
  const terms = [...context.termLabels].filter((label) => !vehicles.has(label) && [...label].length >= 2);
  const mappings: EvidenceSentence[] = [];
  for (const figure of figures) {
    // The story may go on a sentence or two before it says what it was ("…这个过程包括了很多试验和错误…。这个过程就是调教").
    let next = neighbour(context, figure, 1);
    for (let step = 1; next && step < MAPPING_REACH && !mapsOnto(next, figure, terms); step += 1) next = neighbour(context, next, 1);
    if (!next || !mapsOnto(next, figure, terms) || mappings.includes(next) || figures.includes(next)) continue;
    if (pickDistinct(context, [next], { limit: 1, taken: [...figures, ...mappings] }).length > 0) mappings.push(next);
  }
  return mappings;
}

/**
 * "Explain more simply": for each topic (two at most), its shortest literal defining sentence; with no defining
 * sentence, the shortest relevant one. Always a single block, told with one plain frame.
 */
export function planSimpler(context: PlanContext): AnswerPlan | undefined {
  const taken: EvidenceSentence[] = [];
  for (const topic of context.topics.slice(0, 2)) {
    const usable = (sentence: EvidenceSentence): boolean =>
      !FIGURATIVE.test(sentence.text) && !taken.some((kept) => kept.start === sentence.start);
    // A sentence that says what the term is (是, 指, 这个词) before one that only stands under its label ("**应用**:更快…").
    const strict = definitionPatternFor(labelsOf(topic.zh), true);
    const pattern = definitionPatternFor(labelsOf(topic.zh));
    const stated = context.pool.filter((sentence) => usable(sentence) && strict?.test(plain(sentence.text)) === true);
    const defining =
      stated.length > 0
        ? stated
        : context.pool.filter(
            (sentence) => usable(sentence) && (pattern?.test(plain(sentence.text)) || plain(sentence.text).startsWith(topic.zh)),
          );
    const shortest = [...defining].sort((left, right) => [...plain(left.text)].length - [...plain(right.text)].length);
    const picked = pickDistinct(context, shortest, { limit: 1, taken });
    taken.push(...picked);
  }
  if (taken.length === 0) {
    const relevant = context.pool.filter((sentence) => sentence.terms.size > 0 && context.retrievedIds.has(sentence.chunk.chunkId));
    const shortest = [...relevant].sort((left, right) => right.score / [...right.text].length - left.score / [...left.text].length);
    taken.push(...pickDistinct(context, shortest, { limit: 1 }));
  }
  if (taken.length === 0) return undefined;
  return { kind: 'simpler', topics: context.topics, blocks: [{ role: 'main', sentences: taken }] };
}
