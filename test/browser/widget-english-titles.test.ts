import { describe, expect, it } from 'vitest';
import { askInWidget, openWidget, saveScreenshot, waitForAnswer, withWatchedPage } from '../support/browser.js';
import { useTestTutor } from '../support/start-test-tutor.js';

/**
 * A learner holding the conversation in English sees English first: the "Next:" concept by its English gloss (the
 * Chinese term after it), and the source card titled with the English rendering's title, the Chinese original under
 * it; also in a widget whose own language is Chinese. A Chinese conversation keeps the Chinese names alone.
 */

/** The widget's server (the widget is built first when stale). */
const tutor = useTestTutor();

const ENGLISH_TITLES = [
  'Understanding the Difference Between Fine-tuning and Tuning of Large Models',
  'The Difference Between Applying a Model and Fine-tuning a Large Model',
];
const CHINESE = /[\u4e00-\u9fff]/;

describe('an English conversation names concepts and sources in English first', () => {
  it.each(['en-US', 'zh-CN'])('in a widget for %s', { timeout: 120_000 }, async (locale) => {
    await withWatchedPage({ locale }, async (page) => {
      await page.goto(`${tutor().baseUrl}/`);
      await openWidget(page);
      await askInWidget(page, 'What is fine-tuning?');
      const answer = await waitForAnswer(page, 0);

      const next = page.locator('tutor-chat .progress .next');
      await next.waitFor();
      const label = ((await next.textContent()) ?? '').replace(/^(Next: |下一个：)/, '');
      // "tuning (调教)": English before any Chinese.
      expect(label).toMatch(/^[A-Za-z][^\u4e00-\u9fff]*\([\u4e00-\u9fff]+\)$/);
      expect(await next.getAttribute('title')).not.toMatch(CHINESE);
      expect(await page.locator('tutor-chat .concepts li').first().textContent()).toMatch(/^(✓ )?[A-Za-z]/);

      const chip = answer.locator('button.chip').first();
      const chipTitle = (await chip.getAttribute('title')) ?? '';
      expect(ENGLISH_TITLES).toContain(chipTitle);
      await chip.click();
      const card = page.locator('tutor-chat .source-card');
      await card.waitFor({ state: 'visible' });
      expect(await card.locator('.source-title').textContent()).toBe(chipTitle);
      const original = card.locator('.source-original-title');
      expect(await original.isVisible()).toBe(true);
      expect(await original.textContent()).toMatch(CHINESE);
      await saveScreenshot(page, `english-titles-${locale}`);
    });
  });

  it('a Chinese conversation keeps the Chinese title and term alone', { timeout: 120_000 }, async () => {
    await withWatchedPage({ locale: 'zh-CN' }, async (page) => {
      await page.goto(`${tutor().baseUrl}/`);
      await openWidget(page);
      await askInWidget(page, '微调是什么？');
      const answer = await waitForAnswer(page, 0);
      const next = page.locator('tutor-chat .progress .next');
      await next.waitFor();
      expect(await next.textContent()).toMatch(/^下一个：[\u4e00-\u9fff]+$/);
      await answer.locator('button.chip').first().click();
      const card = page.locator('tutor-chat .source-card');
      await card.waitFor({ state: 'visible' });
      expect(await card.locator('.source-title').textContent()).toMatch(/^[^A-Za-z]+$/);
      expect(await card.locator('.source-original-title').isVisible()).toBe(false);
      await saveScreenshot(page, 'english-titles-chinese-conversation');
    });
  });
});
