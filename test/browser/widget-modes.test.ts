import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { PassageResponse } from '../../src/shared/chat-protocol.js';
import { answerOf, askInWidget, openWidget, saveScreenshot, turnsOf, waitForAnswer, withWatchedPage } from '../support/browser.js';
import { useTestTutor } from '../support/start-test-tutor.js';

/**
 * The tutor modes as a learner meets them in the widget, in a real Chromium against the real server (offline
 * answerer): explain an answer differently (simpler, with the article's cooking analogy, in the other language),
 * thumbs up/down stored by the server, "Quiz me" with a right and a wrong answer, and learning progress with "Next".
 * Writes the screenshots of these views (desktop and phone, Chinese and English, light and dark).
 */

/** The widget's server (the widget is built first when stale). */
const tutor = useTestTutor();

async function passage(chunkId: string): Promise<PassageResponse> {
  const response = await fetch(`${tutor().baseUrl}/api/passages/${encodeURIComponent(chunkId)}`);
  expect(response.status).toBe(200);
  return (await response.json()) as PassageResponse;
}

/** Answer text as the learner reads it. */
async function answerText(answer: Locator): Promise<string> {
  return ((await answer.locator('.answer').textContent()) ?? '').trim();
}

async function chunkIdsOf(answer: Locator): Promise<string[]> {
  return answer.locator('button.chip').evaluateAll((chips) => chips.map((chip) => chip.getAttribute('data-chunk-id') ?? ''));
}

/** Covered-concept count shown by the progress bar, once it shows one. */
async function coveredCount(page: Page): Promise<number> {
  const text = (await page.locator('tutor-chat .progress-toggle').textContent()) ?? '';
  const match = /(\d+)\/(\d+)/.exec(text);
  expect(match, `progress text "${text}"`).not.toBeNull();
  return Number(match?.[1]);
}

const BLANK = /＿+/g;

/** Waits until the demo page has stopped scrolling (a citation click scrolls the article smoothly). */
async function scrollSettled(page: Page): Promise<void> {
  let previous = -1;
  await expect
    .poll(
      async () => {
        const current = await page.evaluate(() => window.scrollY);
        const settled = current === previous;
        previous = current;
        return settled;
      },
      { interval: 300, timeout: 10_000 },
    )
    .toBe(true);
}

