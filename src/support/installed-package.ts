import { createRequire } from 'node:module';

/**
 * Loads an installed package synchronously, on first use, for code that must not pay for a large package at start
 * (the 16 MB CC-CEDICT is read only when a lexicon is derived; pinyin-pro only when a word needs its pinyin) and cannot
 * wait for a dynamic import (a question is read synchronously).
 *
 * This is the one `createRequire(import.meta.url)` of src/, kept here so that the modules that load packages never ask
 * where they are: a bare package name resolves the same from this file as from the server bundle in dist/ (both find
 * the repository's node_modules), so scripts/start-tutor.mjs bundles exactly this use as it is.
 */
const require = createRequire(import.meta.url);

/** The package's CommonJS entry point, loaded once (Node caches it). */
export function requireInstalledPackage<T>(name: string): T {
  return require(name) as T;
}

/** The absolute path of the package's CommonJS entry point. */
export function resolveInstalledPackage(name: string): string {
  return require.resolve(name);
}
