import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import type { Language } from '../ingest/chunk-types.js';
import type { Glossary, GlossaryTerm } from '../ingest/glossary.js';

/**
 * Words that carry no topic: question words, particles, pronouns, and English function words. Removing them keeps
 * "什么是微调？" and "微调" equivalent for retrieval and keeps questions about nothing from matching everything.
 */
const STOPWORDS = new Set([
  // Chinese particles, pronouns, question and filler words
  '的',
  '了',
  '是',
  '在',
  '和',
  '与',
  '及',
  '或',
  '或者',
  '而',
  '也',
  '都',
  '就',
  '还',
  '又',
  '吗',
  '呢',
  '吧',
  '啊',
  '呀',
  '嘛',
  '么',
  '什么',
  '怎么',
  '怎样',
  '怎么样',
  '如何',
  '为什么',
  '为何',
  '哪',
  '哪些',
  '哪个',
  '多少',
  '几',
  '谁',
  '请',
  '请问',
  '一下',
  '一个',
  '一些',
  '这',
  '那',
  '这个',
  '那个',
  '这些',
  '那些',
  '这里',
  '那里',
  '我',
  '你',
  '您',
  '他',
  '她',
  '它',
  '我们',
  '你们',
  '他们',
  '它们',
  '自己',
  '可以',
  '能',
  '能够',
  '会',
  '要',
  '想',
  '想要',
  '有',
  '没有',
  '不',
  '对',
  '把',
  '被',
  '让',
  '给',
  '从',
  '到',
  '向',
  '以',
  '为',
  '上',
  '中',
  '下',
  '里',
  '时',
  '等',
  '说',
  '讲',
  '讲讲',
  '说说',
  '谈谈',
  '告诉',
  '解释',
  '介绍',
  '意思',
  '问题',
  '文章',
  '里面',
  '其中',
  '之间',
  '通常',
  '可能',
  '一',
  '个',
  '些',
  '吗',
  '嗯',
  '哦',
  '呃',
  '举',
  '例',
  '一样',
  '不同',
  '有没有',
  '用',
  '做',
  '是不是',
  '能不能',
  '可不可以',
  // English function and question words
  'a',
  'an',
  'the',
  'and',
  'or',
  'but',
  'of',
  'to',
  'in',
  'on',
  'at',
  'for',
  'with',
  'by',
  'from',
  'as',
  'is',
  'are',
  'was',
  'were',
  'be',
  'been',
  'being',
  'do',
  'does',
  'did',
  'doing',
  'have',
  'has',
  'had',
  'it',
  'its',
  'this',
  'that',
  'these',
  'those',
  'what',
  'whats',
  "what's",
  'which',
  'who',
  'whom',
  'how',
  'why',
  'when',
  'where',
  'can',
  'could',
  'would',
  'should',
  'will',
  'shall',
  'may',
  'might',
  'must',
  'i',
  'me',
  'my',
  'you',
  'your',
  'we',
  'us',
  'our',
  'they',
  'them',
  'their',
  'he',
  'she',
  'him',
  'her',
  'there',
  'here',
  'about',
  'please',
  'tell',
  'explain',
  'say',
  'says',
  'said',
  'mean',
  'means',
  'article',
  'text',
  'give',
  'some',
  'any',
  'if',
  'then',
  'than',
  'so',
  'not',
  'no',
  'yes',
  'also',
  'just',
  'more',
  'most',
  'much',
  'very',
  'into',
  'between',
  'vs',
  'versus',
  'like',
  'use',
  'used',
  'using',
  'one',
  'ones',
  'other',
  'same',
  'different',
  'thing',
  'things',
  'really',
  'get',
  'gets',
  'got',
  'know',
  'let',
  "let's",
  'lets',
  'again',
  'other',
  'describe',
]);