describe('explain differently', () => {
  it('re-explains a Chinese answer more simply, with the cooking analogy and in English, each cited', { timeout: 180_000 }, async () => {
    await withWatchedPage({ locale: 'zh-CN' }, async (page) => {
      await page.goto(`${tutor().baseUrl}/`);
      await openWidget(page);
      await askInWidget(page, '微调和调教有什么区别？');
      const original = await waitForAnswer(page, 0);
      const originalText = await answerText(original);
      const actions = original.locator('.actions');
      expect(await actions.locator('button.action').allTextContents()).toEqual(['更简单', '用比喻', 'English', '', '']);
      expect(
        await actions.locator('button.thumb').evaluateAll((buttons) => buttons.map((button) => button.getAttribute('aria-label'))),
      ).toEqual(['有帮助', '没有帮助']);

      // Simpler: a new turn of the conversation, shorter, still cited.
      await actions.getByRole('button', { name: '更简单' }).click();
      const simpler = await waitForAnswer(page, 1);
      expect(await turnsOf(page).nth(1).locator('.msg-user').textContent()).toMatch(/更简单/);
      expect(await simpler.locator('button.chip').count()).toBeGreaterThan(0);
      const simplerText = await answerText(simpler);
      expect(simplerText.length).toBeGreaterThan(10);
      expect(simplerText.length).toBeLessThan(originalText.length);

      // Analogy: cites a passage of the article's cooking section.
      await actions.getByRole('button', { name: '用比喻' }).click();
      const analogy = await waitForAnswer(page, 2);
      const analogyChunks = await chunkIdsOf(analogy);
      expect(analogyChunks.length).toBeGreaterThan(0);
      const headingPaths = await Promise.all(analogyChunks.map(async (chunkId) => (await passage(chunkId)).headingPath.join(' › ')));
      const cookingIndex = headingPaths.findIndex((headingPath) => headingPath.includes('烹饪'));
      expect(cookingIndex, headingPaths.join(' | ')).toBeGreaterThanOrEqual(0);
      // The learner sees it too: that chip's source card names the cooking section.
      await analogy.locator('button.chip').nth(cookingIndex).click();
      const card = page.locator('tutor-chat .source-card');
      await card.waitFor({ state: 'visible' });
      await expect.poll(() => card.locator('.source-path').textContent()).toContain('烹饪');
      await page.keyboard.press('Escape');
      await card.waitFor({ state: 'hidden' });

      // English: the same content framed in English; its own language button now offers Chinese.
      await actions.getByRole('button', { name: 'English' }).click();
      const english = await waitForAnswer(page, 3);
      const englishText = await answerText(english);
      expect(englishText).toMatch(/\b(the|The|article|fine-tuning|tuning)\b/);
      expect(await english.locator('button.chip').count()).toBeGreaterThan(0);
      expect(await english.locator('.actions button.action').nth(2).textContent()).toBe('用中文');
      expect(await english.locator('.actions button.action').nth(0).textContent()).toBe('更简单');

      await scrollSettled(page);
      await saveScreenshot(page, 'modes-desktop-zh-explain');

      // Restore after a reload keeps the four turns, each with its actions.
      await page.reload();
      await openWidget(page);
      await expect.poll(() => turnsOf(page).count(), { timeout: 10_000 }).toBe(4);
      expect(await page.locator('tutor-chat article.turn .actions').count()).toBe(4);
      expect(await answerText(answerOf(page, 1))).toBe(simplerText);
      expect(await answerOf(page, 3).locator('.actions button.action').nth(2).textContent()).toBe('用中文');
    });
  });
});

describe('feedback', () => {
  it('stores a thumbs down with its reason and passage, and a thumbs up, and thanks the learner', { timeout: 120_000 }, async () => {
    const feedbackFile = path.join(tutor().config.dataDir, 'feedback', 'feedback.jsonl');
    await withWatchedPage({ locale: 'en-US' }, async (page) => {
      await page.goto(`${tutor().baseUrl}/`);
      await openWidget(page);
      await askInWidget(page, 'What is fine-tuning?');
      const answer = await waitForAnswer(page, 0);
      const down = answer.getByRole('button', { name: 'Not helpful', exact: true });
      expect(await down.getAttribute('aria-expanded')).toBe('false');
      await down.click();
      expect(await down.getAttribute('aria-expanded')).toBe('true');
      const form = answer.locator('form.feedback-form');
      await form.waitFor();
      // The reason box has focus: the learner types straight away.
      expect(await page.evaluate(() => document.querySelector('tutor-chat')?.shadowRoot?.activeElement?.getAttribute('aria-label'))).toBe(
        'What was wrong? (optional)',
      );
      const reason = 'The quote does not answer my question <b>at all</b>';
      await page.keyboard.type(reason);
      const select = form.getByRole('combobox', { name: 'About which passage' });
      const choices = await select
        .locator('option')
        .evaluateAll((options) =>
          options.map((option) => ({ value: (option as HTMLOptionElement).value, text: option.textContent ?? '' })),
        );
      expect(choices[0]).toEqual({ value: '', text: 'The whole answer' });
      expect(choices.length).toBeGreaterThan(1);
      const cited = await chunkIdsOf(answer);
      const chosen = choices[1] as { value: string; text: string };
      expect(cited).toContain(chosen.value);
      expect(chosen.text).toMatch(/^\[1\] /);
      await select.selectOption(chosen.value);
      await saveScreenshot(page, 'modes-desktop-en-feedback');
      await form.getByRole('button', { name: 'Send' }).click();
      await answer.locator('.thanks').waitFor();
      expect(await answer.locator('.thanks').textContent()).toBe('Thanks for the feedback!');
      expect(await form.count()).toBe(0);
      expect(await down.getAttribute('aria-pressed')).toBe('true');
      expect(await down.isDisabled()).toBe(true);

      await askInWidget(page, 'What is tuning?');
      const second = await waitForAnswer(page, 1);
      await second.getByRole('button', { name: 'Helpful', exact: true }).click();
      await second.locator('.thanks').waitFor();

      // The server stored both, durably, in order.
      const entries = (await readFile(feedbackFile, 'utf8'))
        .trim()
        .split('\n')
        .map(
          (line) => JSON.parse(line) as { rating: string; reason?: string; chunkId?: string; messageId: string; conversationId: string },
        );
      expect(entries).toHaveLength(2);
      expect(entries[0]).toMatchObject({ rating: 'down', reason, chunkId: chosen.value });
      expect(entries[1]).toMatchObject({ rating: 'up' });
      expect(entries[1]?.reason).toBeUndefined();
      expect(entries[0]?.messageId).not.toBe(entries[1]?.messageId);
      expect(entries[0]?.conversationId).toBe(entries[1]?.conversationId);
    });
  });
});

