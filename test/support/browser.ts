import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, connect, createServer as createNetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Browser helpers for the widget tests: Debian's Chromium driven by playwright-core (never a downloaded browser),
 * a fresh persistent profile per launch, screenshots into test-artifacts/, and a watcher that records anything
 * that would show script ran where it must not (dialogs, page errors, CSP violations).
 */

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const artifactsDir = path.join(repoRoot, 'test-artifacts');
export { CHROMIUM_PATH } from './system-requirements.js';

import { CHROMIUM_PATH } from './system-requirements.js';

/** Flags that keep Chromium quiet on a closed network (STACK-NOTES trap 7). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const DESKTOP_VIEWPORT = { width: 1280, height: 800 } as const;
export const MOBILE_VIEWPORT = { width: 360, height: 740 } as const;

export interface LaunchOptions {
  /** Browser locale: sets navigator.languages and Accept-Language. @default 'en-US' */
  readonly locale?: string;
  /** @default DESKTOP_VIEWPORT */
  readonly viewport?: { readonly width: number; readonly height: number };
  /** Emulates a phone (touch, mobile viewport meta). @default false */
  readonly mobile?: boolean;
  /** @default 'light' */
  readonly colorScheme?: 'light' | 'dark';
}

export interface LaunchedBrowser {
  readonly context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowser(options: LaunchOptions = {}): Promise<LaunchedBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: install it with \`apt-get install -y chromium fonts-wqy-microhei\``);
  }
  const profileDir = await mkdtemp(path.join(tmpdir(), 'tutor-widget-chromium-'));
  const mobile = options.mobile ?? false;
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      locale: options.locale ?? 'en-US',
      viewport: { ...(options.viewport ?? (mobile ? MOBILE_VIEWPORT : DESKTOP_VIEWPORT)) },
      colorScheme: options.colorScheme ?? 'light',
      isMobile: mobile,
      hasTouch: mobile,
      deviceScaleFactor: mobile ? 2 : 1,
      timeout: 30_000,
    });
  } catch (error) {
    await rm(profileDir, { recursive: true, force: true });
    throw error;
  }
  return {
    context,
    async newPage() {
      const existing = context.pages().find((page) => page.url() === 'about:blank');
      return existing ?? (await context.newPage());
    },
    async close() {
      await context.close().catch(() => undefined);
      await rm(profileDir, { recursive: true, force: true });
    },
  };
}

/** Writes `test-artifacts/<name>.png` and returns its path. */
export async function saveScreenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  await mkdir(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? false, animations: 'disabled', caret: 'hide' });
  return file;
}

export interface PageWatch {
  readonly dialogs: string[];
  readonly pageErrors: string[];
  readonly consoleErrors: string[];
  /** CSP violations reported by the page (directive and blocked URI). */
  cspViolations(): Promise<string[]>;
}

/**
 * Records dialogs (an injected `alert()` would show here; they are dismissed), uncaught page errors, console errors,
 * and CSP violations. Call before the first navigation.
 */
export async function watchPage(page: Page): Promise<PageWatch> {
  const dialogs: string[] = [];
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await page.addInitScript(() => {
    const store: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = store;
    document.addEventListener('securitypolicyviolation', (event) => {
      store.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return {
    dialogs,
    pageErrors,
    consoleErrors,
    async cspViolations() {
      return page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
    },
  };
}

/**
 * Runs `run` in a fresh browser page and then checks what a learner would never want: no uncaught page error, no
 * dialog (an injected `alert`), no Content-Security-Policy violation. The browser is closed whatever happens.
 */
export async function withWatchedPage<T>(options: LaunchOptions, run: (page: Page, watch: PageWatch) => Promise<T>): Promise<T> {
  const browser = await launchBrowser(options);
  try {
    const page = await browser.newPage();
    const watch = await watchPage(page);
    const result = await run(page, watch);
    expect(watch.pageErrors).toEqual([]);
    expect(watch.dialogs).toEqual([]);
    expect(await watch.cspViolations()).toEqual([]);
    return result;
  } finally {
    await browser.close();
  }
}

/** Builds the widget when its output is missing or older than its sources (once per test process). */
export { buildWidgetIfStale as ensureWidgetBuilt } from '../../scripts/build-widget.js';

/**
 * A TCP relay in front of the tutor on 127.0.0.1 (port 0), so a test can cut the network like a real outage:
 * `drop()` destroys every open connection and refuses new ones until `restore()`.
 */
export interface TcpRelay {
  readonly url: string;
  drop(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpRelay(targetUrl: string): Promise<TcpRelay> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let accepting = true;
  const server = createNetServer((client) => {
    if (!accepting) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client);
    sockets.add(upstream);
    const cleanup = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', cleanup).on('close', cleanup);
    upstream.on('error', cleanup).on('close', cleanup);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    async drop() {
      accepting = false;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    async restore() {
      accepting = true;
    },
    async close() {
      accepting = false;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Serves fixed HTML pages from 127.0.0.1 on its own port: a host page of another origin that embeds the widget.
 * `headers` apply to every page (e.g. a strict Content-Security-Policy).
 */
export async function serveHostPages(
  pages: Readonly<Record<string, string>>,
  headers: Readonly<Record<string, string>> = {},
): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createHttpServer((request, response) => {
    const page = pages[new URL(request.url ?? '/', 'http://host').pathname];
    if (page === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The conversation turns of a widget (`host` is a CSS selector of its `<tutor-chat>` element). */
export function turnsOf(page: Page, host = 'tutor-chat'): Locator {
  return page.locator(`${host} article.turn`);
}

/** The tutor's side of turn `index` (0-based). */
export function answerOf(page: Page, index: number, host = 'tutor-chat'): Locator {
  return turnsOf(page, host).nth(index).locator('.msg-tutor');
}

/** Clicks the floating launcher and waits for the panel. */
export async function openWidget(page: Page, host = 'tutor-chat'): Promise<void> {
  await page.locator(`${host} .launcher`).click();
  await page.locator(`${host} .panel`).waitFor({ state: 'visible' });
}

/** Types a question the way a learner does and sends it with Enter. */
export async function askInWidget(page: Page, question: string, host = 'tutor-chat'): Promise<void> {
  const input = page.locator(`${host} textarea.input`);
  await input.fill(question);
  await input.press('Enter');
}

/** Waits until turn `index` has a finished answer; fails with the widget's error text if it shows an error. */
export async function waitForAnswer(page: Page, index: number, host = 'tutor-chat', timeout = 30_000): Promise<Locator> {
  const answer = answerOf(page, index, host);
  const turn = `${host} .log > article.turn:nth-of-type(${index + 1})`;
  await page.locator(`${turn} .msg-tutor[data-mode], ${turn} .msg-tutor .error`).first().waitFor({ timeout });
  const error = answer.locator('.error');
  if ((await error.count()) > 0) throw new Error(`the widget showed an error: ${await error.textContent()}`);
  return answer;
}
