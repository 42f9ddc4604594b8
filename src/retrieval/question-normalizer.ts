/**
 * The one normaliser every question goes through before it is analysed (REST, socket, CLI, evaluation). The learner's
 * own text is what a conversation stores; this is only what the tutor reads. Each rule undoes a way honest input
 * arrives disguised:
 * - HTML tags are dropped and entities decoded (text pasted from a page, `<b>微调</b>是什么`);
 * - zero-width characters, soft hyphens and bidi controls are removed (they split words invisibly: `微\u200b调`);
 * - Unicode NFKC folds compatibility forms (full-width Latin `ｗｈａｔ` to `what`), except full-width punctuation right after a
 *   Chinese character (`？！，：；（）`), which is how Chinese is written and stays as typed in the query a learner is shown;
 * - emoji and other pictographs are dropped (`微调是什么？😊`): they carry no words, and a question read by how it ends
 *   (`…吗？`) must end where its words do;
 * - a run of question or exclamation marks is one mark, the first (`吗？？？`, `吗？!!`);
 * - an English contraction typed without its apostrophe gets it back (`whats finetuning`, `doesnt`, `isnt`): a phone
 *   keyboard or a hurried learner drops it, and "whats" is no word the tutor reads as "what is" (`its`, `were`, `well`
 *   and `ill` are words of their own and stay);
 * - whitespace (including no-break and ideographic spaces) collapses to single spaces, trimmed, and goes between two
 *   Chinese characters: Chinese is written without spaces, so a line break, a block tag or a space there comes from
 *   the page or the keyboard (`微调<br>是什么`, `模型 应用`), and would cut a word in two.
 */
export function normalizeQuestion(text: string): string {
  let normalized = foldCompatibility(removeInvisible(text));
  normalized = decodeEntities(stripTags(normalized));
  // Entities may have produced invisible or compatibility characters of their own (&shy;, &#xFF41;).
  normalized = foldCompatibility(removeInvisible(normalized)).replace(PICTOGRAPHS, ' ');
  normalized = normalized.replace(/\s+/gu, ' ').trim().replace(SPACE_IN_CHINESE, '').replace(REPEATED_MARKS, '$1');
  return normalized.replace(BARE_CONTRACTION, (word) => {
    const restored = CONTRACTIONS.get(word.toLowerCase()) ?? word;
    return word[0] === word[0]?.toUpperCase() ? restored[0]?.toUpperCase() + restored.slice(1) : restored;
  });
}

/**
 * Contractions whose form without the apostrophe is no English word, with it put back (a capital first letter kept).
 * Not its, were, well, ill, shed, hell: words of their own.
 */
const CONTRACTIONS = new Map(
  [
    "what's",
    "that's",
    "there's",
    "where's",
    "who's",
    "how's",
    "isn't",
    "aren't",
    "wasn't",
    "doesn't",
    "don't",
    "didn't",
    "hasn't",
    "haven't",
    "hadn't",
    "can't",
    "won't",
    "shouldn't",
    "wouldn't",
    "couldn't",
    "mustn't",
    "needn't",
    "i'm",
    "i've",
    "you're",
    "you've",
    "they're",
    "they've",
    "we've",
  ].map((contraction) => [contraction.replace("'", ''), contraction] as const),
);
const BARE_CONTRACTION = new RegExp(`\\b(?:${[...CONTRACTIONS.keys()].join('|')})\\b`, 'giu');

/** A space between two Chinese characters. */
const SPACE_IN_CHINESE = /(?<=[\u3400-\u9fff\uf900-\ufaff]) (?=[\u3400-\u9fff\uf900-\ufaff])/gu;

/** Emoji and pictographs, their skin tones, presentation selectors, keycap marks and flag letters. */
const PICTOGRAPHS = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\u{1f1e6}-\u{1f1ff}]|\u{fe0e}|\u{fe0f}|\u{20e3}/gu;

/** A question or exclamation mark followed by more of them (spaces between them too), in either width. */
const REPEATED_MARKS = /([?!\uff1f\uff01])(?:\s?[?!\uff1f\uff01])+/gu;

/** Full-width punctuation right after a Chinese character: how Chinese is written, kept through NFKC. */
const CHINESE_PUNCTUATION = new Set(['\uff01', '\uff08', '\uff09', '\uff0c', '\uff1a', '\uff1b', '\uff1f']);
const CJK_CHARACTER = /[\u3400-\u9fff\uf900-\ufaff]/u;

/** NFKC, except for full-width punctuation that follows a Chinese character (`调教是什么？` stays as typed). */
function foldCompatibility(text: string): string {
  let folded = '';
  let run = '';
  let previous = '';
  for (const character of text) {
    if (CHINESE_PUNCTUATION.has(character) && CJK_CHARACTER.test(previous)) {
      folded += run.normalize('NFKC') + character;
      run = '';
    } else run += character;
    previous = character;
  }
  return folded + run.normalize('NFKC');
}

/**
 * Zero-width space/non-joiner/joiner, word joiner, BOM, soft hyphen, Mongolian vowel separator, and the bidi marks,
 * embeddings, overrides and isolates (U+061C, U+200E/F, U+202A-E, U+2066-9).
 */
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

function removeInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** Inline elements sit inside words (`<b>微</b>调`): removed without a trace. Any other tag separates words. */
const INLINE_TAGS = new Set(['a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'code', 'del', 'em', 'font', 'i', 'ins', 'kbd', 'mark', 'q']);
for (const name of ['s', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'tt', 'u', 'var', 'wbr']) INLINE_TAGS.add(name);

const TAG = /<\/?([a-zA-Z][a-zA-Z0-9-]*)(?:\s[^<>]*)?\/?>|<!--[\s\S]*?-->/g;
const HIDDEN_CONTENT = /<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;

function stripTags(text: string): string {
  return text
    .replace(HIDDEN_CONTENT, ' ')
    .replace(TAG, (_match, name: string | undefined) => (name !== undefined && INLINE_TAGS.has(name.toLowerCase()) ? '' : ' '));
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  shy: '\u00ad',
  ensp: ' ',
  emsp: ' ',
  thinsp: ' ',
  zwsp: '\u200b',
  zwnj: '\u200c',
  zwj: '\u200d',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  middot: '·',
};

function decodeEntities(text: string): string {
  return text.replace(
    /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,8}));/g,
    (whole, decimal?: string, hex?: string, name?: string) => {
      if (name !== undefined) return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
      const code = Number.parseInt((decimal ?? hex) as string, decimal !== undefined ? 10 : 16);
      // Control codes, surrogates and values beyond Unicode are not text: drop them rather than produce broken text.
      if ((code < 0x20 && code !== 0x09 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f)) return '';
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '';
      return String.fromCodePoint(code);
    },
  );
}
