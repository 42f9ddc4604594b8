import { isStopword } from '../../retrieval/function-words.js';
import { areOpposites, type PoleWord } from '../../retrieval/opposite-words.js';
import type { PlanContext } from './plan-types.js';
import { renderedSentence } from './rendering.js';
import type { EvidenceSentence } from './sentence-evidence.js';
import { polesIn } from './yes-no-claim.js';

/**
 * How a sentence stands to the poles of everyday scales the question names (`opposite-words.ts`: "quick", 快, 更省时间,
 * "slower"): it states the same pole ("**应用**:更快" for "Why is it quick?"), only the opposite one ("时间较长,因为涉及到
 * 训练"), or neither. A question that presupposes a pole ("why is X quick") is answered by a sentence stating that pole,
 * not by one stating its opposite: retrieval reaches both poles alike (a scale bridge), so the plan tells them apart.
 */
export type PoleStance = 'agrees' | 'opposed' | undefined;

/**
 * The stance of each sentence toward the question's poles, read in the sentence and its aligned rendering (an English
 * question's "quick" is stated by the rendering's "faster"); always undefined when the question names no pole word.
 * A sentence with words at both poles of an asked scale ("部分或全部") agrees: it states the asked pole too.
 */
export function poleStance(context: PlanContext): (sentence: EvidenceSentence) => PoleStance {
  const asked = polesIn(context.query, context.glossary).filter((pole) => !qualifiesNoun(context.query, pole));
  if (asked.length === 0) return () => undefined;
  return (sentence) => {
    const found: PoleWord[] = [sentence.text, renderedSentence(sentence) ?? ''].flatMap((text) =>
      polesIn(text, context.glossary).filter((pole) => asked.some((wanted) => wanted.scale === pole.scale)),
    );
    if (found.length === 0) return undefined;
    const agrees = found.some((pole) => asked.some((wanted) => wanted.scale === pole.scale && !areOpposites(wanted, pole)));
    return agrees ? 'agrees' : 'opposed';
  };
}

/**
 * Whether a pole word of the question qualifies the noun after it ("the existing model", 大量的数据): it names what is
 * spoken of, not what is said of it. English: a word follows that is no function word ("quick?", "slow and costly",
 * "faster than" are said of the subject); Chinese: 的 follows, or a term's name.
 */
function qualifiesNoun(question: string, pole: PoleWord): boolean {
  const after = question.slice(pole.end);
  if (/^[a-z]/i.test(pole.word)) {
    const next = /^\s+([a-z][a-z-]*)/i.exec(after)?.[1]?.toLowerCase();
    return next !== undefined && !isStopword(next) && !CLAUSE_WORDS.has(next);
  }
  return /^的/.test(after);
}

/** English words that open a clause or a comparison after a predicate, not a noun the pole word qualifies. */
const CLAUSE_WORDS = new Set(['because', 'compared', 'enough', 'overall', 'although', 'though', 'since', 'unless']);
