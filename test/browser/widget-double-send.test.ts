import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWidget, saveScreenshot, turnsOf, waitForAnswer, withWatchedPage } from '../support/browser.js';
import { createFakeOpenAIServer, type FakeOpenAIServer, scripted } from '../support/fake-openai-server.js';
import { useTestTutor } from '../support/start-test-tutor.js';

/**
 * A question sent twice by accident (Enter pressed twice quickly, or Enter and then a click on Send) is asked once:
 * one turn, one answer, not stopped; and a second question typed while the first is answered stays in the box. The
 * answers come from a fake model that takes its time (an offline answer is done before a second key press lands).
 */

let fake: FakeOpenAIServer;
beforeAll(async () => {
  fake = await createFakeOpenAIServer({ chunkDelayMs: 5 });
});
afterAll(async () => {
  await fake?.close();
});
const tutor = useTestTutor(() => ({
  env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.url, OPENAI_MODEL: 'fake-model', LLM_RETRY_DELAY_MS: '50' },
}));

/** A slow model answer: it starts after `delayMs` and streams in a few pieces. */
const slowAnswer = (text: string, delayMs = 1500) => scripted.text(text, { pieces: 4, initialDelayMs: delayMs, chunkDelayMs: 100 });

describe('a question sent twice by accident', () => {
  it('Enter twice quickly, or Enter and a click on Send, asks once and does not stop the answer', { timeout: 120_000 }, async () => {
    await withWatchedPage({ locale: 'en-US' }, async (page) => {
      await page.goto(`${tutor().baseUrl}/`);
      await openWidget(page);
      const input = page.locator('tutor-chat textarea.input');
      // The second action lands 120 ms after the first Enter by the page's clock: the click is made in the page, so a
      // busy machine delaying the test's round trips cannot move it past the widget's grace period.
      const clickSendSoon = () =>
        page
          .locator('tutor-chat button.send')
          .evaluate((button) => new Promise<void>((done) => setTimeout(() => done((button as HTMLButtonElement).click()), 120)));
      for (const [index, second] of [
        [
          0,
          async () => {
            await page.waitForTimeout(120);
            await input.press('Enter');
          },
        ],
        [1, clickSendSoon],
      ] as const) {
        fake.enqueue(slowAnswer('Fine-tuning continues training a pre-trained model on a small data set [1].'));
        const asked = fake.chatRequests.length;
        await input.fill(index === 0 ? 'What is fine-tuning?' : 'And what is tuning?');
        await input.press('Enter');
        await second();
        const answer = await waitForAnswer(page, index);
        expect(await turnsOf(page).count()).toBe(index + 1);
        expect(await answer.locator('.badge[data-kind="stopped"]').count()).toBe(0);
        expect(await answer.locator('.answer').textContent()).toContain('pre-trained model');
        expect(fake.chatRequests.length - asked).toBe(1);
        await page.waitForTimeout(300);
        expect(await turnsOf(page).count()).toBe(index + 1);
        await saveScreenshot(page, index === 0 ? 'double-send-enter-enter' : 'double-send-enter-click');
      }
    });
  });

  it('keeps a second question typed while the first is answered, and sends it next', { timeout: 120_000 }, async () => {
    await withWatchedPage({ locale: 'en-US' }, async (page) => {
      await page.goto(`${tutor().baseUrl}/`);
      await openWidget(page);
      const input = page.locator('tutor-chat textarea.input');
      fake.enqueue(slowAnswer('Fine-tuning continues training a pre-trained model [1].'));
      await input.fill('What is fine-tuning?');
      await input.press('Enter');
      await input.pressSequentially('And tuning?');
      // Enter while the first is answered sends nothing and keeps the text.
      await input.press('Enter');
      await waitForAnswer(page, 0);
      expect(await input.inputValue()).toBe('And tuning?');
      expect(await turnsOf(page).count()).toBe(1);
      await saveScreenshot(page, 'double-send-second-question-kept');
      fake.enqueue(slowAnswer('Tuning is broader [1].', 10));
      await input.press('Enter');
      await waitForAnswer(page, 1);
      expect(await turnsOf(page).nth(1).locator('.msg-user').textContent()).toContain('And tuning?');
      expect(await input.inputValue()).toBe('');
    });
  });
});
