import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ChatResponse } from '../../src/shared/chat-protocol.js';
import { askInWidget, openWidget, saveScreenshot, waitForAnswer, withWatchedPage } from '../support/browser.js';
import { useTestTutor } from '../support/start-test-tutor.js';

/**
 * What a learner reads around an answer (found by walking through the widget as one): an English learner's source card
 * shows the passage's English rendering with the cited sentences marked, above the Chinese original; the article marks
 * exactly the sentences the answer used, as the card does, not the whole passage; the header's title and the progress
 * count are whole; a pressed Expand button stays visible. Screenshots `reading-*.png` in test-artifacts/.
 */

const tutor = useTestTutor();

/** The same answer the widget got (the offline answerer is deterministic), to know its citations. */
async function answerOf(page: Page, question: string): Promise<ChatResponse> {
  const response = await page.request.post(new URL('/api/chat', page.url()).href, { data: { message: question } });
  return (await response.json()) as ChatResponse;
}

/** Text the article marks strongly: whole runs with `is-cited` and the custom-highlight ranges cutting through runs. */
async function stronglyMarkedText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const runs = Array.from(document.querySelectorAll('.passage.is-cited')).map((run) => run.textContent ?? '');
    const highlight = CSS.highlights.get('tutor-cited');
    const ranges = highlight === undefined ? [] : Array.from(highlight as unknown as Iterable<Range>).map((range) => range.toString());
    return [...runs, ...ranges].join('');
  });
}

/** Whether an element's text is cut (ellipsis) or wraps over more than one line. */
async function textIsWhole(page: Page, selector: string): Promise<{ cut: boolean; lines: number }> {
  return page.locator(selector).evaluate((element) => {
    const style = getComputedStyle(element);
    const lineHeight = Number.parseFloat(style.lineHeight) || Number.parseFloat(style.fontSize) * 1.3;
    const range = document.createRange();
    range.selectNodeContents(element);
    const height = range.getBoundingClientRect().height;
    return { cut: element.scrollWidth > element.clientWidth + 1, lines: Math.round(height / lineHeight) };
  });
}

describe('what a learner reads around an answer', () => {
  for (const [device, mobile] of [
    ['desktop', false],
    ['phone', true],
  ] as const) {
    it(`shows an English learner the English rendering of a cited Chinese passage (${device})`, { timeout: 120_000 }, async () => {
      await withWatchedPage({ locale: 'en-US', mobile }, async (page) => {
        await page.goto(`${tutor().baseUrl}/`);
        await openWidget(page);
        // The default English title and the progress count are readable whole.
        expect(await textIsWhole(page, 'tutor-chat .title')).toEqual({ cut: false, lines: 1 });
        const question = 'What is the difference between fine-tuning and tuning?';
        await askInWidget(page, question);
        const answer = await waitForAnswer(page, 0);
        await page.locator('tutor-chat .progress:not([hidden])').waitFor();
        expect((await textIsWhole(page, 'tutor-chat .progress-toggle > span:first-child')).lines).toBe(1);

        const expected = await answerOf(page, question);
        const citation = expected.citations.find((candidate) => candidate.translation?.sentences?.length);
        expect(citation?.translation?.language).toBe('en');
        await answer.locator(`button.chip[data-marker="${citation?.marker}"]`).click();
        const card = page.locator('tutor-chat .source-card');
        await card.waitFor({ state: 'visible' });
        const rendering = card.locator('.source-rendering');
        await rendering.waitFor({ state: 'visible' });
        expect(await rendering.locator('blockquote').getAttribute('lang')).toBe('en');
        expect(await rendering.locator('.source-subhead').textContent()).toMatch(/English/);
        // The cited sentences are marked in the rendering, as the answer quoted them.
        const marked = (await rendering.locator('mark').allTextContents()).map((text) => text.trim());
        expect(marked).toEqual(citation?.translation?.sentences?.map((sentence) => sentence.replace(/\*\*/g, '').trim()));
        for (const sentence of marked) expect(await answer.locator('.answer').textContent()).toContain(sentence.slice(0, 40));
        // The Chinese original stays below it, the cited text still marked there.
        expect(await card.locator('.source-subhead').nth(1).textContent()).toBe('Original');
        expect(await card.locator('.source-passage mark').count()).toBeGreaterThan(0);
        await page.waitForTimeout(600);
        await saveScreenshot(page, `reading-en-${device}-source`);
      });
    });
  }

  it('keeps the Chinese card as it was for a Chinese answer, and marks exactly the cited sentences in the article', {
    timeout: 120_000,
  }, async () => {
    await withWatchedPage({ locale: 'zh-CN' }, async (page) => {
      await page.goto(`${tutor().baseUrl}/`);
      await openWidget(page);
      const question = '微调和调教有什么区别？';
      await askInWidget(page, question);
      const answer = await waitForAnswer(page, 0);
      const expected = await answerOf(page, question);
      const citation = expected.citations[0];
      expect(citation?.spans?.length).toBeGreaterThan(0);
      await answer.locator('button.chip[data-marker="1"]').click();
      const card = page.locator('tutor-chat .source-card');
      await card.waitFor({ state: 'visible' });
      expect(await card.locator('.source-rendering').isHidden()).toBe(true);

      // The article marks the cited sentences strongly, as the card does, and the rest of the passage only softly.
      const cited = (citation?.spans ?? []).map((span) => citation!.text.slice(span.start - citation!.start, span.end - citation!.start));
      await expect.poll(() => stronglyMarkedText(page)).not.toBe('');
      const strong = (await stronglyMarkedText(page)).replace(/\s+/g, '');
      for (const sentence of cited) expect(strong).toContain(sentence.replace(/^-\s*/, '').replace(/\s+/g, '').slice(0, 30));
      const citedLength = cited.join('').replace(/\s+/g, '').length;
      expect(strong.length).toBeLessThanOrEqual(citedLength + 4);
      expect(await page.locator(`.passage.is-cited-passage[data-chunk-id="${citation?.chunkId}"]`).count()).toBeGreaterThan(0);
      await page.waitForTimeout(1500);
      await saveScreenshot(page, 'reading-zh-desktop-article-spans');
    });
  });

  it('keeps a pressed Expand button visible on the header', { timeout: 60_000 }, async () => {
    await withWatchedPage({ locale: 'en-US' }, async (page) => {
      await page.goto(`${tutor().baseUrl}/`);
      await openWidget(page);
      const expand = page.locator('tutor-chat .header-button.expand');
      await expand.click();
      expect(await expand.getAttribute('aria-pressed')).toBe('true');
      const colours = await expand.evaluate((button) => {
        const header = button.closest('.header') as HTMLElement;
        return { text: getComputedStyle(button).color, header: getComputedStyle(header).backgroundColor };
      });
      expect(colours.text).not.toBe(colours.header);
      await saveScreenshot(page, 'reading-en-desktop-expanded');
    });
  });
});
