import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { answerOf, askInWidget, openWidget, saveScreenshot, turnsOf, waitForAnswer, withWatchedPage } from '../support/browser.js';
import { useTestTutor } from '../support/start-test-tutor.js';

/**
 * The learner's experience on the demo page, in a real Chromium against the real server (offline answerer):
 * ask in Chinese and English, cited answers with chips, a chip scrolls the article to the highlighted passage,
 * follow-ups, reload restores the conversation, a new conversation forgets it. Writes the layout screenshots.
 */

/** The widget's server (the widget is built first when stale). */
const tutor = useTestTutor();

/** Whether the element is fully inside the viewport and not under the widget's open panel. */
async function visibleBesidePanel(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((target) => {
    const element = document.querySelector(target);
    if (element === null) return false;
    const rect = element.getBoundingClientRect();
    const panel = document.querySelector('tutor-chat')?.shadowRoot?.querySelector('.panel');
    const panelRect = panel instanceof HTMLElement && !panel.hidden ? panel.getBoundingClientRect() : undefined;
    const inViewport = rect.top >= 0 && rect.bottom <= window.innerHeight && rect.height > 0;
    return inViewport && (panelRect === undefined || rect.right <= panelRect.left);
  }, selector);
}

describe('tutor widget on the demo page', () => {
  it('answers in Chinese with citation chips; a chip opens the passage and highlights it in the article', {
    timeout: 120_000,
  }, async () => {
    await withWatchedPage({ locale: 'zh-CN' }, async (page) => {
      await page.goto(`${tutor().baseUrl}/`);
      // The demo page is the article itself, one anchor per passage.
      expect(await page.locator('article.article h1').first().textContent()).toBe('理解大模型的微调和调教的区别');
      expect(await page.locator('[id^="passage-"]').count()).toBeGreaterThan(5);

      await openWidget(page);
      const panel = page.locator('tutor-chat .panel');
      expect(await panel.locator('.title').textContent()).toBe('学习助手');
      await askInWidget(page, '微调和调教有什么区别？');
      const answer = await waitForAnswer(page, 0);

      expect(await answer.getAttribute('data-mode')).toBe('offline');
      expect(await answer.locator('.badge').first().textContent()).toBe('摘自文章原文');
      const chips = answer.locator('button.chip');
      expect(await chips.count()).toBeGreaterThan(0);
      expect(await chips.first().textContent()).toMatch(/^\d+$/);
      expect(await chips.first().getAttribute('aria-label')).toMatch(/^来源 \d+：理解大模型的微调和调教的区别$/);
      expect(await answer.locator('.answer').textContent()).toContain('微调');
      expect((await answer.locator('.followup').count()) > 0).toBe(true);
      expect(await answer.locator('.searched').textContent()).toMatch(/^检索：.+/);
      // Screen readers heard the answer through the live region.
      const spoken = await page.locator('tutor-chat .live').textContent();
      expect(spoken).toContain('微调');

      await saveScreenshot(page, 'desktop-zh');

      const chunkId = await chips.first().getAttribute('data-chunk-id');
      expect(chunkId).toMatch(/\S/);
      await chips.first().click();
      const card = page.locator('tutor-chat .source-card');
      await card.waitFor({ state: 'visible' });
      expect(await card.locator('.source-title').textContent()).toBe('理解大模型的微调和调教的区别');
      const firstRun = (await page.locator(`#passage-${chunkId}`).textContent()) ?? '';
      expect(firstRun.length).toBeGreaterThan(5);
      // The card highlights the sentences the answer used (citation spans), each a piece of the cited passage.
      const passage = (await (await page.request.get(new URL(`/api/passages/${chunkId}`, page.url()).href)).json()) as { text: string };
      await expect.poll(() => card.locator('mark').count()).toBeGreaterThan(0);
      // (A list item is shown with a bullet where the source text has its Markdown marker.)
      for (const marked of await card.locator('mark').allTextContents())
        expect(passage.text).toContain(marked.replace(/^\s*•\s*/, '').trim());
      // The passage's neighbouring text came from GET /api/passages/:chunkId.
      await expect.poll(() => card.getAttribute('data-context')).toBe('loaded');

      // The article scrolled to the passage and highlights it, clear of the open panel.
      await expect.poll(() => page.locator(`#passage-${chunkId}`).getAttribute('class')).toContain('is-cited');
      await expect.poll(() => visibleBesidePanel(page, `#passage-${chunkId}`), { timeout: 5000 }).toBe(true);
      await page.waitForTimeout(1500);
      await saveScreenshot(page, 'desktop-zh-citation');

      // Esc closes the card first and gives focus back to the chip.
      await page.keyboard.press('Escape');
      await card.waitFor({ state: 'hidden' });
      expect(await page.evaluate(() => document.querySelector('tutor-chat')?.shadowRoot?.activeElement?.className)).toBe('chip');
    });
  });

  it('asks a suggested follow-up, restores the conversation after a reload, and starts a new one', { timeout: 120_000 }, async () => {
    await withWatchedPage({ locale: 'zh-CN' }, async (page) => {
      await page.goto(`${tutor().baseUrl}/`);
      await openWidget(page);
      await askInWidget(page, '什么是微调？');
      const first = await waitForAnswer(page, 0);
      const followUp = first.locator('.followup').first();
      const followUpText = (await followUp.textContent()) ?? '';
      expect(followUpText.length).toBeGreaterThan(2);
      await followUp.click();
      const second = await waitForAnswer(page, 1);
      expect(await turnsOf(page).nth(1).locator('.msg-user').textContent()).toContain(followUpText);
      const secondAnswer = (await second.locator('.answer').textContent()) ?? '';
      expect(secondAnswer.length).toBeGreaterThan(10);

      await page.reload();
      await openWidget(page);
      await expect.poll(() => turnsOf(page).count(), { timeout: 10_000 }).toBe(2);
      expect(await turnsOf(page).nth(0).locator('.msg-user').textContent()).toContain('什么是微调？');
      expect(await turnsOf(page).nth(1).locator('.msg-user').textContent()).toContain(followUpText);
      expect(await answerOf(page, 1).locator('.answer').textContent()).toBe(secondAnswer);
      // Restored chips still open their passage.
      const restoredChip = page.locator('tutor-chat button.chip').first();
      if ((await restoredChip.count()) > 0) {
        await restoredChip.click();
        await page.locator('tutor-chat .source-card').waitFor({ state: 'visible' });
        await page.keyboard.press('Escape');
      }

      await page.locator('tutor-chat .new-conversation').click();
      expect(await turnsOf(page).count()).toBe(0);
      await page.reload();
      await openWidget(page);
      await page.waitForTimeout(1000);
      expect(await turnsOf(page).count()).toBe(0);
      expect(await page.locator('tutor-chat .greeting').textContent()).toContain('你好');
    });
  });

  it('answers in English, labels a question the article does not cover, and lays out on a phone', { timeout: 120_000 }, async () => {
    await withWatchedPage({ locale: 'en-US' }, async (page) => {
      await page.goto(`${tutor().baseUrl}/`);
      await openWidget(page);
      expect(await page.locator('tutor-chat .title').textContent()).toBe('Study helper');
      await askInWidget(page, 'What is the difference between fine-tuning and tuning?');
      const answer = await waitForAnswer(page, 0);
      expect(await answer.locator('.badge').first().textContent()).toBe('Quoted from the article');
      expect(await answer.locator('button.chip').count()).toBeGreaterThan(0);
      expect(await answer.locator('.searched').textContent()).toMatch(/^Searched for: .+/);
      await saveScreenshot(page, 'desktop-en');

      // In a fresh conversation (so it is not read as a follow-up of the first question).
      await page.locator('tutor-chat .new-conversation').click();
      await askInWidget(page, 'What will the weather be like in Paris tomorrow?');
      const uncovered = await waitForAnswer(page, 0);
      expect(await uncovered.getAttribute('data-grounded')).toBe('false');
      expect(await uncovered.locator('.badge[data-kind="not-covered"]').textContent()).toBe('The article does not cover this');
      expect(await uncovered.locator('button.chip').count()).toBe(0);

      // Thanks is small talk: a reply with no badge (neither "not covered" nor "quoted"), no chips, and suggestions.
      await askInWidget(page, 'thanks!');
      const thanked = await waitForAnswer(page, 1);
      expect(await thanked.locator('.badge').count()).toBe(0);
      expect(await thanked.locator('button.chip').count()).toBe(0);
    });

    for (const [locale, name, question] of [
      ['en-US', 'mobile-en', 'What is fine-tuning?'],
      ['zh-CN', 'mobile-zh', '用烹饪的例子解释一下微调'],
    ] as const) {
      await withWatchedPage({ locale, mobile: true }, async (page) => {
        await page.goto(`${tutor().baseUrl}/`);
        await saveScreenshot(page, `${name}-page`);
        await openWidget(page);
        await askInWidget(page, question);
        await waitForAnswer(page, 0);
        // Full-screen panel on a 360px phone: nothing sticks out sideways, the composer is on screen.
        const layout = await page.evaluate(() => {
          const root = document.querySelector('tutor-chat')?.shadowRoot;
          const rect = (selector: string) => (root?.querySelector(selector) as HTMLElement | null)?.getBoundingClientRect();
          return {
            panel: rect('.panel'),
            input: rect('.input'),
            send: rect('.send'),
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
            innerHeight: window.innerHeight,
          };
        });
        expect(layout.innerWidth).toBe(360);
        expect(layout.scrollWidth).toBeLessThanOrEqual(360);
        expect(layout.panel?.width).toBe(360);
        expect(layout.send?.right).toBeLessThanOrEqual(360);
        expect(layout.input?.bottom).toBeLessThanOrEqual(layout.innerHeight);
        await saveScreenshot(page, name);

        // With the on-screen keyboard open only ~400px of height remain: the panel follows the visual viewport.
        await page.setViewportSize({ width: 360, height: 400 });
        await page.locator('tutor-chat .input').focus();
        await page.waitForTimeout(400);
        const squeezed = await page.evaluate(() => {
          const root = document.querySelector('tutor-chat')?.shadowRoot;
          const input = (root?.querySelector('.input') as HTMLElement | null)!.getBoundingClientRect();
          const log = (root?.querySelector('.log') as HTMLElement | null)!.getBoundingClientRect();
          return { inputBottom: input.bottom, logHeight: log.height, height: window.innerHeight };
        });
        expect(squeezed.inputBottom).toBeLessThanOrEqual(squeezed.height);
        expect(squeezed.logHeight).toBeGreaterThan(120);
        await saveScreenshot(page, `${name}-keyboard`);
      });
    }
  });
});

