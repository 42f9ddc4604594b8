/** Loader hooks of record-loaded-modules.mjs (they run on the loader thread). */
import { appendFileSync } from 'node:fs';

/** @type {string | undefined} */
let file;

/** @param {{ file?: string }} data */
export function initialize(data) {
  file = data.file;
}

/** @type {import('node:module').LoadHook} */
export function load(url, context, nextLoad) {
  if (file !== undefined) appendFileSync(file, `${url}\n`);
  return nextLoad(url, context);
}
