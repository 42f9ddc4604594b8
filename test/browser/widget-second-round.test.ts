import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { askInWidget, openWidget, saveScreenshot, turnsOf, waitForAnswer, withWatchedPage } from '../support/browser.js';
import { createFakeOpenAIServer, scripted } from '../support/fake-openai-server.js';
import { ask, connectTutorSocket } from '../support/socket-client.js';
import { startTestTutor, useTestTutor } from '../support/start-test-tutor.js';

/**
 * The second round of the widget (issue 14), one page per setting doing several checks: touch hit areas, the source
 * card as a bottom sheet (phone) or beside the answer (desktop), starters, new chat with undo, recent chats, lang
 * marks, copy, times, the unread badge, the expandable panel and a restore of 22 turns.
 */

// The transcript kept for display is the server's business; this tutor keeps 100 turns so a restore of 22 is visible.
const tutor = useTestTutor({ env: { HISTORY_TURNS: '100', CONVERSATION_ASKS_PER_MINUTE: '100', SOCKET_ASKS_PER_MINUTE: '100' } });

/** Every visible control of the panel whose hit area (probed with elementFromPoint) is under 44x44 px. */
async function smallHitAreas(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const root = document.querySelector('tutor-chat')?.shadowRoot as ShadowRoot;
    const controls = Array.from(
      root.querySelectorAll<HTMLElement>('.panel button, .panel a[href], .panel textarea, .panel input, .panel select'),
    );
    const small: string[] = [];
    for (const control of controls) {
      // Measured where the learner would tap it: scrolled into view inside the log, not clipped by its edge.
      if (control.closest('.log')) control.scrollIntoView({ block: 'center' });
      const box = control.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || box.bottom < 0 || box.top > innerHeight) continue;
      const hits = (x: number, y: number): boolean => {
        const found = root.elementFromPoint(x, y);
        return found !== null && (found === control || control.contains(found));
      };
      const cx = box.left + box.width / 2;
      const cy = box.top + box.height / 2;
      const extent = (dx: number, dy: number): number => {
        let step = 0;
        while (step < 40 && hits(cx + dx * (step + 1), cy + dy * (step + 1))) step += 1;
        return step;
      };
      if (!hits(cx, cy)) continue; // covered by another layer (e.g. under the bottom sheet)
      const width = extent(-1, 0) + extent(1, 0) + 1;
      const height = extent(0, -1) + extent(0, 1) + 1;
      if (width < 44 || height < 44) small.push(`${control.className || control.tagName} ${width}x${height}`);
    }
    return small;
  });
}