describe('tutor widget themes', () => {
  it('follows a dark colour scheme on desktop and phone', { timeout: 120_000 }, async () => {
    for (const [mobile, name] of [
      [false, 'desktop-zh-dark'],
      [true, 'mobile-zh-dark'],
    ] as const) {
      await withWatchedPage({ locale: 'zh-CN', colorScheme: 'dark', mobile }, async (page) => {
        await page.goto(`${tutor().baseUrl}/`);
        await openWidget(page);
        await askInWidget(page, '调教是什么意思？');
        await waitForAnswer(page, 0);
        const colours = await page.evaluate(() => {
          const root = document.querySelector('tutor-chat')?.shadowRoot;
          const luminance = (colour: string): number => {
            const [r, g, b] = (colour.match(/\d+(\.\d+)?/g) ?? ['0', '0', '0']).map(Number) as [number, number, number];
            return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
          };
          return {
            panel: luminance(getComputedStyle(root?.querySelector('.panel') as Element).backgroundColor),
            text: luminance(getComputedStyle(root?.querySelector('.answer') as Element).color),
            page: luminance(getComputedStyle(document.body).backgroundColor),
          };
        });
        expect(colours.panel).toBeLessThan(0.2);
        expect(colours.text).toBeGreaterThan(0.7);
        expect(colours.page).toBeLessThan(0.2);
        await saveScreenshot(page, name);
      });
    }
  });
});
