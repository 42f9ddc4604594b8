import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import type { Language } from '../ingest/chunk-types.js';
import type { Glossary, GlossaryTerm } from '../ingest/glossary.js';
import { boundedMemo } from '../support/bounded-memo.js';
import { escapeRegExp } from '../support/escape-regexp.js';
import { STOPWORDS } from './function-words.js';

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

/**
 * Bump when tokenize/tokenizeQuery change their output (v2: English words kept beside glossary terms, -ing/-ed stems;
 * v3: "only" and "done" are function words; v4: 就是, 不是, 算是 are function words; v5: everyday question frames, 啥, 到底, "basically", "kind"; v6: a glossary form overlapping a longer one is found; v8: "define", "describe", "anyway" are function words).
 */
export const TEXT_ANALYZER_VERSION = '8';

export interface CreateTextAnalyzerOptions {
  readonly glossary: Glossary;
  /** A jieba instance to share; loading the dictionary costs about 200 ms, so reuse one per process. */
  readonly jieba?: Jieba;
}

let sharedJieba: Jieba | undefined;
/** Texts whose tokens `tokenize` remembers: more than the passages of one embedding batch (256 by default). */
const RECENT_TOKENIZATIONS = 1024;
/** Texts whose glossary terms `findGlossaryTerms` remembers: questions, searches and follow-ups of recent turns. */
const RECENT_GLOSSARY_TEXTS = 512;

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

  // An index build tokenises each passage twice (its embedding, then its BM25 tokens, one batch apart): the latest
  // results are remembered, which halves jieba's share of a build. Callers get a copy (tokenizeQuery appends to it).
  const recentTokens = boundedMemo(RECENT_TOKENIZATIONS, (text: string): readonly string[] => cutTokens(text));
  function tokenize(text: string): string[] {
    return [...recentTokens(text)];
  }

  function cutTokens(text: string): string[] {
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

  // The embedder asks for the glossary terms of a text right after tokenizeQuery did, and the follow-up suggester for
  // those of every earlier turn of a conversation at each answer: the latest texts keep their terms (a pure function
  // of the text for this glossary).
  const rememberedGlossaryTerms = boundedMemo(RECENT_GLOSSARY_TEXTS, computeGlossaryTerms);

  function findGlossaryTerms(text: string): GlossaryTerm[] {
    return [...rememberedGlossaryTerms(text)];
  }

  function computeGlossaryTerms(text: string): readonly GlossaryTerm[] {
    const lower = text.toLowerCase();
    const found = new Set<GlossaryTerm>();
    // Longest forms first: a form found only inside a longer one's match ("model" in "pre-trained model") is not named,
    // but one that merely overlaps it is ("model as-is" beside "pretrained model" in "a pretrained model as-is").
    const taken: [number, number][] = [];
    for (const { form, pattern, term } of englishFormPatterns) {
      // A form that is not in the text cannot match its pattern; `includes` is far cheaper than the regex.
      if (!lower.includes(form)) continue;
      pattern.lastIndex = 0;
      for (const match of lower.matchAll(pattern)) {
        const start = match.index;
        const end = start + match[0].length;
        if (taken.some(([from, to]) => from <= start && end <= to)) continue;
        taken.push([start, end]);
        found.add(term);
      }
    }
    for (const term of glossary.terms) if (text.includes(term.zh)) found.add(term);
    return glossary.terms.filter((term) => found.has(term));
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

/** Words that make a question's frame English ("What does … mean?", "Explain … to me"). */
const ENGLISH_FRAME =
  /\b(?:what|whats|how|why|when|where|which|who|is|are|was|were|does|do|did|can|could|should|would|will|the|a|an|of|to|in|on|for|with|and|or|me|my|i|you|it|its|this|that|explain|mean|means|meaning|define|tell|describe|give|between|difference)\b/i;
/** Chinese frame words: question words and particles that no article term is made of. */
const CHINESE_FRAME = /什么|怎么|怎样|为什么|如何|哪|吗|呢|吧|是不是|有没有|区别|一下|请|能不能|可以|告诉|解释|举个|意思/;

/**
 * The language of a text (the one detector of the tree; the analyzer's `detectLanguage`): the language of its frame.
 * A Chinese question often names English terms ("LoRA 是什么") and an English one Chinese terms ("What does 微调
 * mean?"): when only one language has frame words (question words, particles, function words), that language wins;
 * otherwise a few CJK characters make it Chinese.
 */
export function detectLanguage(text: string): Language {
  const cjk = text.match(CJK_GLOBAL) ?? [];
  const latinCount = text.match(/[a-zA-Z]/g)?.length ?? 0;
  if (cjk.length > 0 && latinCount > 0) {
    const englishFrame = ENGLISH_FRAME.test(text);
    const chineseFrame = CHINESE_FRAME.test(cjk.join(''));
    if (englishFrame !== chineseFrame) return englishFrame ? 'en' : 'zh';
  }
  return cjk.length >= 2 || (cjk.length > 0 && cjk.length * 3 >= latinCount) ? 'zh' : 'en';
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

/**
 * Everyday words, in both languages, for a comparison told to explain something (the article's cooking analogy): a
 * question naming one ("In the cooking story…", "烹饪的故事里…", "打个比方") asks for the analogy as 比喻 and "analogy"
 * do, for coverage (an answer kind, not a topic the article lacks) and for the kind of question alike.
 */
const ANALOGY_WORDS = ['比喻', '类比', '比方', '打比方', '譬喻', '故事', 'analogy', 'metaphor', 'story', 'parable'];

const ANSWER_KIND_WORDS = [
  '例子',
  '举例',
  '举个',
  '例如',
  '比如',
  '区别',
  // 怎么区分A和B: how to tell them apart asks for their difference.
  '区分',
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
  // Asking for a risk or a comparison names the kind of answer, not a topic (evidence-cues.ts finds the sentences).
  '风险',
  '缺点',
  '不足',
  '局限',
  '弊端',
  '坏处',
  '短处',
  // A merit asked ("各有什么好处和坏处") is a respect of a comparison (aspect-words.ts MERIT), not a topic.
  '好处',
  '优点',
  '优势',
  '长处',
  '隐患',
  'risk',
  'risks',
  'downside',
  'drawback',
  'disadvantage',
  'limitation',
  'pitfall',
  'weakness',
  'shortcoming',
  // "What can go wrong?": the risk asked for, not a topic.
  'wrong',
  'compare',
  'compared',
  'comparison',
  // The frame of a definition question ("模型应用指的是什么？", "…是什么意思？"), not its topic.
  '指',
  '是指',
  '意思',
  '什么样',
  '总结',
  ...ANALOGY_WORDS,
  // What a figure stands for ("从零开始学做菜对应哪个概念？", "what does adding chili correspond to?", 调料代表什么) asks for
  // the analogy: the words the example plan reads as asking what a detail stands for.
  '对应',
  '相当于',
  '代表',
  '比作',
  'correspond',
  'corresponds',
  'represent',
  'stand',
  'equivalent',
  'example',
  'difference',
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
export const ANSWER_KIND_TERMS: ReadonlySet<string> = withStems(ANSWER_KIND_WORDS);

/** The query tokens of ANALOGY_WORDS (English ones also as stemmed): a question holding one asks for the analogy. */
export const ANALOGY_TERMS: ReadonlySet<string> = withStems(ANALOGY_WORDS);

function withStems(words: readonly string[]): ReadonlySet<string> {
  return new Set([...words, ...words.filter((word) => /^[a-z]+$/.test(word)).map(normalizeEnglishWord)]);
}
