import type { GlossaryTerm } from '../../ingest/glossary.js';
import { type PoleWord, poleWordsOf, type Scale } from '../../retrieval/opposite-words.js';
import { ANSWER_KIND_TERMS } from '../../retrieval/text-analyzer.js';
import { boundedMemo } from '../../support/bounded-memo.js';
import { isGenericConcept } from '../concept-map.js';
import type { PlanContext } from './plan-types.js';
import { renderedSentence } from './rendering.js';
import { type EvidenceSentence, labelsOf } from './sentence-evidence.js';
import { termSpan } from './term-spans.js';

/**
 * What a yes/no question claims, split into its **topic** (the subject: the first glossary term it names) and its
 * **predicate** (what it says about the subject: content words, and pole words of everyday scales such as 更短 / "less
 * time" / 从零开始), and for a comparative question ("比模型应用更快吗", "faster than X") the **object** it is compared
 * with. A verdict rests on the predicate only: a sentence that shares the topic but not the predicate does not answer.
 */
export interface YesNoClaim {
  readonly subject: GlossaryTerm | undefined;
  /** The predicate's content words (query terms), with how much each tells sentences apart (IDF over the pool). */
  readonly words: readonly ClaimWord[];
  /** The predicate's pole words, read in the question, with the forms of the word each qualifies (很少的**计算资源**). */
  readonly poles: readonly ClaimPole[];
  /** Names (labels and English forms) of what a comparative question compares the subject with; empty when none. */
  readonly objectNames: readonly string[];
  /** Some word of the predicate is in no sentence the answer may draw on: no verdict can rest on the evidence. */
  readonly unused: boolean;
}

/** A content word of the predicate: stated when the evidence has any of its forms (the word, its glossary term's Chinese). */
export interface ClaimWord {
  readonly word: string;
  readonly forms: readonly string[];
  /** Forms that state the word negated by themselves (无需 for 需要). */
  readonly negatedForms: readonly string[];
  /**
   * Words in which the word's aspect is stated ("cheap" → time, computing resources: RetrievalResult.bridges): a
   * sentence naming one speaks to the claim, but gives no verdict by naming it ("needs substantial computing resources"
   * does not say it is cheap).
   */
  readonly respectForms: readonly string[];
  readonly weight: number;
  /**
   * Corpus words standing for a word the article does not use (算力 → 计算资源, RetrievalResult.standIns), each with
   * the share of the word's weight it carries: a bridge states the word less surely than the word itself.
   */
  readonly standIns?: readonly { readonly form: string; readonly share: number }[];
}

/** Verbs of need are one claim in either language: "require" is stated by "no retraining is needed", 需要 by 无需. */
const NEED_STEMS = ['need', 'requir', 'necessar', '需要', '必须', '必要'];
const NEED_FORMS = ['need', 'requir', 'necessar', '需要', '必须', '必要'];
const NEED_NEGATED = ['无需', '无须', '不需', '不必', '不用'];
/** 要 asked as a need, alone or after an adverb ("还要重新训练吗", "也要吗"): stated by 需要, denied by 无需. */
const CHINESE_NEED = /^(?:还|也|都|就|仍)?要$/;
const isNeedWord = (word: string): boolean => NEED_STEMS.some((stem) => word.startsWith(stem)) || CHINESE_NEED.test(word);

export interface ClaimPole extends PoleWord {
  /** Forms of the noun the pole word qualifies ("a lot of data" → data), when one follows it; see HEADED_SCALES. */
  readonly head?: readonly string[];
}

/**
 * Scales whose words qualify a noun (大量的数据, "all of the parameters"): in the evidence, their pole counts only in a
 * clause naming the same noun ("大规模语料库" says nothing on how much data fine-tuning needs).
 */
const HEADED_SCALES = new Set<Scale>(['amount', 'breadth', 'scope', 'complexity', 'change', 'quality']);
const CHINESE_HEAD_GAP = /^\s*的?\s*$/;
const ENGLISH_HEAD_GAP = /^\s*(?:(?:of|the|a|an|its|their|kinds?|types?|sorts?)\s+)*$/i;

