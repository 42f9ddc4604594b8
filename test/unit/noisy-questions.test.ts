import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerCase } from '../../src/evaluation/case-runner.js';
import { type EvaluationCase, loadEvaluationCases } from '../../src/evaluation/evaluation-cases.js';
import type { TutorAnswer } from '../../src/tutor/tutor-types.js';
import { createTestRuntime, repositoryRoot } from '../support/test-runtime.js';

/**
 * A metamorphic check of the question normaliser and everything after it: noise a learner's text picks up on the way
 * (pasted from a page, typed on a phone, a full-width input mode) must not change the answer. Every seventh in-corpus
 * case of cases.json is asked clean and with each kind of noise on its last turn; the answer and its citations must be
 * the clean question's.
 */
const SAMPLE_EVERY = 7;

const CJK = /[\u3400-\u9fff]/;

/** Full-width forms of printable ASCII (NFKC folds them back) and the ideographic space. */
const fullWidth = (text: string): string =>
  text.replace(/[!-~ ]/g, (character) => (character === ' ' ? '\u3000' : String.fromCharCode(character.charCodeAt(0) + 0xfee0)));

/** Inserts `mark` after every second character of each word (Chinese characters, or inside Latin words). */
function insideWords(text: string, mark: string): string {
  let count = 0;
  return [...text]
    .map((character, index, characters) => {
      const next = characters[index + 1] ?? '';
      const letter = /[\p{L}\p{N}]/u;
      const inWord = letter.test(character) && letter.test(next) && CJK.test(character) === CJK.test(next);
      count = inWord ? count + 1 : 0;
      return inWord && count % 2 === 1 ? character + mark : character;
    })
    .join('');
}

/** The question's final mark repeated, in the width a phone keyboard gives (or one added). */
const repeatedMarks = (text: string): string => {
  const trimmed = text.replace(/[?？]+$/u, '');
  return `${trimmed}${CJK.test(text) ? '？？？' : '???'}`;
};

const NOISES: Readonly<Record<string, (text: string) => string>> = {
  'zero-width spaces inside words': (text) => insideWords(text, '\u200b'),
  'soft hyphens inside words': (text) => insideWords(text, '\u00ad'),
  'full-width Latin, digits and punctuation': fullWidth,
  'HTML tags and entities': (text) =>
    `<p><span title="a&amp;b">${text.replace(/ /g, '&nbsp;').replace(/'/g, '&#39;').replace(/\?$/, '&#63;')}</span></p><br/>`,
  'bold words': (text) => text.replace(/([\u3400-\u9fff]{2}|[A-Za-z]{4,})/u, '<b>$1</b>'),
  'bidi controls': (text) => `\u202a${text.replace(/ /g, '\u200e ')}\u202c\u2066\u2069`,
  'extra spaces and newlines': (text) => `  \n${text.replace(/ /g, '  \t')}\n\n `,
  'line breaks and block tags inside Chinese words': (text) => {
    let count = 0;
    return text.replace(/[\u3400-\u9fff](?=[\u3400-\u9fff])/gu, (character) => {
      count += 1;
      return count % 3 === 0 ? `${character}${count % 2 === 0 ? '<br>' : '\n'}` : character;
    });
  },
  'a trailing emoji': (text) => `${text} 😊🤔`,
  'repeated question marks': repeatedMarks,
};

describe('noisy questions are answered as the clean ones', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  let sample: EvaluationCase[];
  beforeAll(async () => {
    fixture = await createTestRuntime();
    const cases = await loadEvaluationCases(path.join(repositoryRoot, 'test/eval/cases.json'));
    sample = cases.filter((entry) => entry.covered && entry.category !== 'noisy').filter((_entry, index) => index % SAMPLE_EVERY === 0);
  });
  afterAll(() => fixture.dispose());

  /** What the learner sees: the text, whether it is grounded, and each citation's passage and sentence spans. */
  const seen = (answer: TutorAnswer | undefined) => ({
    answer: answer?.answer,
    grounded: answer?.grounded,
    citations: answer?.citations.map((citation) => ({ chunkId: citation.chunkId, spans: citation.spans })),
  });

  it.each(Object.entries(NOISES))(
    'with %s',
    async (_name, noise) => {
      const differing: string[] = [];
      for (const entry of sample) {
        const clean = await answerCase(fixture.runtime.offlineAnswerer, entry);
        const turns = [...entry.turns.slice(0, -1), noise(entry.turns[entry.turns.length - 1] as string)];
        const noisy = await answerCase(fixture.runtime.offlineAnswerer, { ...entry, turns });
        if (JSON.stringify(seen(noisy.final.answer)) !== JSON.stringify(seen(clean.final.answer)))
          differing.push(`${entry.id}: ${JSON.stringify(noisy.final.asked)} (clean ${JSON.stringify(clean.final.asked)})`);
      }
      expect(sample.length).toBeGreaterThan(50);
      expect(differing).toEqual([]);
    },
    60_000,
  );
});
