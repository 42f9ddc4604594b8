import type { GlossaryTerm } from '../../ingest/glossary.js';
import { escapeRegExp } from '../../support/escape-regexp.js';
import { planDifference, sideStatement } from './contrast-plans.js';
import { pickDistinct, rankBy } from './plan-support.js';
import type { AnswerPlan, PlanContext } from './plan-types.js';
import { renderedSentence } from './rendering.js';
import { definitionPatternFor, type EvidenceSentence, labelsOf, plain, statementOf } from './sentence-evidence.js';
import { speaksOf } from './sentence-subject.js';
import { termSpan } from './term-spans.js';

/**
 * An identity question: "A就是B吗", "A是不是B", "Is A the same as B?", "Is A just B?" (not "A是不是B的一种", "a kind
 * of B": those ask whether one is part of the other). Answered by how the article relates the two:
 * - it says they are the same (a sentence about one saying it is the other: "A即B", "A也叫B", "A和B是一回事") → yes;
 * - it says one includes or is broader than the other (about one side, an inclusion of the other, "包括B在内",
 *   "includes B", or a breadth word beside the other's name, "比B更广义", "broader than B") → no: that sentence, then
 *   the other side's own statement;
 * - it tells them apart (a sentence naming both and a difference, or a definition of each) → no, with the contrast;
 * - else undefined: the other yes/no plans answer.
 */
export function planIdentity(context: PlanContext): AnswerPlan | undefined {
  const sides = identitySides(context);
  if (!sides) return undefined;
  const [one, two] = sides;
  const same = rankBy(context, [...statesSame(context, one, two), ...statesSame(context, two, one)], () => 0)[0];
  if (same) return { kind: 'yesno', topics: sides, blocks: [{ role: 'main', sentences: [same] }], verdict: 'yes' };
  const related = rankBy(context, [...relates(context, one, two), ...relates(context, two, one)], () => 0)[0];
  if (related) {
    const [wider, other] = speaksOf(context, related, one) ? [one, two] : [two, one];
    const statement = sideStatement(context, other, wider, [related]);
    const told = statement ? pickDistinct(context, [statement], { limit: 1, taken: [related] }) : [];
    return {
      kind: 'yesno',
      topics: [wider, other],
      blocks: [
        { role: 'side', topic: wider, sentences: [related] },
        ...told.map((sentence) => ({ role: 'side' as const, topic: other, sentences: [sentence] })),
      ],
      verdict: 'no',
    };
  }
  if (!toldApart(context, sides)) return undefined;
  const contrast = planDifference(context, { identity: true, sides });
  return contrast ? { ...contrast, kind: 'yesno', verdict: 'no' } : undefined;
}

/** What links the two sides of an identity question, between them. */
const CHINESE_LINK = /^(?!$)(?:是不是|是否|其实)?(?:就是|就等于|等于|等同于|即|是)?$/;
const ENGLISH_LINK =
  /^(?:just|simply|really|basically|merely|exactly|actually)?\s*(?:(?:the\s+)?same(?:\s+thing)?\s+as|identical\s+to|equivalent\s+to|another\s+(?:word|name|term)\s+for|a\s+synonym\s+(?:of|for))?$/i;