/**
 * Words that ask rather than state ("需要…吗" keeps 需要; these carry no claim), and the copulas that only join the
 * subject to what the question says it is ("调教是不是就是调参": the claim is 调参, not 就是).
 */
const QUESTION_WORDS = new Set([
  '是不是',
  '是否',
  '能不能',
  '会不会',
  '有没有',
  '吗',
  '么',
  '要不要',
  '需不需要',
  '就是',
  '算是',
  '只是',
  '便是',
]);
/** The object of a comparison: after 比 / 不如 / than / compared with, up to the degree word or the clause's end. */
const OBJECT_SEGMENT =
  /(?:比|不如|相比于|相较于|优于)([^，,？?。]+?)(?=更|较|还|要|[，,？?。]|$)|(?:和|与|跟)([^，,？?。]+?)相比|\b(?:than|compared (?:with|to)|versus|vs\.?)\s+([^,?.;]+)/gi;
const WEIGHT_FLOOR = 0.2;
/** English verbs that carry no claim of their own ("take less time", "is it done", "make large adjustments", "can it happen at any stage"), as stems. */
const LIGHT_VERBS = new Set([
  'do',
  'doe',
  'did',
  'don',
  'mak',
  'made',
  'tak',
  'took',
  'get',
  'got',
  'hav',
  'ha',
  'had',
  'been',
  'be',
  'happen',
  'occur',
  'occurr',
]);

/** English glossary forms that are names, not qualities ("large model"): their pole words are not claims. */
const maskedFormsByGlossary = new WeakMap<readonly GlossaryTerm[], readonly string[]>();
function maskedForms(glossary: readonly GlossaryTerm[]): readonly string[] {
  let forms = maskedFormsByGlossary.get(glossary);
  if (!forms) {
    // A term whose Chinese form carries no pole word (大模型: 大 stands in a name) is a name in English too.
    forms = glossary
      .filter((term) => poleWordsOf(term.zh).length === 0)
      .flatMap((term) => term.en.filter((form) => form.includes(' ') || form.includes('-')))
      .sort((left, right) => right.length - left.length);
    maskedFormsByGlossary.set(glossary, forms);
  }
  return forms;
}

/**
 * The pole words of a text, names of the glossary left out. Remembered per glossary for the latest texts: the plan
 * reads every candidate sentence once per pole of the claim, and the same passages come back across questions.
 */
export function polesIn(text: string, glossary: readonly GlossaryTerm[]): readonly PoleWord[] {
  let polesOfText = polesByGlossary.get(glossary);
  if (!polesOfText) polesByGlossary.set(glossary, (polesOfText = boundedMemo(4000, (key: string) => maskedPoles(key, glossary))));
  return polesOfText(text);
}
const polesByGlossary = new WeakMap<readonly GlossaryTerm[], (text: string) => readonly PoleWord[]>();

function maskedPoles(text: string, glossary: readonly GlossaryTerm[]): readonly PoleWord[] {
  let masked = text;
  const lower = text.toLowerCase();
  for (const form of maskedForms(glossary)) {
    for (let at = lower.indexOf(form); at >= 0; at = lower.indexOf(form, at + form.length))
      masked = `${masked.slice(0, at)}${' '.repeat(form.length)}${masked.slice(at + form.length)}`;
  }
  return poleWordsOf(masked);
}

/** The segments of a question that name the object of its comparison, with their offsets. */
function objectSegments(question: string): { start: number; end: number; text: string }[] {
  const segments: { start: number; end: number; text: string }[] = [];
  for (const match of question.matchAll(OBJECT_SEGMENT)) {
    const text = match[1] ?? match[2] ?? match[3] ?? '';
    const start = (match.index ?? 0) + match[0].indexOf(text);
    segments.push({ start, end: start + text.length, text });
  }
  return segments;
}

/** A term's names: its Chinese form and head word (labelsOf), its English forms in lower case. */
export const namesOf = (term: GlossaryTerm): string[] => [...labelsOf(term.zh), ...term.en.map((form) => form.toLowerCase())];

