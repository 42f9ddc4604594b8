import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerOf,
  askInWidget,
  launchBrowser,
  openWidget,
  saveScreenshot,
  startTcpRelay,
  type TcpRelay,
  turnsOf,
  waitForAnswer,
  watchPage,
} from '../support/browser.js';
import { createFakeOpenAIServer, type FakeOpenAIServer, scripted } from '../support/fake-openai-server.js';
import { useTestTutor } from '../support/start-test-tutor.js';

/**
 * The widget with a language model (a scripted fake OpenAI server on loopback) and through a network that can be
 * cut: answers stream in piece by piece, model text cannot run script, the fallback is labelled, a dropped
 * connection is shown and recovered from, and refusals (too long, rate limit) are explained with a way forward.
 */

let model: FakeOpenAIServer;
let relay: TcpRelay;

beforeAll(async () => {
  model = await createFakeOpenAIServer({ chunkDelayMs: 120 });
});
afterAll(async () => {
  await model?.close();
});

/** The tutor answers with the fake model; the relay in front of it is the network that can be cut. */
const tutor = useTestTutor(() => ({ env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: model.url, LLM_RETRY_DELAY_MS: '0' } }));

beforeAll(async () => {
  relay = await startTcpRelay(tutor().baseUrl);
});
afterAll(async () => {
  await relay?.close();
});

/** Records every distinct text of the streaming answer bubble until the answer is done. */
async function recordStreaming(page: Page): Promise<void> {
  await page.evaluate(() => {
    const root = document.querySelector('tutor-chat')?.shadowRoot;
    const states: Array<{ text: string; pendingChips: number; buttonChips: number }> = [];
    (window as unknown as { __streamStates: typeof states }).__streamStates = states;
    const observer = new MutationObserver(() => {
      const streaming = root?.querySelector('.answer.streaming');
      if (streaming === null || streaming === undefined) return;
      const text = streaming.textContent ?? '';
      if (states.at(-1)?.text === text) return;
      states.push({
        text,
        pendingChips: streaming.querySelectorAll('span.chip').length,
        buttonChips: streaming.querySelectorAll('button.chip').length,
      });
    });
    if (root) observer.observe(root, { subtree: true, childList: true, characterData: true });
  });
}

async function streamStates(page: Page): Promise<Array<{ text: string; pendingChips: number; buttonChips: number }>> {
  return page.evaluate(
    () => (window as unknown as { __streamStates: Array<{ text: string; pendingChips: number; buttonChips: number }> }).__streamStates,
  );
}

describe('tutor widget with a language model', () => {
  it('streams the model answer piece by piece and renders its Markdown safely', { timeout: 120_000 }, async () => {
    const browser = await launchBrowser({ locale: 'zh-CN' });
    try {
      const page = await browser.newPage();
      const watch = await watchPage(page);
      await page.goto(`${tutor().baseUrl}/`);
      await openWidget(page);
      await recordStreaming(page);
      model.enqueue(
        scripted.text([
          '**微调**是在预训练模型的基础上，',
          '针对特定任务进行进一步的训练 [1]。',
          '\n\n- 它会调整模型的参数',
          ' <img src=x onerror="window.__xssModel = 1; alert(1)">',
          '\n- [点这里](javascript:window.__xssModel=2) ![图](http://127.0.0.1:9/pixel.png)',
          '\n\n<script>window.__xssModel = 3</script>总结：微调更有针对性 [1]。',
        ]),
      );
      await askInWidget(page, '什么是微调？');
      const answer = await waitForAnswer(page, 0);

      // Streamed: the learner saw the answer grow through several partial states, chips not yet clickable.
      const states = await streamStates(page);
      const partial = states.filter((state) => state.text.length > 0);
      expect(partial.length).toBeGreaterThanOrEqual(3);
      for (let index = 1; index < partial.length; index += 1) {
        expect((partial[index] as { text: string }).text.length).toBeGreaterThan((partial[index - 1] as { text: string }).text.length);
      }
      expect(partial.some((state) => state.pendingChips > 0)).toBe(true);
      expect(partial.every((state) => state.buttonChips === 0)).toBe(true);

      expect(await answer.getAttribute('data-mode')).toBe('llm');
      expect(await answer.locator('.badge[data-kind="llm"]').textContent()).toBe('由模型根据文章撰写');
      const body = answer.locator('.answer');
      expect(await body.locator('strong').first().textContent()).toBe('微调');
      expect(await body.locator('li').count()).toBe(2);
      expect(await body.textContent()).toContain('<img src=x onerror=');
      expect(await body.locator('img, script').count()).toBe(0);
      expect(await body.locator('a[href^="javascript:"]').count()).toBe(0);
      expect(await body.locator('button.chip').count()).toBe(2);
      expect(await answer.locator('.followup').count()).toBeGreaterThan(0);

      await page.waitForTimeout(300);
      expect(await page.evaluate(() => (window as unknown as { __xssModel?: unknown }).__xssModel)).toBeUndefined();
      expect(watch.dialogs).toEqual([]);
      expect(watch.pageErrors).toEqual([]);
      await saveScreenshot(page, 'desktop-zh-llm-streamed');
    } finally {
      await browser.close();
    }
  });

  it('says so when the model was unavailable and the answer is quoted from the article instead', { timeout: 120_000 }, async () => {
    const browser = await launchBrowser({ locale: 'en-US' });
    try {
      const page = await browser.newPage();
      await page.goto(`${tutor().baseUrl}/`);
      await openWidget(page);
      await recordStreaming(page);
      // The first attempt streams some text, then the stream breaks; the retry fails too: the offline fallback answers.
      model.enqueue(scripted.streamCut(['Fine-tuning is ', 'a way to ']), scripted.httpError(500, 'upstream exploded'));
      await askInWidget(page, 'What is fine-tuning?');
      const answer = await waitForAnswer(page, 0);
      expect(await answer.getAttribute('data-mode')).toBe('offline-fallback');
      // The reason is said once: the server's notice is the badge, not repeated under the answer.
      expect(await answer.locator('.badge[data-kind="fallback"]').textContent()).toBe(
        'The language model is unavailable right now; this answer is quoted from the article.',
      );
      expect(await answer.locator('.notice').count()).toBe(0);
      // The broken attempt's text was taken back, not left in front of the fallback's answer.
      const states = await streamStates(page);
      expect(states.some((state) => state.text.includes('Fine-tuning is'))).toBe(true);
      expect(await answer.locator('.answer').textContent()).not.toContain('a way to');
      expect(await answer.locator('button.chip').count()).toBeGreaterThan(0);
      await saveScreenshot(page, 'desktop-en-fallback');
    } finally {
      await browser.close();
    }
  });
});

