import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStopword } from '../../src/retrieval/function-words.js';
import { getDefaultJieba } from '../../src/retrieval/text-analyzer.js';
import type { TutorAnswer } from '../../src/tutor/tutor-types.js';
import { createHomophoneFinder, homophoneTyposOf } from '../support/homophone-typos.js';
import { createTestRuntime } from '../support/test-runtime.js';

/**
 * A generated check of pinyin-IME typos, instead of hand-picked ones: every key term of the glossary (and other corpus
 * words learners type) is misspelt with common homophones, one character at a time and all at once, inside questions
 * a learner asks, and the answer must be the clean question's: grounded, saying what it searched for, citing the same
 * first passage.
 */
const CHINESE = /^[\u3400-\u9fff]{2,}$/;

/** Corpus words beyond the glossary's terms that learners type (and misspell). */
const OTHER_CORPUS_WORDS = ['泛化', '拟合', '模型', '调整', '神经网络', '深度学习', '情感分析', '前向传播', '参数更新'];

const FRAMES_ZH = [
  (term: string) => `${term}是什么？`,
  (term: string) => `什么是${term}？`,
  (term: string, other: string) => `${term}和${other}有什么区别？`,
  (term: string) => `为什么要${term}？`,
  (term: string) => `${term}有什么风险？`,
  (term: string) => `能举个${term}的例子吗？`,
];
const FRAMES_EN = [(term: string) => `What is ${term}?`, (term: string) => `What does ${term} mean in the article?`];

interface Miss {
  readonly question: string;
  readonly why: string;
}

describe('pinyin typos of every key term, in the questions learners ask', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  let corpusText: string;
  let realWords: Set<string>;
  let terms: string[];
  const vocabulary = new Set<string>();
  beforeAll(async () => {
    fixture = await createTestRuntime();
    const { lexicalIndex } = fixture.runtime.currentIndex();
    for (let position = 0; position < lexicalIndex.size; position += 1)
      for (const token of lexicalIndex.tokensAt(position) ?? []) vocabulary.add(token);
    corpusText = fixture.runtime
      .currentIndex()
      .chunks.map((chunk) => chunk.text)
      .join('\n');
    // Words of the dictionary that read like a corpus word (时间 beside 实践): a real word typed is no typo.
    const lexiconDirectory = path.join(fixture.config.dataDir, 'lexicon');
    const lexiconFile = readdirSync(lexiconDirectory).find((name) => name.endsWith('.json')) as string;
    const lexicon = JSON.parse(readFileSync(path.join(lexiconDirectory, lexiconFile), 'utf8')) as { pinyin: { homophones: string[] } };
    realWords = new Set(lexicon.pinyin.homophones);
    const glossaryTerms = fixture.runtime.analyzer.glossary.terms.map((term) => term.zh).filter((zh) => CHINESE.test(zh));
    terms = [...new Set([...glossaryTerms, ...OTHER_CORPUS_WORDS])].filter((term) => corpusText.includes(term));
  });
  afterAll(() => fixture.dispose());

  /** Whether jieba reads a corpus word across either end of the typed term in the question. */
  function straddlesCorpusWord(question: string, at: number, length: number): boolean {
    let position = 0;
    for (const piece of getDefaultJieba().cut(question, true)) {
      const end = position + piece.length;
      const crosses = (boundary: number): boolean => position < boundary && boundary < end;
      if ((crosses(at) || crosses(at + length)) && vocabulary.has(piece)) return true;
      position = end;
    }
    return false;
  }

  const ask = (question: string): Promise<TutorAnswer> => fixture.runtime.offlineAnswerer.answer({ question, history: [] });

  async function missesOf(frames: readonly ((term: string, other: string) => string)[]): Promise<{ misses: Miss[]; asked: number }> {
    const homophonesOf = createHomophoneFinder();
    const accept = (typed: string): boolean => !corpusText.includes(typed) && !realWords.has(typed);
    const misses: Miss[] = [];
    let asked = 0;
    for (const term of terms) {
      const other = term === '微调' ? '调教' : '微调';
      for (const frame of frames) {
        const clean = await ask(frame(term, other));
        if (!clean.grounded) continue;
        for (const { typed, kind } of homophoneTyposOf(term, homophonesOf, { accept, isFunction: isStopword })) {
          const question = frame(typed, other);
          // A typo whose last character makes a corpus word with the frame's next one (翻已 + 有什么: 已有) is read as
          // that word, which the learner did type.
          if (straddlesCorpusWord(question, question.indexOf(typed), typed.length)) continue;
          asked += 1;
          const answer = await ask(question);
          const why = !answer.grounded
            ? 'refused'
            : (answer.corrections ?? []).length === 0
              ? 'no correction'
              : answer.searchedFor !== clean.searchedFor
                ? `searched ${answer.searchedFor}`
                : answer.citations[0]?.chunkId !== clean.citations[0]?.chunkId
                  ? 'another first passage'
                  : undefined;
          if (why) misses.push({ question: `${question} (${kind}: ${term})`, why });
        }
      }
    }
    return { misses, asked };
  }

  it('answers Chinese questions with a typo as the clean question', async () => {
    const { misses, asked } = await missesOf(FRAMES_ZH);
    expect(asked).toBeGreaterThan(1000);
    expect(misses).toEqual([]);
  }, 120_000);

  it('answers English questions naming a Chinese term with a typo as the clean question', async () => {
    const { misses, asked } = await missesOf(FRAMES_EN);
    expect(asked).toBeGreaterThan(300);
    expect(misses).toEqual([]);
  }, 120_000);
});