/**
 * Splits a yes/no question (its main clause: see mainClauseOf) into subject, predicate and object. `scope`: terms the
 * question joins as alternatives, which belong to neither.
 */
export function splitClaim(context: PlanContext, mainClause: string, scope: readonly GlossaryTerm[] = []): YesNoClaim {
  const subject = context.topics[0];
  const segments = objectSegments(mainClause);
  const inObject = (span: { start: number; end: number } | undefined): boolean =>
    span !== undefined && segments.some((segment) => span.start >= segment.start && span.start < segment.end);
  // 训练 of "training from scratch" is too general to say what is compared: the specific terms of the object do.
  const named = context.glossary.filter((term) => term !== subject && inObject(termSpan(mainClause, term)));
  const specific = named.filter((term) => !isGenericConcept(term.zh));
  const objects = specific.length > 0 ? specific : named;
  const objectNames = [
    ...objects.flatMap((term) => [term.zh, ...term.en.map((form) => form.toLowerCase())]),
    // A head word the article uses as a label (直接应用 → 应用) names its term too.
    ...[...context.termLabels].filter((label) => segments.some((segment) => segment.text.includes(label))),
  ];
  // Alternatives the question joins ("for model application or fine-tuning") are its scope, not its claim.
  const subjectNames = [...(subject ? [subject] : []), ...scope].flatMap(namesOf);
  // The predicate is what is left of the clause once the object's names are taken out ("比微调好" keeps 好).
  let predicate = mainClause;
  const blank = (start: number, end: number): void => {
    predicate = `${predicate.slice(0, start)}${' '.repeat(end - start)}${predicate.slice(end)}`;
  };
  for (const term of objects) {
    const span = termSpan(mainClause, term);
    if (span) blank(span.start, span.end);
  }
  for (const segment of segments) {
    // An English comparison names its object after the predicate ("pricier than using a pre-trained model directly"):
    // the whole of it is the object, its other words ("directly") too.
    if (!/[\u3400-\u9fff]/.test(segment.text)) blank(segment.start, segment.end);
    for (const label of context.termLabels) {
      const at = segment.text.indexOf(label);
      if (at >= 0) blank(segment.start + at, segment.start + at + label.length);
    }
  }
  const poles = polesIn(predicate, context.glossary).filter(
    (pole) => !subjectNames.some((name) => name.includes(pole.word) && name.length > pole.word.length),
  );
  const lowerPredicate = predicate.toLowerCase();
  const sentences = context.pool;
  const usedByPassages = (term: string): boolean => sentences.some((sentence) => sentence.chunk.text.includes(term));
  const overlapsUsedTerm = (term: string): boolean => overlappingWindows(lowerPredicate, term).some(usedByPassages);
  const candidates = context.queryTerms.filter(
    (term) =>
      !ANSWER_KIND_TERMS.has(term) &&
      !QUESTION_WORDS.has(term) &&
      !LIGHT_VERBS.has(term) &&
      ![...subjectNames, ...objectNames].some((name) => name.includes(term) || term.includes(name)) &&
      [...term].length >= (/^[a-z]/i.test(term) ? 3 : 2) &&
      lowerPredicate.includes(term) &&
      // A word inside a pole word is the pole's ("时间" of 省时间, "time" of "less time").
      !poles.some((pole) => pole.word.includes(term) || term.includes(pole.word)) &&
      // A Chinese word the passages never use is a general word (时候, 调整 where no passage in reach says it) or a
      // segmentation artefact cut across or around a word they do use ("会过" of 会过拟合, 准确率 beside 准确), not a claim.
      // A word the whole article never uses (忘掉) is: a claim the article never makes, so no verdict rests on it (`unused`).
      (/^[a-z]/i.test(term) || usedByPassages(term) || (!context.corpusUses(term) && !overlapsUsedTerm(term))),
  );
  const headed = poles.map((pole): ClaimPole => {
    if (!HEADED_SCALES.has(pole.scale)) return pole;
    const head = headAfter(predicate, pole.end, [...candidates, ...context.glossary.flatMap((term) => [term.zh, ...term.en])]);
    if (!head) return pole;
    const term = context.glossary.find((entry) => entry.zh === head || entry.en.includes(head));
    // A noun the article does not use (很好的显卡) is named there by the corpus words standing for it (GPU).
    const standIns = (context.standIns?.get(head) ?? []).map((standIn) => standIn.term);
    return { ...pole, head: term ? [term.zh, ...term.en] : [head, ...standIns] };
  });
  // An English word of a glossary term the predicate names is stated by the term's Chinese too ("retrain" by 重新训练).
  const inPredicate = context.glossary.filter((term) => term !== subject && termSpan(predicate, term) !== undefined);
  const words = [...new Set(candidates)].map((word): ClaimWord => {
    const containing = sentences.filter((sentence) => sentence.terms.has(word)).length;
    const forms = [
      word,
      ...(isNeedWord(word) ? NEED_FORMS : []),
      ...(/^[a-z]/.test(word) ? inPredicate.filter((term) => term.en.some((form) => form.includes(word))).map((term) => term.zh) : []),
    ];
    // An everyday word the article does not use is stated by the corpus words standing for it (算力 by 计算资源).
    const standIns = (context.standIns?.get(word) ?? []).map((standIn) => ({ form: standIn.term, share: standIn.weight }));
    const negatedForms = isNeedWord(word) ? NEED_NEGATED : [];
    return {
      word,
      forms: [...new Set(forms)],
      negatedForms,
      respectForms: context.bridges?.get(word) ?? [],
      weight: Math.max(WEIGHT_FLOOR, Math.log((sentences.length + 1) / (containing + 1))),
      ...(standIns.length > 0 ? { standIns } : {}),
    };
  });
  // A word of the predicate that no sentence in reach uses ("labelled" of "labelled data") is a claim the article does
  // not make: no sentence can carry the whole predicate.
  // Each sentence's texts once, not once per word and form.
  const lowerTexts = new Map<EvidenceSentence, string>();
  const textsOfSentence = (sentence: EvidenceSentence): string => {
    let lower = lowerTexts.get(sentence);
    if (lower === undefined) lowerTexts.set(sentence, (lower = `${sentence.text}\n${renderedSentence(sentence) ?? ''}`.toLowerCase()));
    return lower;
  };
  const unused = words.some(
    ({ forms, respectForms, standIns }) =>
      !sentences.some((sentence) =>
        [...forms, ...respectForms, ...(standIns ?? []).map((standIn) => standIn.form)].some((form) =>
          textsOfSentence(sentence).includes(form.toLowerCase()),
        ),
      ),
  );
  return { subject, words, poles: headed, objectNames, unused };
}