describe('quiz', () => {
  it('asks about a passage the learner met, grades a right choice and a wrong fill-in, and explains with a citation', {
    timeout: 180_000,
  }, async () => {
    await withWatchedPage({ locale: 'zh-CN' }, async (page) => {
      await page.goto(`${tutor().baseUrl}/`);
      await openWidget(page);
      const quizMe = page.locator('tutor-chat .quiz-me');
      expect(await quizMe.textContent()).toBe('考考我');
      // Before any answer there is nothing to quiz on: the widget says so.
      await quizMe.click();
      await expect.poll(() => page.locator('tutor-chat .status').textContent()).toContain('先提个问题');
      expect(await page.locator('tutor-chat .quiz').count()).toBe(0);

      await askInWidget(page, '什么是微调？');
      const answer = await waitForAnswer(page, 0);
      const met = await chunkIdsOf(answer);
      await quizMe.click();
      const first = page.locator('tutor-chat section.msg-tutor[data-kind]').nth(0);
      await first.waitFor();
      expect(await first.getAttribute('data-kind')).toBe('choice');
      expect(await first.locator('.badge').first().textContent()).toBe('小测验');
      // The question is about a passage the conversation cited, quoted with a blank.
      const chunkId = (await first.getAttribute('data-chunk-id')) ?? '';
      expect(met).toContain(chunkId);
      const sentence = (await first.locator('.quiz-sentence').textContent()) ?? '';
      expect(sentence).toMatch(BLANK);
      expect(await first.locator('.quiz-sentence mark.blank').count()).toBeGreaterThan(0);
      const options = await first.locator('button.option').allTextContents();
      expect(options.length).toBeGreaterThanOrEqual(2);
      // The learner reads the article: the right option is the one that makes the sentence the article's.
      const source = (await passage(chunkId)).text.replace(/\*\*/g, '');
      const right = options.filter((option) => source.includes(sentence.replace(BLANK, option)));
      expect(right, `${sentence} / ${options.join(', ')}`).toHaveLength(1);
      // Keyboard: the first option has focus as soon as the question shows.
      expect(await page.evaluate(() => document.querySelector('tutor-chat')?.shadowRoot?.activeElement?.className)).toBe('followup option');
      await first.getByRole('button', { name: right[0] as string, exact: true }).click();

      await first.locator('.quiz-result').waitFor();
      expect(await first.getAttribute('data-verdict')).toBe('right');
      expect(await first.locator('.quiz-result .badge').textContent()).toBe('答对了！');
      expect(await first.locator('button.option[data-correct]').textContent()).toBe(right[0]);
      expect(await first.locator('.option:disabled').count()).toBe(options.length);
      const chip = first.locator('.quiz-result button.chip');
      expect(await chip.count()).toBeGreaterThan(0);
      expect(await chip.first().getAttribute('data-chunk-id')).toBe(chunkId);
      await chip.first().click();
      const card = page.locator('tutor-chat .source-card');
      await card.waitFor({ state: 'visible' });
      await expect.poll(() => card.getAttribute('data-context')).toBe('loaded');
      await page.keyboard.press('Escape');
      await card.waitFor({ state: 'hidden' });
      await scrollSettled(page);
      await saveScreenshot(page, 'modes-desktop-zh-quiz-right');

      // Another question: a fill-in this time; a wrong answer is marked wrong and the right term is shown.
      await first.getByRole('button', { name: '再来一题' }).click();
      const second = page.locator('tutor-chat section.msg-tutor[data-kind]').nth(1);
      await second.waitFor();
      expect(await second.getAttribute('data-kind')).toBe('fill');
      const blankSentence = (await second.locator('.quiz-sentence').textContent()) ?? '';
      const input = second.getByRole('textbox', { name: '你的答案' });
      await expect
        .poll(() => page.evaluate(() => document.querySelector('tutor-chat')?.shadowRoot?.activeElement?.className))
        .toBe('field');
      await page.keyboard.type('香蕉面包');
      await page.keyboard.press('Enter');
      await second.locator('.quiz-result').waitFor();
      expect(await second.getAttribute('data-verdict')).toBe('wrong');
      expect(await second.locator('.quiz-result .badge').textContent()).toBe('答错了');
      expect(await input.isDisabled()).toBe(true);
      const correctTerm = (await second.locator('.quiz-sentence mark.blank').first().textContent()) ?? '';
      expect(correctTerm).not.toMatch(BLANK);
      expect(await second.locator('.quiz-result .answer').textContent()).toContain(correctTerm);
      const secondSource = (await passage((await second.getAttribute('data-chunk-id')) ?? '')).text.replace(/\*\*/g, '');
      expect(secondSource).toContain(blankSentence.replace(BLANK, correctTerm));
      expect(await second.locator('.quiz-result button.chip').count()).toBeGreaterThan(0);
      await saveScreenshot(page, 'modes-desktop-zh-quiz-wrong');
    });
  });
});

