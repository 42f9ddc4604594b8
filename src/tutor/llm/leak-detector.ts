/**
 * Watches the model's text for a recital of its instructions (a learner asked for the system prompt, or a passage told
 * the model to print it). A verbatim-copy check is easy to slip past: the same text with doubled spaces, zero-width
 * spaces, full-width letters or changed punctuation is still the system prompt to a reader. So both texts are first
 * brought to one comparable form ({@link comparableText}: NFKC, invisible characters removed, whitespace collapsed,
 * lower case, then only the Latin letters and digits kept, which is where the rules are written), and the check counts
 * how many of the answer's character n-grams ({@link LEAK_GRAM_CHARS} long) occur in the prompt's. Past
 * {@link LEAK_HITS} hits (about one 60-character sentence, or several shorter pieces) the answer is a recital:
 * `check` throws `leaked-instructions`, the attempt fails, its streamed text is reset and the fallback answers.
 *
 * Text is not held back (that would delay every short answer): at most about one sentence of instruction text is on
 * screen until the reset. Chinese in the prompt is left out of the comparison (its example sentence is one an answer
 * may legitimately echo).
 */
import { ModelAnswerError } from './model-failure.js';

/** Length of the compared character n-grams (of the comparable form). */
export const LEAK_GRAM_CHARS = 20;
/** N-grams of the answer found in the instructions that make it a recital. */
export const LEAK_HITS = 30;

/** Format characters (zero-width spaces and joiners, BOM, soft hyphen, bidi marks...) and blank look-alikes. */
const INVISIBLE = /\u034f|[\p{Cf}\u115f\u1160\u17b4\u17b5\u180e\u2800\u3164\uffa0]/gu;

/** NFKC, invisible characters removed, whitespace runs collapsed to one space, lower case. */
export function normaliseForComparison(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, '').replace(/\s+/gu, ' ').toLowerCase();
}

/** The normalised text reduced to its Latin letters and digits: spacing and punctuation no longer matter. */
export function comparableText(text: string): string {
  return normaliseForComparison(text).replace(/[^a-z0-9]/gu, '');
}

export interface InstructionLeakDetector {
  /** Feeds the next piece of model text; throws `leaked-instructions` once the text so far recites the instructions. */
  check(piece: string): void;
}

/** The instructions' n-grams, computed once per distinct instruction text (a process has a few system prompts). */
export type InstructionGrams = ReadonlySet<string>;

export function instructionGrams(instructions: string): InstructionGrams {
  const grams = new Set<string>();
  const source = comparableText(instructions);
  for (let start = 0; start + LEAK_GRAM_CHARS <= source.length; start += 1) grams.add(source.slice(start, start + LEAK_GRAM_CHARS));
  return grams;
}

/**
 * A detector for one answer. Pass the instructions' {@link instructionGrams} when they are already known: computing them
 * costs a fraction of a millisecond per answer, before its first word.
 */
export function createInstructionLeakDetector(instructions: string | InstructionGrams): InstructionLeakDetector {
  const grams = typeof instructions === 'string' ? instructionGrams(instructions) : instructions;
  /** Raw text not yet normalised completely: a piece may end inside a character NFKC composes with the next. */
  let rawTail = '';
  /** The comparable form of the answer's last characters, enough to form the next n-gram. */
  let window = '';
  let hits = 0;
  return {
    check(piece) {
      const raw = rawTail + piece;
      // Keep the last character raw: it may combine with what comes next.
      const settled = Array.from(raw);
      rawTail = settled.pop() ?? '';
      window += comparableText(settled.join(''));
      for (let end = LEAK_GRAM_CHARS; end <= window.length; end += 1) {
        if (grams.has(window.slice(end - LEAK_GRAM_CHARS, end))) hits += 1;
      }
      window = window.slice(Math.max(0, window.length - (LEAK_GRAM_CHARS - 1)));
      if (hits >= LEAK_HITS) {
        throw new ModelAnswerError('leaked-instructions', 'The model repeated its instructions instead of answering');
      }
    },
  };
}