/**
 * The strings of two or three characters of the text that share a character with an occurrence of the word, other
 * than the word itself: 过拟 and 过拟合 for 会过 in 会过拟合, 准确 inside 准确率.
 */
function overlappingWindows(text: string, word: string): string[] {
  const windows = new Set<string>();
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1))
    for (let start = Math.max(0, at - 2); start < at + word.length; start += 1)
      for (let length = 2; length <= 3; length += 1) {
        const end = start + length;
        if (end <= at || end > text.length) continue;
        const window = text.slice(start, end);
        if (window !== word && /^[\u4e00-\u9fff]+$/.test(window)) windows.add(window);
      }
  return [...windows];
}

/** The word right after a pole word (past 的 / "of the"), among the given words: the noun it qualifies. */
function headAfter(text: string, at: number, words: readonly string[]): string | undefined {
  const lower = text.toLowerCase();
  let best: { word: string; start: number } | undefined;
  for (const word of words) {
    const wanted = word.toLowerCase();
    const start = lower.indexOf(wanted, at);
    if (start < 0 || wanted.length < 2) continue;
    const gap = lower.slice(at, start);
    if (!(CHINESE_HEAD_GAP.test(gap) || ENGLISH_HEAD_GAP.test(gap))) continue;
    if (/^[a-z]/.test(wanted) && /[a-z]/.test(lower[start - 1] ?? '')) continue;
    if (!best || start < best.start || (start === best.start && wanted.length > best.word.length)) best = { word, start };
  }
  return best?.word;
}