describe('tutor widget on an unreliable network', () => {
  it('tells the learner it is offline, reconnects by itself, and offers a retry for a lost answer', { timeout: 120_000 }, async () => {
    const browser = await launchBrowser({ locale: 'en-US' });
    try {
      const page = await browser.newPage();
      await page.goto(`${relay.url}/`);
      await openWidget(page);
      const status = page.locator('tutor-chat .status');

      model.enqueue(scripted.text('Fine-tuning adapts a pre-trained model to a task [1].'));
      await askInWidget(page, 'What is fine-tuning?');
      await waitForAnswer(page, 0);

      await relay.drop();
      await status.waitFor({ state: 'visible', timeout: 10_000 });
      expect(await status.textContent()).toBe('You are offline. Reconnecting…');
      // Sending while offline keeps the question and explains why nothing happened.
      await askInWidget(page, 'And what is tuning?');
      expect(await status.textContent()).toBe('You are offline. Send it again when the connection is back.');
      expect(await page.locator('tutor-chat .input').inputValue()).toBe('And what is tuning?');
      expect(await turnsOf(page).count()).toBe(1);
      await saveScreenshot(page, 'desktop-en-offline');

      await relay.restore();
      await expect.poll(() => status.textContent(), { timeout: 15_000 }).toBe('Back online.');
      await status.waitFor({ state: 'hidden', timeout: 5_000 });
      model.enqueue(scripted.text('Tuning covers any adjustment of model parameters [1].'));
      await page.locator('tutor-chat .input').press('Enter');
      await waitForAnswer(page, 1);

      // A drop in the middle of an answer: the server gives up on it; the widget says so and retries on request.
      model.enqueue(scripted.text(['Fine-tuning ', 'needs ', 'a ', 'pre-trained ', 'model ', 'first ', '[1].'], { chunkDelayMs: 700 }));
      await askInWidget(page, 'What does fine-tuning need first?');
      await expect.poll(() => answerOf(page, 2).locator('.answer').textContent(), { timeout: 10_000 }).toContain('Fine-tuning');
      await relay.drop();
      await status.waitFor({ state: 'visible', timeout: 10_000 });
      await page.waitForTimeout(500);
      await relay.restore();
      const error = answerOf(page, 2).locator('.error');
      await error.waitFor({ timeout: 20_000 });
      expect(await error.textContent()).toContain('The connection dropped before the answer was finished.');
      model.enqueue(scripted.text('A pre-trained model comes first [1].'));
      await error.locator('button.retry').click();
      const retried = await waitForAnswer(page, 2);
      expect(await retried.locator('.answer').textContent()).toContain('A pre-trained model comes first');
      expect(await turnsOf(page).count()).toBe(3);
    } finally {
      await browser.close();
    }
  });
});

describe('tutor widget refusals', () => {
  const strict = useTestTutor({ env: { MAX_MESSAGE_CHARS: '40', SOCKET_ASKS_PER_MINUTE: '3' } });

  it('explains a question that is too long and a rate limit in plain words, with a way forward', { timeout: 120_000 }, async () => {
    const browser = await launchBrowser({ locale: 'en-US' });
    try {
      const page = await browser.newPage();
      await page.goto(`${strict().baseUrl}/`);
      await openWidget(page);
      const longQuestion = 'What exactly is the difference between fine-tuning and tuning?';
      await askInWidget(page, longQuestion);
      const tooLong = answerOf(page, 0).locator('.error');
      await tooLong.waitFor();
      expect(await tooLong.textContent()).toContain(
        'That question is too long (at most 40 characters). Please shorten it and send it again.',
      );
      await tooLong.locator('button.retry', { hasText: 'Edit the question' }).click();
      expect(await page.locator('tutor-chat .input').inputValue()).toBe(longQuestion);
      expect(await turnsOf(page).count()).toBe(0);

      // Three asks per minute on this connection (the refused one above counted): the next ones are refused.
      await askInWidget(page, 'What is fine-tuning?');
      await waitForAnswer(page, 0);
      await askInWidget(page, 'What is tuning?');
      await waitForAnswer(page, 1);
      await askInWidget(page, 'What is a pre-trained model?');
      const limited = answerOf(page, 2).locator('.error');
      await limited.waitFor();
      expect(await limited.getAttribute('data-code')).toBe('RATE_LIMITED');
      expect(await limited.textContent()).toContain('You are asking a little too fast.');
      await saveScreenshot(page, 'desktop-en-rate-limited');
      // Retry asks again in place (still limited here): the turn is replaced, not duplicated.
      await limited.locator('button.retry').click();
      await answerOf(page, 2).locator('.error').waitFor();
      expect(await turnsOf(page).count()).toBe(3);
    } finally {
      await browser.close();
    }
  });
});
