import { existsSync } from 'node:fs';

/**
 * What the integration and browser tests need from the operating system, and the one command that installs it.
 * The preflight of each vitest project checks its part before any test runs, so a machine without them stops at once
 * with that command instead of failing test by test.
 */
export const INSTALL_COMMAND = 'npm run test:setup';

/** Debian's Chromium, or the browser named by CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** apt installs redis-server to /usr/bin; a source build to /usr/local/bin. REDIS_SERVER_PATH overrides both. */
export const REDIS_SERVER_PATH =
  process.env.REDIS_SERVER_PATH ??
  ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((candidate) => existsSync(candidate)) ??
  '/usr/bin/redis-server';

/** Without a CJK font, Chinese text in the widget's screenshots renders as empty boxes. */
const CJK_FONT_FILES = ['/usr/share/fonts/truetype/wqy/wqy-microhei.ttc'];

export interface MissingRequirement {
  readonly what: string;
  readonly path: string;
}

export function missingFor(kind: 'int' | 'browser'): MissingRequirement[] {
  const missing: MissingRequirement[] = [];
  if (kind === 'int' && !existsSync(REDIS_SERVER_PATH)) missing.push({ what: 'redis-server', path: REDIS_SERVER_PATH });
  if (kind === 'browser') {
    if (!existsSync(CHROMIUM_PATH)) missing.push({ what: 'chromium', path: CHROMIUM_PATH });
    if (!CJK_FONT_FILES.some((file) => existsSync(file))) missing.push({ what: 'fonts-wqy-microhei', path: CJK_FONT_FILES.join(', ') });
  }
  return missing;
}

/** Throws one message naming everything missing and the command that installs it. */
export function assertRequirements(kind: 'int' | 'browser'): void {
  const missing = missingFor(kind);
  if (missing.length === 0) return;
  const list = missing.map((entry) => `${entry.what} (${entry.path})`).join(', ');
  throw new Error(`The ${kind} tests need ${list}. Install with: ${INSTALL_COMMAND}   (or run everything: npm run test:full)`);
}