/** Whether a word carries no topic (question words, particles, pronouns, English function words). */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const CJK_GLOBAL = /[\u3400-\u9fff\uf900-\ufaff]/g;
const LATIN_WORD = /[a-z0-9]+(?:[-'][a-z0-9]+)*/g;
const TOKEN_HAS_CONTENT = /[\p{L}\p{N}]/u;

export interface TextAnalyzer {
  /** Content tokens (lower-case, stopwords removed) for indexing and matching; Chinese cut by jieba in search mode. */
  tokenize(text: string): string[];
  /**
   * Content tokens of a question plus the Chinese terms of every glossary entry it names in English (or in Chinese),
   * so "What is fine-tuning?" searches for 微调.
   */
  tokenizeQuery(text: string): string[];
  /** Glossary entries the text names, in either language, in glossary order. */
  findGlossaryTerms(text: string): GlossaryTerm[];
  /** Chinese character bigrams, a segmentation-independent feature for embeddings and near-duplicate checks. */
  characterBigrams(text: string): string[];
  detectLanguage(text: string): Language;
  readonly glossary: Glossary;
  /** Changes whenever tokens would change for the same text; part of the embedder id, so old indexes are rebuilt. */
  readonly version: string;
}

/** Bump when tokenize/tokenizeQuery change their output (v2: English words kept beside glossary terms, -ing/-ed stems). */
export const TEXT_ANALYZER_VERSION = '2';

export interface CreateTextAnalyzerOptions {
  readonly glossary: Glossary;
  /** A jieba instance to share; loading the dictionary costs about 200 ms, so reuse one per process. */
  readonly jieba?: Jieba;
}

let sharedJieba: Jieba | undefined;

/** The process-wide jieba with its default dictionary, loaded on first use. */
export function getDefaultJieba(): Jieba {
  sharedJieba ??= Jieba.withDict(dict);
  return sharedJieba;
}

export function createTextAnalyzer(options: CreateTextAnalyzerOptions): TextAnalyzer {
  const jieba = options.jieba ?? getDefaultJieba();
  const glossary = options.glossary;
  // Longest English forms first, so "pre-trained model" wins over "model".
  const englishForms = glossary.terms
    .flatMap((term) => term.en.map((form) => ({ form, term })))
    .sort((left, right) => right.form.length - left.form.length);
  const englishFormPatterns = englishForms.map(({ form, term }) => ({
    form,
    pattern: new RegExp(`(?<![a-z0-9])${escapeRegExp(form)}(?![a-z0-9])`, 'g'),
    term,
  }));

  function tokenize(text: string): string[] {
    const lower = text.toLowerCase();
    const tokens: string[] = [];
    for (const piece of jieba.cutForSearch(lower, true)) {
      const token = piece.trim();
      if (token.length === 0 || !TOKEN_HAS_CONTENT.test(token)) continue;
      if (!CJK.test(token)) continue; // Latin words are taken below, whole (jieba splits "fine-tuning").
      if (STOPWORDS.has(token)) continue;
      tokens.push(token);
    }
    for (const match of lower.matchAll(LATIN_WORD)) {
      if (STOPWORDS.has(match[0])) continue;
      const word = normalizeEnglishWord(match[0]);
      if (word.length < 2 || STOPWORDS.has(word)) continue;
      tokens.push(word);
    }
    return tokens;
  }

  // The embedder asks for the glossary terms of a text right after tokenizeQuery did: remember the last answer.
  let lastGlossaryText: string | undefined;
  let lastGlossaryTerms: readonly GlossaryTerm[] = [];

  function findGlossaryTerms(text: string): GlossaryTerm[] {
    if (text === lastGlossaryText) return [...lastGlossaryTerms];
    const lower = text.toLowerCase();
    const found = new Set<GlossaryTerm>();
    let remaining = lower;
    for (const { form, pattern, term } of englishFormPatterns) {
      // A form that is not in the text cannot match its pattern; `includes` is far cheaper than the regex.
      if (!remaining.includes(form)) continue;
      pattern.lastIndex = 0;
      if (pattern.test(remaining)) {
        found.add(term);
        // Blank out the matched form so "model" does not also fire inside "pre-trained model".
        pattern.lastIndex = 0;
        remaining = remaining.replace(pattern, ' ');
      }
    }
    for (const term of glossary.terms) if (text.includes(term.zh)) found.add(term);
    const terms = glossary.terms.filter((term) => found.has(term));
    lastGlossaryText = text;
    lastGlossaryTerms = terms;
    return [...terms];
  }

  function tokenizeQuery(text: string): string[] {
    const tokens = tokenize(text);
    const lower = text.toLowerCase();
    // English words stay search terms beside the Chinese terms of their glossary entries: they match English renderings
    // of the corpus and its own Latin words ("GPU", "Fine-tuning").
    for (const term of findGlossaryTerms(text)) {
      if (!term.en.some((form) => lower.includes(form))) continue;
      for (const piece of tokenize(term.zh)) tokens.push(piece);
    }
    return tokens;
  }

  function characterBigrams(text: string): string[] {
    // By UTF-16 unit: every CJK character here is in the BMP, and a surrogate pair is never CJK, so adjacent units that
    // are both CJK are exactly adjacent CJK characters.
    const bigrams: string[] = [];
    let previousIsCjk = false;
    for (let index = 0; index < text.length; index += 1) {
      const isCjk = isCjkCodeUnit(text.charCodeAt(index));
      if (isCjk && previousIsCjk) bigrams.push(text.slice(index - 1, index + 1));
      previousIsCjk = isCjk;
    }
    return bigrams;
  }

  return { tokenize, tokenizeQuery, findGlossaryTerms, characterBigrams, detectLanguage, glossary, version: TEXT_ANALYZER_VERSION };
}

/** The language of a text (the one detector of the tree; the analyzer's `detectLanguage`). */
export function detectLanguage(text: string): Language {
  const cjkCount = text.match(CJK_GLOBAL)?.length ?? 0;
  const latinCount = text.match(/[a-zA-Z]/g)?.length ?? 0;
  // A Chinese question often names English terms ("LoRA 是什么"); a few CJK characters make it Chinese.
  return cjkCount >= 2 || (cjkCount > 0 && cjkCount * 3 >= latinCount) ? 'zh' : 'en';
}

/**
 * A light English stemmer, enough to meet "models"/"model", "tuning"/"tuned"/"tune" and "cooking"/"cook" without a
 * dependency: plural and possessive endings, then -ing and -ed (a doubled consonant undoubled), then a final e. It is
 * applied alike to the corpus and to questions, so stems need only agree with each other, not be words.
 */
export function normalizeEnglishWord(word: string): string {
  let normalized = word.replace(/'s$/, '');
  if (normalized.length > 4 && normalized.endsWith('ies')) normalized = `${normalized.slice(0, -3)}y`;
  else if (normalized.length > 3 && normalized.endsWith('s') && !/(?:ss|us|is)$/.test(normalized)) normalized = normalized.slice(0, -1);
  if (normalized.length > 5 && normalized.endsWith('ing')) normalized = undouble(normalized.slice(0, -3));
  else if (normalized.length > 4 && normalized.endsWith('ied')) normalized = `${normalized.slice(0, -3)}y`;
  else if (normalized.length > 4 && normalized.endsWith('ed') && !normalized.endsWith('eed'))
    normalized = undouble(normalized.slice(0, -2));
  if (normalized.length > 3 && normalized.endsWith('e') && !normalized.endsWith('ee')) normalized = normalized.slice(0, -1);
  return normalized;
}

/** "running" → "runn" → "run"; "adding" → "add" is left alone (dd, ll, ss, ff, zz stay: "add", "fill"). */
function undouble(stem: string): string {
  return /([b-df-hj-np-rtvwxy])\1$/.test(stem) && !/(?:ll|ss|ff|zz|dd)$/.test(stem) ? stem.slice(0, -1) : stem;
}

/** The code units the CJK pattern matches: U+3400-U+9FFF and U+F900-U+FAFF. */
function isCjkCodeUnit(code: number): boolean {
  return (code >= 0x3400 && code <= 0x9fff) || (code >= 0xf900 && code <= 0xfaff);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const ANSWER_KIND_WORDS = [
  '例子',
  '举例',
  '举个',
  '例如',
  '比如',
  '区别',
  '差别',
  '差异',
  '不同',
  '对比',
  '比较',
  '原因',
  '含义',
  '定义',
  '解释',
  '作用',
  '关系',
  '联系',
  '具体',
  '详细',
  '简单',
  '总结',
  '比喻',
  '类比',
  '比方',
  '打比方',
  'example',
  'difference',
  'analogy',
  'reason',
  'definition',
  'meaning',
  'relationship',
  'summary',
  'summarize',
  'detail',
  'simple',
  'simply',
];

/**
 * Words that ask for a kind of answer ("例子", "difference") rather than name a topic: they count for ranking but say
 * nothing about whether the corpus covers the question, nor make a follow-up a new question.
 *
 * Holds each English word both as written and as the stemmer leaves it ("example" and "exampl"), because tokens are
 * stemmed.
 */
export const ANSWER_KIND_TERMS: ReadonlySet<string> = new Set([
  ...ANSWER_KIND_WORDS,
  ...ANSWER_KIND_WORDS.filter((word) => /^[a-z]+$/.test(word)).map(normalizeEnglishWord),
]);