describe('learning progress', () => {
  it('counts covered concepts after each answer, lists them, and asks about the next one', { timeout: 180_000 }, async () => {
    await withWatchedPage({ locale: 'en-US' }, async (page) => {
      await page.goto(`${tutor().baseUrl}/`);
      await openWidget(page);
      const progress = page.locator('tutor-chat .progress');
      // No conversation yet: no progress to show.
      expect(await progress.isVisible()).toBe(false);
      await askInWidget(page, 'What is fine-tuning?');
      await waitForAnswer(page, 0);
      await progress.waitFor({ state: 'visible' });
      await expect.poll(() => coveredCount(page)).toBeGreaterThan(0);
      const afterFirst = await coveredCount(page);
      const text = (await page.locator('tutor-chat .progress-toggle').textContent()) ?? '';
      const total = Number(/\/(\d+)/.exec(text)?.[1]);
      expect(text).toMatch(/^\d+\/\d+ concepts covered$/);
      expect(total).toBeGreaterThan(afterFirst);

      // The list of concepts opens from the count, covered ones marked.
      const toggle = page.locator('tutor-chat .progress-toggle');
      await toggle.click();
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      const concepts = page.locator('tutor-chat .concepts li');
      expect(await concepts.count()).toBe(total);
      expect(await page.locator('tutor-chat .concepts li[data-covered="true"]').count()).toBe(afterFirst);
      expect(await page.locator('tutor-chat .concepts li[data-covered="true"]').first().textContent()).toMatch(/^✓ /);
      await saveScreenshot(page, 'modes-desktop-en-progress');
      await toggle.click();
      expect(await page.locator('tutor-chat .concepts').isVisible()).toBe(false);

      // "Next" asks the question about the next uncovered concept; covering it raises the count.
      const next = page.locator('tutor-chat .progress .next');
      const nextLabel = (await next.textContent()) ?? '';
      expect(nextLabel).toMatch(/^Next: \S+/);
      const nextQuestion = (await next.getAttribute('title')) ?? '';
      expect(nextQuestion.length).toBeGreaterThan(5);
      await next.click();
      await waitForAnswer(page, 1);
      expect(await turnsOf(page).nth(1).locator('.msg-user').textContent()).toContain(nextQuestion);
      await expect.poll(() => coveredCount(page), { timeout: 10_000 }).toBeGreaterThan(afterFirst);
      const afterNext = await coveredCount(page);

      // Reload: the conversation and its progress come back.
      await page.reload();
      await openWidget(page);
      await expect.poll(() => turnsOf(page).count(), { timeout: 10_000 }).toBe(2);
      await progress.waitFor({ state: 'visible' });
      await expect.poll(() => coveredCount(page)).toBe(afterNext);

      // A new conversation starts with nothing covered: the bar goes away until the next answer.
      await page.locator('tutor-chat .new-conversation').click();
      expect(await progress.isVisible()).toBe(false);
    });
  });
});

