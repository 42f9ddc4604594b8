import { assertRequirements } from './system-requirements.js';

/** vitest globalSetup of the browser project: stop at once when Chromium or the CJK font is missing. */
export default function preflight(): void {
  assertRequirements('browser');
}