describe('the widget on a phone (360x740, touch)', () => {
  it('has 44 px hit areas, labelled header buttons, starters, a bottom sheet, undo of new chat and recent chats', {
    timeout: 180_000,
  }, async () => {
    await withWatchedPage({ locale: 'zh-CN', mobile: true }, async (page) => {
      await page.goto(`${tutor().baseUrl}/`);
      await openWidget(page);
      expect(await page.evaluate(() => matchMedia('(pointer: coarse)').matches)).toBe(true);
      // Starters in an empty chat, in the learner's language.
      const starters = page.locator('tutor-chat .starters button.starter');
      await starters.first().waitFor();
      expect(await starters.count()).toBe(3);
      expect(await starters.first().textContent()).toMatch(/[\u4e00-\u9fff]/);
      // Header buttons carry visible labels.
      for (const name of ['quiz-me', 'history', 'new-conversation', 'close']) {
        const label = page.locator(`tutor-chat .header-button.${name} .label`);
        expect((await label.boundingBox())?.width ?? 0).toBeGreaterThan(10);
      }
      await saveScreenshot(page, 'phone-zh-light-starters');
      const firstQuestion = (await starters.first().textContent()) ?? '';
      await starters.first().click();
      const answer = await waitForAnswer(page, 0);
      expect(await answer.locator('time.time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(await answer.locator('time.time').textContent()).toBe('现在');
      expect(await smallHitAreas(page)).toEqual([]);

      // The source card is a bottom sheet under the answers, which stay readable above it.
      await answer.locator('button.chip').first().click();
      const card = page.locator('tutor-chat .source-card');
      await card.waitFor({ state: 'visible' });
      const cardBox = (await card.boundingBox())!;
      const logBox = (await page.locator('tutor-chat .log').boundingBox())!;
      expect(logBox.y + logBox.height).toBeLessThanOrEqual(cardBox.y + 1);
      expect(logBox.height).toBeGreaterThan(150);
      expect(cardBox.y + cardBox.height).toBeLessThanOrEqual(740);
      await saveScreenshot(page, 'phone-zh-light-source-sheet');
      await page.keyboard.press('Escape');

      // New chat: one click empties the log and offers Undo, which brings the conversation back.
      await page.locator('tutor-chat .new-conversation').click();
      expect(await turnsOf(page).count()).toBe(0);
      const undo = page.locator('tutor-chat .status .status-action');
      await saveScreenshot(page, 'phone-zh-light-undo');
      await undo.click();
      expect(await turnsOf(page).count()).toBe(1);

      // A second conversation; the first is in the recent chats, titled by its first question, and comes back.
      await page.locator('tutor-chat .new-conversation').click();
      await askInWidget(page, '调教是什么？');
      await waitForAnswer(page, 0);
      await page.locator('tutor-chat .header-button.history').click();
      const item = page.locator('tutor-chat .history-item');
      await item.first().waitFor();
      expect(await item.first().locator('.history-title').textContent()).toBe(firstQuestion);
      await saveScreenshot(page, 'phone-zh-light-history');
      await item.first().click();
      await expect.poll(() => turnsOf(page).nth(0).locator('.msg-user').textContent()).toContain(firstQuestion);
      expect(await turnsOf(page).count()).toBe(1);
    });
  });
});

describe('the widget on a phone in English', () => {
  it('offers English starters, answers with 44 px targets and opens the source as a bottom sheet', { timeout: 180_000 }, async () => {
    await withWatchedPage({ locale: 'en-US', mobile: true }, async (page) => {
      await page.goto(`${tutor().baseUrl}/`);
      await openWidget(page);
      const starters = page.locator('tutor-chat .starters button.starter');
      await starters.first().waitFor();
      expect(await starters.first().textContent()).toMatch(/^[A-Za-z]/);
      await saveScreenshot(page, 'phone-en-light-starters');
      await starters.first().click();
      const answer = await waitForAnswer(page, 0);
      expect(await answer.locator('time.time').textContent()).toBe('now');
      expect(await smallHitAreas(page)).toEqual([]);
      await answer.locator('button.chip').first().click();
      const card = page.locator('tutor-chat .source-card');
      await card.waitFor({ state: 'visible' });
      expect(await card.locator('mark').count()).toBeGreaterThan(0);
      await saveScreenshot(page, 'phone-en-light-source-sheet');
    });
  });
});

describe('the widget on a desktop (1280x800)', () => {
  it('shows the card beside the answer, marks languages, copies, counts unread answers and expands', { timeout: 180_000 }, async () => {
    await withWatchedPage({ locale: 'en-US', colorScheme: 'dark' }, async (page) => {
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: tutor().baseUrl });
      await page.goto(`${tutor().baseUrl}/`);
      await openWidget(page);
      await askInWidget(page, 'What is the difference between fine-tuning and tuning?');
      const english = await waitForAnswer(page, 0);
      // An English answer in an English widget: no lang of its own, its Chinese quotes marked lang="zh".
      expect(await english.locator('.answer').getAttribute('lang')).toBeNull();
      expect(await english.locator('.answer [lang="zh"]').count()).toBeGreaterThan(0);
      expect(await english.locator('.answer [lang="zh"]').first().textContent()).toMatch(/^[\u3400-\u9fff]/);

      // Copy: the answer with its sources.
      await english.locator('button.copy').click();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      expect(copied).toContain('Sources:\n[1] ');

      // The card sits beside the answers: nothing of the log is under it.
      await english.locator('button.chip').first().click();
      const card = page.locator('tutor-chat .source-card');
      await card.waitFor({ state: 'visible' });
      await expect.poll(async () => (await page.locator('tutor-chat .panel').getAttribute('data-layout')) ?? '').toBe('wide');
      const cardBox = (await card.boundingBox())!;
      const logBox = (await page.locator('tutor-chat .log').boundingBox())!;
      expect(logBox.x + logBox.width).toBeLessThanOrEqual(cardBox.x + 1);
      expect(logBox.width).toBeGreaterThan(380);
      await saveScreenshot(page, 'desktop-en-dark-source-beside');
      await page.keyboard.press('Escape');

      // A Chinese answer in the English widget carries lang="zh".
      await askInWidget(page, '微调和调教有什么区别？');
      const chinese = await waitForAnswer(page, 1);
      expect(await chinese.locator('.answer').getAttribute('lang')).toBe('zh');

      // A pinyin typo: the tutor searched for the corpus term and says so.
      await askInWidget(page, '微掉是什么？');
      const corrected = await waitForAnswer(page, 2);
      const didYouMean = corrected.locator('.corrected');
      await didYouMean.waitFor();
      expect(await didYouMean.textContent()).toMatch(/^Did you mean: .*微调.*\(微掉 → 微调\)/);
      await saveScreenshot(page, 'desktop-en-dark-did-you-mean');

      // The "Next:" line is shown whole (it wraps instead of being cut off).
      const next = page.locator('tutor-chat .progress .next');
      if (await next.isVisible()) {
        expect(await next.evaluate((element) => element.scrollWidth <= element.clientWidth + 1)).toBe(true);
      }

      // Expand: a wider panel for reading.
      const before = (await page.locator('tutor-chat .panel').boundingBox())!.width;
      await page.locator('tutor-chat .header-button.expand').click();
      await expect.poll(async () => (await page.locator('tutor-chat .panel').boundingBox())!.width).toBeGreaterThan(before + 200);
      await saveScreenshot(page, 'desktop-en-dark-expanded');

      // Unread: an answer that arrives while the panel is closed shows on the launcher.
      await page.keyboard.press('Escape');
      await page.evaluate(() =>
        (document.querySelector('tutor-chat') as unknown as { ask(question: string): void }).ask('What is tuning?'),
      );
      const badge = page.locator('tutor-chat .launcher .unread');
      await badge.waitFor({ state: 'visible' });
      expect(await badge.textContent()).toBe('1');
      expect(await page.locator('tutor-chat .launcher').getAttribute('aria-label')).toContain('1 new answer');
      await saveScreenshot(page, 'desktop-en-dark-unread');
      await openWidget(page);
      expect(await badge.isVisible()).toBe(false);
    });
  });

  it('restores all 22 turns of a long conversation after a reload, with progress counted over all of them', {
    timeout: 180_000,
  }, async () => {
    const socket = await connectTutorSocket(tutor().baseUrl);
    const questions = ['微调是什么？', '调教是什么？', '预训练模型是什么？', '学习率是什么？', '过拟合是什么？', '超参数是什么？'];
    let conversationId: string | undefined;
    try {
      for (let turn = 0; turn < 22; turn += 1) {
        const done = (
          await ask(socket, { message: questions[turn % questions.length] as string, ...(conversationId ? { conversationId } : {}) })
        ).done!;
        conversationId = done.conversationId;
      }
    } finally {
      socket.close();
    }
    await withWatchedPage({ locale: 'zh-CN', colorScheme: 'dark' }, async (page) => {
      await page.addInitScript(
        ([key, id]) => localStorage.setItem(key as string, id as string),
        [`tutor-chat:conversation:${tutor().baseUrl}#floating`, conversationId as string],
      );
      await page.goto(`${tutor().baseUrl}/`);
      await openWidget(page);
      await expect.poll(() => turnsOf(page).count(), { timeout: 20_000 }).toBe(22);
      const progress = page.locator('tutor-chat .progress');
      await progress.waitFor({ state: 'visible' });
      const covered = Number(await progress.getAttribute('data-covered'));
      const response = await fetch(`${tutor().baseUrl}/api/conversations/${conversationId}/progress?language=zh`);
      expect(covered).toBe(((await response.json()) as { covered: number }).covered);
      await saveScreenshot(page, 'desktop-zh-dark-restored-22');
    });
  });
});

