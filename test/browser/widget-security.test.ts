import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  askInWidget,
  launchBrowser,
  openWidget,
  saveScreenshot,
  serveHostPages,
  turnsOf,
  waitForAnswer,
  watchPage,
} from '../support/browser.js';
import { useTestTutor } from '../support/start-test-tutor.js';
import { createTemporaryDirectory } from '../support/test-runtime.js';

/**
 * Untrusted text never runs as script: a learner's question with an `onerror` payload, and a corpus whose passages
 * contain HTML, are shown as text on the demo page and in the widget. The widget also works embedded in a page of
 * another origin that has a strict CSP and hostile CSS, next to a second (inline) widget.
 */

const MARKER_FLAGS = ['__xssQuestion', '__xssCorpusScript', '__xssCorpusImg', '__xssCorpusLink'] as const;

let corpus: Awaited<ReturnType<typeof createTemporaryDirectory>>;

beforeAll(async () => {
  corpus = await createTemporaryDirectory('tutor-widget-corpus-');
  await mkdir(corpus.dir, { recursive: true });
  await writeFile(
    path.join(corpus.dir, 'sourdough.md'),
    [
      '---',
      'title: Sourdough <b>basics</b>',
      'language: en',
      'source: https://bakery.example/sourdough',
      '---',
      '',
      '# Sourdough basics',
      '',
      'The sourdough starter is fed with flour and water every day. <script>window.__xssCorpusScript = 1; alert("script")</script> A healthy starter doubles in size within eight hours.',
      '',
      'The dough rises overnight in a cool place <img src=x onerror="window.__xssCorpusImg = 1; alert(\'img\')"> and is baked the next morning at a high temperature.',
      '',
      'Bakers score the loaf with a sharp blade [before baking](javascript:window.__xssCorpusLink=1) so that steam can escape.',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await corpus?.remove();
});

/** The tutor over that corpus alone. */
const tutor = useTestTutor(() => ({ corpusDir: corpus.dir }));

async function noScriptRan(page: import('playwright-core').Page): Promise<Record<string, unknown>> {
  return page.evaluate(
    (flags) => Object.fromEntries(flags.map((flag) => [flag, (window as unknown as Record<string, unknown>)[flag]])),
    [...MARKER_FLAGS],
  );
}

describe('untrusted text in the widget and on the demo page', () => {
  it('shows HTML from the corpus and from a question as text, and runs none of it', { timeout: 120_000 }, async () => {
    const browser = await launchBrowser({ locale: 'en-US' });
    try {
      const page = await browser.newPage();
      const watch = await watchPage(page);
      await page.goto(`${tutor().baseUrl}/`);

      // Demo page: the corpus markup is visible as text, not as elements.
      const article = page.locator('article.article');
      expect(await article.locator('h1').first().textContent()).toBe('Sourdough <b>basics</b>');
      expect(await article.textContent()).toContain('<script>window.__xssCorpusScript = 1; alert("script")</script>');
      expect(await article.textContent()).toContain('<img src=x onerror="window.__xssCorpusImg = 1; alert(\'img\')">');
      expect(await article.locator('script, img, b').count()).toBe(0);
      expect(await article.locator('a[href^="javascript:"]').count()).toBe(0);

      await openWidget(page);
      await askInWidget(page, 'How does the dough rise overnight before it is baked?');
      const answer = await waitForAnswer(page, 0);
      const answerText = (await answer.locator('.answer').textContent()) ?? '';
      expect(answerText).toContain('onerror=');
      expect(await answer.locator('img, script, iframe, svg:not(.icon)').count()).toBe(0);
      // The chip's source card shows the passage as text too.
      await answer.locator('button.chip').first().click();
      const card = page.locator('tutor-chat .source-card');
      await card.waitFor({ state: 'visible' });
      await expect.poll(() => card.locator('.source-passage').textContent()).toContain('<img src=x onerror=');
      expect(await card.locator('.source-passage img').count()).toBe(0);
      expect(await card.locator('.source-link').getAttribute('href')).toBe('https://bakery.example/sourdough');
      await page.keyboard.press('Escape');

      const question = '<img src=x onerror="window.__xssQuestion = 1; alert(\'question\')">How is the starter fed?';
      await askInWidget(page, question);
      const second = await waitForAnswer(page, 1);
      expect(await turnsOf(page).nth(1).locator('.msg-user').textContent()).toContain(question);
      expect(await turnsOf(page).nth(1).locator('img').count()).toBe(0);
      expect(await second.locator('.searched img').count()).toBe(0);

      await askInWidget(page, 'Why do bakers score the loaf before baking?');
      const third = await waitForAnswer(page, 2);
      expect(await third.locator('a[href^="javascript:"]').count()).toBe(0);

      // Nothing ran: no flag was set, no dialog opened, no page error.
      await page.waitForTimeout(500);
      expect(await noScriptRan(page)).toEqual(Object.fromEntries(MARKER_FLAGS.map((flag) => [flag, undefined])));
      expect(watch.dialogs).toEqual([]);
      expect(watch.pageErrors).toEqual([]);
      await saveScreenshot(page, 'desktop-en-untrusted-text');
    } finally {
      await browser.close();
    }
  });
});

describe('the widget embedded in a page of another origin', () => {
  it('works under a strict CSP with hostile CSS, beside a second inline widget', { timeout: 120_000 }, async () => {
    const tutorOrigin = new URL(tutor().baseUrl).origin;
    const socketOrigin = tutorOrigin.replace(/^http/, 'ws');
    const pages: Record<string, string> = {};
    const host = await serveHostPages(pages, {
      'content-security-policy': [
        "default-src 'none'",
        `script-src ${tutorOrigin}`,
        "style-src 'nonce-hoststyle'",
        `connect-src ${tutorOrigin} ${socketOrigin}`,
        "img-src 'none'",
        "base-uri 'none'",
      ].join('; '),
    });
    pages['/'] = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Partner school</title>
<style nonce="hoststyle">
  * { color: rgb(255, 0, 0) !important; font-size: 40px !important; line-height: 5 !important; font-family: serif !important; }
  .panel, .launcher, .chip, .msg-user { background: rgb(0, 255, 0) !important; border: 9px solid black !important; }
  .send { width: 300px; }
  div { padding: 30px; }
</style>
<script src="${tutor().baseUrl}/widget.js" data-server="${tutor().baseUrl}" data-title="Partner tutor" data-greeting="Welcome, partner learner."
  data-language="en" data-position="bottom-left" data-primary-color="#0f766e" data-open="true" defer></script>
</head><body>
<h1>A partner school page</h1>
<button class="send" id="host-button">Host button</button>
<tutor-chat id="inline-tutor" server="${tutor().baseUrl}" chat-title="Inline tutor" language="en" storage-key="inline"></tutor-chat>
</body></html>`;

    const browser = await launchBrowser({ locale: 'en-US' });
    try {
      const page = await browser.newPage();
      const watch = await watchPage(page);
      await page.addInitScript(() => {
        const events: unknown[] = [];
        (window as unknown as { __citations: unknown[] }).__citations = events;
        document.addEventListener('tutor:citation', (event) => events.push((event as CustomEvent).detail));
      });
      await page.goto(`${host.origin}/`);
      expect(host.origin).not.toBe(tutorOrigin);

      // data-open: the floating panel is open on load, with the data-* options applied.
      const floating = 'tutor-chat[mode="floating"]';
      const panel = page.locator(`${floating} .panel`);
      await panel.waitFor({ state: 'visible' });
      expect(await panel.locator('.title').textContent()).toBe('Partner tutor');
      expect(await panel.locator('.greeting').textContent()).toBe('Welcome, partner learner.');
      const styles = await page.evaluate((selector) => {
        const root = document.querySelector(selector)?.shadowRoot;
        const header = root?.querySelector('.header') as HTMLElement;
        const panelElement = root?.querySelector('.panel') as HTMLElement;
        const greeting = root?.querySelector('.greeting') as HTMLElement;
        const hostButton = document.getElementById('host-button') as HTMLElement;
        return {
          headerBackground: getComputedStyle(header).backgroundColor,
          panelLeft: panelElement.getBoundingClientRect().left,
          panelBorder: getComputedStyle(panelElement).borderTopWidth,
          greetingColor: getComputedStyle(greeting).color,
          greetingFontSize: getComputedStyle(greeting).fontSize,
          greetingFont: getComputedStyle(greeting).fontFamily,
          hostButtonWidth: hostButton.getBoundingClientRect().width,
          hostButtonRadius: getComputedStyle(hostButton).borderTopLeftRadius,
        };
      }, floating);
      expect(styles.headerBackground).toBe('rgb(15, 118, 110)');
      expect(styles.panelLeft).toBeLessThan(40);
      // Host CSS does not leak in...
      expect(styles.panelBorder).toBe('1px');
      expect(styles.greetingColor).not.toBe('rgb(255, 0, 0)');
      expect(styles.greetingFontSize).toBe('15px');
      expect(styles.greetingFont).not.toBe('serif');
      // ...and the widget's CSS (.send is a 44px round button inside it) does not leak out.
      expect(styles.hostButtonWidth).toBe(300);
      expect(styles.hostButtonRadius).not.toBe('50%');

      await askInWidget(page, 'How long does the starter take to double?', floating);
      const answer = await waitForAnswer(page, 0, floating);
      const chip = answer.locator('button.chip').first();
      await chip.click();
      const card = page.locator(`${floating} .source-card`);
      await card.waitFor({ state: 'visible' });
      // Cross-origin REST works too: the passage's surrounding text was fetched from the tutor.
      await expect.poll(() => card.getAttribute('data-context')).toBe('loaded');
      const citations = await page.evaluate(() => (window as unknown as { __citations: Array<Record<string, unknown>> }).__citations);
      expect(citations).toHaveLength(1);
      expect(citations[0]).toMatchObject({ chunkId: await chip.getAttribute('data-chunk-id'), title: 'Sourdough <b>basics</b>' });
      await page.keyboard.press('Escape');

      // The inline widget is independent: no turns from the floating one, its own conversation.
      const inline = '#inline-tutor';
      expect(await page.locator(`${inline} .title`).textContent()).toBe('Inline tutor');
      expect(await page.locator(`${inline} .launcher`).count()).toBe(0);
      expect(await turnsOf(page, inline).count()).toBe(0);
      await askInWidget(page, 'When is the bread baked?', inline);
      await waitForAnswer(page, 0, inline);
      expect(await turnsOf(page, floating).count()).toBe(1);
      expect(await turnsOf(page, inline).count()).toBe(1);
      const stored = await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('tutor-chat:conversation:')));
      expect(stored).toHaveLength(2);
      // Changing an attribute later re-renders the widget with it, keeping the conversation.
      await page.locator(inline).evaluate((element) => {
        element.setAttribute('language', 'zh');
        element.setAttribute('chat-title', '课堂助手');
      });
      await expect.poll(() => page.locator(`${inline} .title`).textContent()).toBe('课堂助手');
      expect(await page.locator(`${inline} .input`).getAttribute('placeholder')).toBe('输入你的问题…');
      await expect.poll(() => turnsOf(page, inline).count(), { timeout: 10_000 }).toBe(1);
      await saveScreenshot(page, 'desktop-en-embedded-cross-origin');

      expect(await watch.cspViolations()).toEqual([]);
      expect(watch.pageErrors).toEqual([]);
    } finally {
      await browser.close();
      await host.close();
    }
  });
});