describe('tutor modes on a phone and in dark mode', () => {
  for (const [locale, question, scheme] of [
    ['zh-CN', '调教是什么意思？', 'light'],
    ['en-US', 'What is the difference between fine-tuning and tuning?', 'light'],
    ['zh-CN', '微调需要多少数据？', 'dark'],
  ] as const) {
    const language = locale.slice(0, 2);
    it(`fits actions, progress and a quiz in 360 px (${language}, ${scheme})`, { timeout: 120_000 }, async () => {
      await withWatchedPage({ locale, mobile: true, colorScheme: scheme }, async (page) => {
        await page.goto(`${tutor().baseUrl}/`);
        await openWidget(page);
        await askInWidget(page, question);
        await waitForAnswer(page, 0);
        await page.locator('tutor-chat .progress').waitFor({ state: 'visible' });
        await page.locator('tutor-chat .quiz-me').click();
        await page.locator('tutor-chat .quiz .quiz-sentence').waitFor();
        await page.locator('tutor-chat .quiz button.option').first().click();
        await page.locator('tutor-chat .quiz-result').waitFor();
        const layout = await page.evaluate(() => {
          const root = document.querySelector('tutor-chat')?.shadowRoot;
          const box = (selector: string) => (root?.querySelector(selector) as HTMLElement | null)?.getBoundingClientRect();
          const log = root?.querySelector('.log') as HTMLElement;
          const overflowing = Array.from(root?.querySelectorAll<HTMLElement>('.actions button, .progress button, .quiz button') ?? [])
            .filter((element) => element.getBoundingClientRect().right > 360.5)
            .map((element) => element.textContent);
          return {
            logScrollWidth: log.scrollWidth,
            logClientWidth: log.clientWidth,
            overflowing,
            quizMe: box('.quiz-me'),
            progress: box('.progress'),
            scrollWidth: document.documentElement.scrollWidth,
          };
        });
        expect(layout.scrollWidth).toBeLessThanOrEqual(360);
        expect(layout.logScrollWidth).toBeLessThanOrEqual(layout.logClientWidth);
        expect(layout.overflowing).toEqual([]);
        expect(layout.quizMe?.right).toBeLessThanOrEqual(360);
        expect(layout.progress?.width).toBe(360);
        await saveScreenshot(page, `modes-mobile-${language}${scheme === 'dark' ? '-dark' : ''}-quiz`);
        // The answer with its actions row, scrolled into view.
        await page.locator('tutor-chat article.turn .actions').first().scrollIntoViewIfNeeded();
        await saveScreenshot(page, `modes-mobile-${language}${scheme === 'dark' ? '-dark' : ''}-actions`);
      });
    });
  }
});
