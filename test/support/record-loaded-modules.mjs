/**
 * `node --import ./test/support/record-loaded-modules.mjs <entry>`: appends the URL of every module the process loads
 * through the ESM loader (ES modules, and packages imported from them) to the file named by LOADED_MODULES_FILE, one a
 * line. Tests read it to check what a start loads, from outside the process.
 */
import { register } from 'node:module';

register('./loaded-modules-hooks.mjs', import.meta.url, { data: { file: process.env.LOADED_MODULES_FILE } });
