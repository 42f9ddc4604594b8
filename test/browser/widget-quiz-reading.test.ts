import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { GlossaryTerm } from '../../src/ingest/glossary.js';
import type { PassageResponse } from '../../src/shared/chat-protocol.js';
import { askInWidget, openWidget, repoRoot, saveScreenshot, waitForAnswer, withWatchedPage } from '../support/browser.js';
import { createHomophoneFinder, homophoneTyposOf } from '../support/homophone-typos.js';
import { useTestTutor } from '../support/start-test-tutor.js';

/**
 * A fill-in quiz answered with the right term typed through a pinyin slip (a homophone), or with its English, is
 * marked right, and the feedback says what the answer was read as.
 */

/** The widget's server (the widget is built first when stale). */
const tutor = useTestTutor();
const BLANK = /＿+/g;

/** The glossary term the blank stands for: the one that makes the quoted sentence the passage's own. */
async function blankedTerm(quiz: Locator, glossary: readonly GlossaryTerm[]): Promise<string> {
  const chunkId = (await quiz.getAttribute('data-chunk-id')) ?? '';
  const response = await fetch(`${tutor().baseUrl}/api/passages/${encodeURIComponent(chunkId)}`);
  const source = ((await response.json()) as PassageResponse).text.replace(/\*\*/g, '');
  const sentence = (await quiz.locator('.quiz-sentence').textContent()) ?? '';
  const terms = glossary.map((term) => term.zh).filter((term) => source.includes(sentence.split(BLANK).join(term)));
  expect(terms, sentence).toHaveLength(1);
  return terms[0] as string;
}

/** Opens the next quiz card and returns it once it shows a fill-in question (answering choice ones with any option). */
async function nextFillQuiz(page: Page, index: { value: number }): Promise<Locator> {
  for (;;) {
    const quiz = page.locator('tutor-chat section.msg-tutor[data-kind]').nth(index.value);
    await quiz.waitFor();
    index.value += 1;
    if ((await quiz.getAttribute('data-kind')) === 'fill') return quiz;
    await quiz.locator('button.option').first().click();
    await quiz.locator('.quiz-result').waitFor();
    await quiz.getByRole('button', { name: '再来一题' }).click();
  }
}

describe('a quiz answer read as the term', () => {
  it('accepts a pinyin slip and the English of the term, saying what each was read as', { timeout: 180_000 }, async () => {
    const articles = await Promise.all(
      ['finetune-vs-tuning.md', 'model-application-vs-finetuning.md'].map((file) => readFile(path.join(repoRoot, 'corpus', file), 'utf8')),
    );
    const glossary = (JSON.parse(await readFile(path.join(repoRoot, 'corpus', 'glossary.json'), 'utf8')) as { terms: GlossaryTerm[] })
      .terms;
    const homophones = createHomophoneFinder();
    await withWatchedPage({ locale: 'zh-CN' }, async (page) => {
      await page.goto(`${tutor().baseUrl}/`);
      await openWidget(page);
      await askInWidget(page, '什么是微调？');
      await waitForAnswer(page, 0);
      await page.locator('tutor-chat .quiz-me').click();
      const index = { value: 0 };

      const slipQuiz = await nextFillQuiz(page, index);
      const term = await blankedTerm(slipQuiz, glossary);
      const slip = homophoneTyposOf(term, homophones, {
        accept: (typo) => articles.every((text) => !text.includes(typo)),
        isFunction: () => false,
      })[0]?.typed;
      expect(slip, term).toBeDefined();
      await slipQuiz.getByRole('textbox', { name: '你的答案' }).fill(slip as string);
      await slipQuiz.getByRole('textbox', { name: '你的答案' }).press('Enter');
      await slipQuiz.locator('.quiz-result').waitFor();
      expect(await slipQuiz.getAttribute('data-verdict')).toBe('right');
      expect(await slipQuiz.locator('.quiz-result .badge').textContent()).toBe('答对了！');
      expect(await slipQuiz.locator('.quiz-result .answer').textContent()).toContain(`你写的「${slip}」和「${term}」拼音相同`);
      await saveScreenshot(page, 'quiz-reading-homophone');

      await slipQuiz.getByRole('button', { name: '再来一题' }).click();
      const englishQuiz = await nextFillQuiz(page, index);
      const englishTerm = await blankedTerm(englishQuiz, glossary);
      const entry = glossary.find((candidate) => candidate.zh === englishTerm);
      const english = entry?.en[0] ?? entry?.gloss;
      expect(english, englishTerm).toBeDefined();
      await englishQuiz.getByRole('textbox', { name: '你的答案' }).fill(english as string);
      await englishQuiz.getByRole('textbox', { name: '你的答案' }).press('Enter');
      await englishQuiz.locator('.quiz-result').waitFor();
      expect(await englishQuiz.getAttribute('data-verdict')).toBe('right');
      expect(await englishQuiz.locator('.quiz-result .answer').textContent()).toContain(
        `你写的「${english}」是「${englishTerm}」的英文说法`,
      );
      await saveScreenshot(page, 'quiz-reading-english');
    });
  });
});