describe('stopping a streaming answer (LLM mode, fake provider)', () => {
  it('keeps what was written, marks it stopped, and the next question is answered', { timeout: 180_000 }, async () => {
    const fake = await createFakeOpenAIServer({ chunkDelayMs: 5 });
    const llmTutor = await startTestTutor({
      env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.url, OPENAI_MODEL: 'fake-model', LLM_RETRY_DELAY_MS: '50' },
    });
    try {
      const long = Array.from({ length: 40 }, (_, index) => `微调是第${index + 1}句话，它在预训练模型上继续训练 [1]。`).join('');
      fake.enqueue(scripted.text(long, { pieces: 40, chunkDelayMs: 250 }));
      await withWatchedPage({ locale: 'zh-CN' }, async (page) => {
        await page.goto(`${llmTutor.baseUrl}/`);
        await openWidget(page);
        await askInWidget(page, '微调是什么？');
        const answer = turnsOf(page).nth(0).locator('.msg-tutor');
        await expect.poll(() => answer.locator('.answer').textContent(), { timeout: 20_000 }).toContain('第2句');
        const stop = page.locator('tutor-chat button.send.stop');
        expect(await stop.getAttribute('aria-label')).toBe('停止');
        await stop.click();
        await answer.locator('.badge[data-kind="stopped"]').waitFor();
        const kept = (await answer.locator('.answer').textContent()) ?? '';
        expect(kept).toContain('第1句');
        expect(kept).not.toContain('第40句');
        expect(await page.locator('tutor-chat button.send').getAttribute('aria-label')).toBe('发送');
        await saveScreenshot(page, 'desktop-zh-light-stopped');
        // Nothing more arrives for the stopped answer, and the next question is answered normally.
        fake.enqueue(scripted.text('调教更广义，包括微调 [1]。', { pieces: 3 }));
        await askInWidget(page, '调教是什么？');
        await waitForAnswer(page, 1);
        expect(await answer.locator('.answer').textContent()).toBe(kept);
        expect(await answer.getAttribute('data-mode')).toBeNull();
      });
    } finally {
      await llmTutor.close();
      await fake.close();
    }
  });
});
