import { assertRequirements } from './system-requirements.js';

/** vitest globalSetup of the int project: stop at once when redis-server is missing. */
export default function preflight(): void {
  assertRequirements('int');
}