/** What may close an identity question after its second side: particles and marks, nothing that names a part or kind. */
const CLOSING = /^["'”’」』\s]*(?:吗|呢|吧|啊|嘛|么|thing|one)?[\s?？。.!！]*$/i;

/** The two sides of an identity question, in the question's order; undefined for any other question. */
function identitySides(context: PlanContext): [GlossaryTerm, GlossaryTerm] | undefined {
  const query = context.query.trim();
  const placed = context.topics
    .map((topic) => ({ topic, span: termSpan(query, topic) }))
    .filter((entry): entry is { topic: GlossaryTerm; span: { start: number; end: number } } => entry.span !== undefined)
    .sort((left, right) => left.span.start - right.span.start);
  for (let index = 0; index + 1 < placed.length; index += 1) {
    const [left, right] = [placed[index], placed[index + 1]] as [(typeof placed)[number], (typeof placed)[number]];
    const between = query
      .slice(left.span.end, right.span.start)
      .replace(/["'“”‘’「」『』]/g, '')
      .trim();
    if (!CLOSING.test(query.slice(right.span.end))) continue;
    const english = !/[\u3400-\u9fff]/.test(query);
    const opens = english ? /^(?:is|are)\s+$/i.test(query.slice(0, left.span.start)) : true;
    if (opens && (english ? ENGLISH_LINK : CHINESE_LINK).test(between)) return [left.topic, right.topic];
  }
  return undefined;
}

/** The texts a sentence is read in: the original's statement and its English rendering. */
const textsOf = (sentence: EvidenceSentence): string[] => [plain(statementOf(sentence)), renderedSentence(sentence) ?? ''];

/** Names of a term in either language: its labels, its English forms. */
const namesOf = (term: GlossaryTerm): string[] => [...labelsOf(term.zh), ...term.en.filter((form) => form.length > 2)];
/** The names as one alternation; an English name stands alone ("tuning" is not in "fine-tuning"). */
const anyOf = (names: readonly string[]): string =>
  names.map((name) => (/^[a-z]/i.test(name) ? `(?<![\\w-])${escapeRegExp(name)}(?![\\w-])` : escapeRegExp(name))).join('|');

/** Sentences about `one` that say it is `other`, not negated ("调教也叫B", "A is another word for B", "A和B是一回事"). */
function statesSame(context: PlanContext, one: GlossaryTerm, other: GlossaryTerm): EvidenceSentence[] {
  const others = anyOf(namesOf(other));
  const named = new RegExp(
    `(?<![不非没])(?:就是|即是|即|也就是|等同于|等于|又称|也称|也叫|又叫|亦称|亦即)["“「]?(?:${others})|(?:${others})[^,，。;；]{0,6}(?<![不没])(?:是一回事|是同一|同义|一样|相同)|` +
      `\\b(?:is|are)\\s+(?:just\\s+|simply\\s+)?(?:the same (?:thing )?as|another (?:word|name|term) for|also called|a synonym (?:of|for))\\s+(?:${others})|\\balso (?:called|known as)\\s+(?:${others})`,
    'i',
  );
  return context.pool.filter((sentence) => speaksOf(context, sentence, one) && textsOf(sentence).some((text) => named.test(text)));
}

/** A relation of inclusion or breadth, in either language. */
const INCLUDES = /包括|包含|涵盖|囊括|覆盖|\b(?:includ\w*|cover\w*|encompass\w*|contain\w*)\b/i;
const BROADER = /更广义|更宽泛|更广泛|更广|更宽|范围更大|\b(?:broader|wider|more general)\b/i;
const PART_OF = /的(?:一种|一部分|一类|子集|特例)|\b(?:a|one) (?:kind|type|form|part|subset|special case) of\b/i;

/**
 * Sentences about `one` that relate it to `other` by inclusion or breadth: an inclusion word before the other's name
 * ("它可以包括微调在内的…", "can cover …, fine-tuning included"), a breadth word in a sentence naming it ("比B更宽泛"),
 * or `one` said to be a kind or part of the other ("A是B的一种").
 */
function relates(context: PlanContext, one: GlossaryTerm, other: GlossaryTerm): EvidenceSentence[] {
  const others = new RegExp(anyOf(namesOf(other)), 'i');
  const kindOf = new RegExp(`(?:是|属于)["“「]?(?:${anyOf(namesOf(other))})["”」]?(?:${PART_OF.source})`, 'i');
  const related = (text: string): boolean => {
    const at = text.search(others);
    if (at < 0) return false;
    const inclusion = text.search(INCLUDES);
    return (inclusion >= 0 && inclusion < at) || BROADER.test(text) || kindOf.test(text);
  };
  return context.pool.filter((sentence) => speaksOf(context, sentence, one) && textsOf(sentence).some(related));
}

/**
 * Whether the article tells two terms apart: a sentence about both (their joined subject: "模型应用和大模型微调是…两种不同
 * 的使用方法") that states a difference, or a definition of each.
 */
function toldApart(context: PlanContext, sides: readonly [GlossaryTerm, GlossaryTerm]): boolean {
  const differ = /不同|区别|差异|差别|不一样|各有|各自|\bdiffer\w*|\bdistinct\b/i;
  const denied = /(?:没有|没|无|不存在)(?:什么|任何)?(?:不同|区别|差异|差别)|\bno difference\b/i;
  const aboutBoth = (sentence: EvidenceSentence): boolean => sides.every((side) => speaksOf(context, sentence, side));
  if (context.pool.some((sentence) => differ.test(sentence.text) && !denied.test(sentence.text) && aboutBoth(sentence))) return true;
  return sides.every((side) => {
    const defining = definitionPatternFor(labelsOf(side.zh), true);
    return defining !== undefined && context.pool.some((sentence) => defining.test(plain(statementOf(sentence))));
  });
}
