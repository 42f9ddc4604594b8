import { describe, expect, it } from 'vitest';
import { launchBrowser, turnsOf, waitForAnswer, watchPage } from '../support/browser.js';
import { useTestTutor } from '../support/start-test-tutor.js';

/**
 * Keyboard-only use and screen-reader affordances of the floating widget: reach the launcher with Tab, open it with
 * Enter, Shift+Enter for a new line, Enter to send, Tab stays inside the open panel, Esc closes and returns focus.
 */

/** The widget's server (the widget is built first when stale). */
const tutor = useTestTutor();

describe('tutor widget with the keyboard only', () => {
  it('opens, sends with Enter, keeps focus in the panel and closes with Esc', { timeout: 90_000 }, async () => {
    const browser = await launchBrowser({ locale: 'en-US' });
    try {
      const page = await browser.newPage();
      const watch = await watchPage(page);
      await page.goto(`${tutor().baseUrl}/`);
      await page.locator('tutor-chat .launcher').waitFor();

      /** Class of the focused element inside the widget, or undefined when focus is elsewhere. */
      const focusedInWidget = () =>
        page.evaluate(() => {
          const host = document.querySelector('tutor-chat');
          if (document.activeElement !== host) return undefined;
          const active = host?.shadowRoot?.activeElement;
          return active === null || active === undefined
            ? undefined
            : `${active.tagName.toLowerCase()}.${active.getAttribute('class') ?? ''}`;
        });

      // Tab through the page until the launcher has focus (it comes after the article's links).
      let reached = false;
      for (let presses = 0; presses < 40 && !reached; presses += 1) {
        await page.keyboard.press('Tab');
        reached = (await focusedInWidget()) === 'button.launcher';
      }
      expect(reached).toBe(true);
      expect(await page.locator('tutor-chat .launcher').getAttribute('aria-expanded')).toBe('false');

      await page.keyboard.press('Enter');
      await page.locator('tutor-chat .panel').waitFor({ state: 'visible' });
      expect(await focusedInWidget()).toBe('textarea.input');
      expect(await page.locator('tutor-chat .panel').getAttribute('role')).toBe('dialog');

      // Shift+Enter adds a line; Enter sends the whole question.
      await page.keyboard.type('What is fine-tuning?');
      await page.keyboard.press('Shift+Enter');
      await page.keyboard.type('Please explain briefly.');
      expect(await page.locator('tutor-chat .input').inputValue()).toBe('What is fine-tuning?\nPlease explain briefly.');
      expect(await turnsOf(page).count()).toBe(0);
      await page.keyboard.press('Enter');
      const answer = await waitForAnswer(page, 0);
      expect(await turnsOf(page).nth(0).locator('.msg-user').textContent()).toContain('What is fine-tuning?\nPlease explain briefly.');
      expect(await page.locator('tutor-chat .input').inputValue()).toBe('');
      expect(await answer.getAttribute('aria-busy')).toBeNull();

      // The live region (not the visual log) carries the answer to screen readers.
      expect(await page.locator('tutor-chat .log').getAttribute('aria-live')).toBe('off');
      expect(await page.locator('tutor-chat .live').getAttribute('aria-live')).toBe('polite');
      const answerWords = ((await answer.locator('.answer').textContent()) ?? '').replace(/\s+/g, '').slice(0, 12);
      expect(((await page.locator('tutor-chat .live').textContent()) ?? '').replace(/\s+/g, '')).toContain(answerWords);

      // Focus trap: 30 Tabs forward and 30 back never leave the panel.
      const seen = new Set<string>();
      for (const key of ['Tab', 'Shift+Tab']) {
        for (let presses = 0; presses < 30; presses += 1) {
          await page.keyboard.press(key);
          const focused = await focusedInWidget();
          expect(focused, `focus after ${presses + 1} × ${key}`).toBeDefined();
          expect(focused).not.toBe('button.launcher');
          seen.add(focused as string);
        }
      }
      // Everything interactive in the panel was reachable: chips, follow-ups, new conversation, close, input, send.
      for (const expected of ['button.chip', 'button.followup', 'button.header-button close', 'textarea.input']) {
        expect([...seen]).toContain(expected);
      }

      // A chip opens its source card with Enter; Esc closes the card, a second Esc closes the panel.
      await page.locator('tutor-chat button.chip').first().focus();
      await page.keyboard.press('Enter');
      await page.locator('tutor-chat .source-card').waitFor({ state: 'visible' });
      expect(await focusedInWidget()).toBe('button.source-close');
      await page.keyboard.press('Escape');
      await page.locator('tutor-chat .source-card').waitFor({ state: 'hidden' });
      expect(await focusedInWidget()).toBe('button.chip');
      await page.keyboard.press('Escape');
      await page.locator('tutor-chat .panel').waitFor({ state: 'hidden' });
      expect(await focusedInWidget()).toBe('button.launcher');
      expect(await page.locator('tutor-chat .launcher').getAttribute('aria-expanded')).toBe('false');

      expect(watch.pageErrors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('does not send while an input method is composing (pinyin Enter confirms the characters)', { timeout: 60_000 }, async () => {
    const browser = await launchBrowser({ locale: 'zh-CN' });
    try {
      const page = await browser.newPage();
      await page.goto(`${tutor().baseUrl}/`);
      await page.locator('tutor-chat .launcher').click();
      const input = page.locator('tutor-chat .input');
      await input.fill('weitiao');
      // An Enter keydown that belongs to an IME composition (isComposing, keyCode 229) must not send.
      await input.evaluate((element) => {
        element.dispatchEvent(
          new KeyboardEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true, composed: true, cancelable: true }),
        );
      });
      await page.waitForTimeout(300);
      expect(await turnsOf(page).count()).toBe(0);
      expect(await input.inputValue()).toBe('weitiao');
    } finally {
      await browser.close();
    }
  });
});
