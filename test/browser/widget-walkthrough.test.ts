import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { askInWidget, openWidget, saveScreenshot, serveHostPages, waitForAnswer, withWatchedPage } from '../support/browser.js';
import { useTestTutor } from '../support/start-test-tutor.js';

/**
 * Found by walking through the widget as learners and a site owner: a tapped chip stays in sight above the bottom
 * sheet it opened (phone, and a narrow inline widget, where the sheet used to leave the log a sliver); the card opens
 * at its top when the cited sentence is already in view (the title and "In English" heading were scrolled away); a
 * Chinese widget calls an English rendering 英文译文, not 中文译文; a site owner's longer title wraps instead of being cut.
 * Screenshots `walkthrough-*.png` in test-artifacts/.
 */

const tutor = useTestTutor();

/** Where `element` is against the visible part of the log (px; negative: hidden above/below). */
async function roomAround(page: Page, element: Locator, host = 'tutor-chat'): Promise<{ above: number; below: number; log: number }> {
  const log = (await page.locator(`${host} .log`).boundingBox()) ?? { y: 0, height: 0 };
  const box = (await element.boundingBox()) ?? { y: 0, height: 0 };
  return { above: box.y - log.y, below: log.y + log.height - (box.y + box.height), log: log.height };
}

/** Whether the card's title is inside the card body's visible part (not scrolled away). */
async function cardTitleInView(page: Page, host = 'tutor-chat'): Promise<boolean> {
  const body = (await page.locator(`${host} .source-body`).boundingBox()) ?? { y: 0 };
  const title = (await page.locator(`${host} .source-title`).boundingBox()) ?? { y: -1 };
  return title.y >= body.y - 1;
}

describe('walking through the widget as learners', () => {
  it('keeps the tapped chip above the bottom sheet and names an English rendering 英文译文 (phone, zh)', { timeout: 150_000 }, async () => {
    await withWatchedPage({ locale: 'zh-CN', mobile: true, viewport: { width: 390, height: 844 } }, async (page) => {
      await page.goto(`${tutor().baseUrl}/`);
      await openWidget(page);
      await askInWidget(page, '什么是微调？');
      await waitForAnswer(page, 0);
      await askInWidget(page, '那调教呢？');
      const second = await waitForAnswer(page, 1);
      const chip = second.locator('button.chip').first();
      await chip.click();
      const card = page.locator('tutor-chat .source-card');
      await card.waitFor({ state: 'visible' });
      await page.locator('tutor-chat .source-card[data-context="loaded"]').waitFor();
      await page.waitForTimeout(300);
      // The chip (the end of the sentence it cites) is in the log's visible part, above the sheet.
      const room = await roomAround(page, chip);
      expect(room.below).toBeGreaterThanOrEqual(0);
      expect(room.above).toBeGreaterThanOrEqual(0);
      expect(await cardTitleInView(page)).toBe(true);
      await saveScreenshot(page, 'walkthrough-phone-zh-source-sheet');
      await page.locator('tutor-chat .source-close').click();

      // "English" under the Chinese answer; its chip's card shows the English rendering under an English heading.
      await second.locator('button.action[data-action="language"]').click();
      const english = await waitForAnswer(page, 2);
      await english.locator('button.chip').first().click();
      const rendering = card.locator('.source-rendering');
      await rendering.waitFor({ state: 'visible' });
      expect(await rendering.locator('blockquote').getAttribute('lang')).toBe('en');
      expect(await rendering.locator('.source-subhead').textContent()).toBe('英文译文');
      await page.locator('tutor-chat .source-card[data-context="loaded"]').waitFor();
      // The first cited sentence is in view in the card (scrolled to only when it starts below the fold).
      const body = (await page.locator('tutor-chat .source-body').boundingBox()) ?? { y: 0, height: 0 };
      const mark = (await rendering.locator('mark').first().boundingBox()) ?? { y: -1 };
      expect(mark.y).toBeGreaterThanOrEqual(body.y - 1);
      expect(mark.y).toBeLessThan(body.y + body.height - 24);
      expect((await roomAround(page, english.locator('button.chip').first())).below).toBeGreaterThanOrEqual(0);
      await page.waitForTimeout(300);
      await saveScreenshot(page, 'walkthrough-phone-zh-english-rendering');
    });
  });

  it('opens the card at its top on desktop when the cited sentence is already in view (en)', { timeout: 120_000 }, async () => {
    await withWatchedPage({ locale: 'en-US' }, async (page) => {
      await page.goto(`${tutor().baseUrl}/`);
      await openWidget(page);
      await askInWidget(page, 'What is tuning?');
      const answer = await waitForAnswer(page, 0);
      await answer.locator('button.chip').first().click();
      await page.locator('tutor-chat .source-card[data-context="loaded"]').waitFor();
      expect(await page.locator('tutor-chat .source-body').evaluate((body) => body.scrollTop)).toBe(0);
      expect(await cardTitleInView(page)).toBe(true);
      await page.waitForTimeout(300);
      await saveScreenshot(page, 'walkthrough-desktop-en-source');
    });
  });

  it("fits a narrow inline widget: the owner's title wraps whole, the log stays readable above the sheet (dark)", {
    timeout: 120_000,
  }, async () => {
    const pages: Record<string, string> = {};
    const host = await serveHostPages(pages);
    pages['/'] = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Course</title></head>
<body style="margin:0;background:#111;color:#eee"><div style="width:320px;margin:20px"><p>Sidebar</p>
<tutor-chat server="${tutor().baseUrl}" chat-title="Ask about the article" language="zh" style="height:600px"></tutor-chat></div>
<script src="${tutor().baseUrl}/widget.js" defer></script></body></html>`;
    try {
      await withWatchedPage({ locale: 'en-US', colorScheme: 'dark', viewport: { width: 1000, height: 700 } }, async (page) => {
        await page.goto(`${host.origin}/`);
        const title = page.locator('tutor-chat .title');
        await title.waitFor();
        const fits = await title.evaluate((element) => ({
          wide: element.scrollWidth <= element.clientWidth + 1,
          tall: element.scrollHeight <= element.clientHeight + 1,
        }));
        expect(fits).toEqual({ wide: true, tall: true });
        await askInWidget(page, '微调和调教有什么区别？');
        const answer = await waitForAnswer(page, 0);
        const chip = answer.locator('button.chip').first();
        await chip.click();
        await page.locator('tutor-chat .source-card[data-context="loaded"]').waitFor();
        await page.waitForTimeout(300);
        const room = await roomAround(page, chip);
        expect(room.log).toBeGreaterThanOrEqual(180);
        expect(room.below).toBeGreaterThanOrEqual(0);
        expect(room.above).toBeGreaterThanOrEqual(0);
        // The composer is still inside the widget.
        const widget = (await page.locator('tutor-chat .panel').boundingBox()) ?? { y: 0, height: 0 };
        const composer = (await page.locator('tutor-chat .composer').boundingBox()) ?? { y: 0, height: 1e4 };
        expect(composer.y + composer.height).toBeLessThanOrEqual(widget.y + widget.height + 1);
        await saveScreenshot(page, 'walkthrough-inline-narrow-dark-source');
      });
    } finally {
      await host.close();
    }
  });
});
