import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { askInWidget, openWidget, saveScreenshot, waitForAnswer, withWatchedPage } from '../support/browser.js';
import { useTestTutor } from '../support/start-test-tutor.js';

/**
 * The planned offline answers as a learner reads them in the widget (real Chromium, real server): a contrast with both
 * sides and the article's summary, an example that starts with the example, a yes/no answer that says no first, one
 * chip per passage. Writes the screenshots `answers-{zh,en}-{desktop,phone}[-yes-no|-example].png` to test-artifacts/.
 */

/** The widget's server (the widget is built first when stale). */
const tutor = useTestTutor();

/** Asks and returns the rendered answer text and the chip numbers, in order. */
async function askAndRead(page: Page, question: string, index: number): Promise<{ text: string; chips: string[] }> {
  await askInWidget(page, question);
  const answer = await waitForAnswer(page, index);
  const text = (await answer.locator('.answer').textContent()) ?? '';
  const chips = await answer.locator('.answer button.chip').allTextContents();
  return { text, chips };
}

/** One chip per passage: no chip number twice in a row. */
function expectNoRepeatedChips(chips: readonly string[]): void {
  expect(chips.length).toBeGreaterThan(0);
  for (let index = 1; index < chips.length; index += 1) expect(chips[index]).not.toBe(chips[index - 1]);
}

describe('planned answers in the widget', () => {
  for (const [device, mobile] of [
    ['desktop', false],
    ['phone', true],
  ] as const) {
    it(`reads well in Chinese on a ${device}`, { timeout: 120_000 }, async () => {
      await withWatchedPage({ locale: 'zh-CN', mobile }, async (page) => {
        await page.goto(`${tutor().baseUrl}/`);
        await openWidget(page);
        const contrast = await askAndRead(page, '微调和调教有什么区别？', 0);
        expect(contrast.text).toContain('微调通常指的是在预训练模型的基础上');
        expect(contrast.text).toContain('调教这个词通常更广义');
        expect(contrast.text).toContain('使用调教');
        expectNoRepeatedChips(contrast.chips);
        await saveScreenshot(page, `answers-zh-${device}`);
        const yesNo = await askAndRead(page, '模型应用需要更新权重吗？', 1);
        // The verdict echoes the question's verb (需要…吗 → 不需要).
        expect(yesNo.text).toMatch(/^不需要/);
        expectNoRepeatedChips(yesNo.chips);
        await saveScreenshot(page, `answers-zh-${device}-yes-no`);
        // An everyday name of the article's term (学过头 for 过拟合) is answered, and the learner reads the term searched.
        const everyday = await askAndRead(page, '微调会不会学过头？', 2);
        expect(everyday.text).toContain('但也可能过拟合');
        const turn = page.locator('tutor-chat .log > article.turn').nth(2);
        expect(await turn.locator('.meta .searched').textContent()).toContain('微调会不会过拟合？');
        expect(await turn.locator('.corrected').count()).toBe(0);
        await saveScreenshot(page, `answers-zh-${device}-everyday-name`);
      });
    });

    it(`reads well in English on a ${device}`, { timeout: 120_000 }, async () => {
      await withWatchedPage({ locale: 'en-US', mobile }, async (page) => {
        await page.goto(`${tutor().baseUrl}/`);
        await openWidget(page);
        const contrast = await askAndRead(page, 'What is the difference between fine-tuning and tuning?', 0);
        expect(contrast.text).toMatch(/^The article contrasts fine-tuning \(微调\) and tuning \(调教\)/);
        expectNoRepeatedChips(contrast.chips);
        await saveScreenshot(page, `answers-en-${device}`);
        const example = await askAndRead(page, 'Can you give me an example?', 1);
        expect(example.text).toMatch(/example:\s*For example/);
        await saveScreenshot(page, `answers-en-${device}-example`);
      });
    });
  }
});
