import type { GlossaryTerm } from '../ingest/glossary.js';
import type { TextAnalyzer } from '../retrieval/text-analyzer.js';
import { isGenericConcept } from './concept-map.js';
import { termSpan } from './offline/term-spans.js';
import type { ConversationTurn } from './tutor-types.js';

/**
 * Words that name two things at once: 两者, 二者, 这两个词, "the two (terms)", "both (of them)", "either of them". Longer
 * forms first, so that the whole reference is replaced ("they both", not "they").
 */
export const PAIR_WORDS =
  /这两(?:个|种|者)?(?:词|词语|概念|术语|方法|做法|东西)|这两者|两者|二者|这俩|它俩|两个(?:词|概念|术语|方法)|\b(?:they|these|those) (?:two|both)\b|\bboth of (?:them|these|those)\b|\beither (?:one|of them|of the two)\b|\bthe two(?: (?:terms|words|concepts|methods|approaches|options|things|ideas|of them))?\b|\b(?:these|those) two(?: (?:terms|words|concepts|methods|approaches|options|things|ideas))?\b|\bboth\b|\beither\b/i;

/** A plural pronoun ("它们", "they", "them"): it names the two things only in a question that compares them. */
const PLURAL_PRONOUN = /它们|\bthey\b|\bthem\b/i;

/** What a comparison asks: how two things differ, which one, whether they are the same or share something. */
const COMPARES =
  /区别|区分|不同|不一样|差别|差异|对比|比较|哪个|哪一个|哪种|谁更|一样|相同|共同|共性|differ|difference|compar|contrast|versus|\bwhich\b|\bsame\b|similar|in common|\bshare\b|better|worse|\w{3,}er than/i;

/** Terms that can be a side: glossary terms of some weight, the most specific of a compound ("大模型微调" is 微调). */
function sidesNamed(analyzer: TextAnalyzer, text: string): GlossaryTerm[] {
  const found = analyzer.findGlossaryTerms(text).filter((term) => !isGenericConcept(term.zh));
  const placed = found
    .filter((term) => !found.some((other) => other !== term && other.zh.includes(term.zh)))
    .map((term) => ({ term, span: termSpan(text, term) }))
    .filter((entry): entry is { term: GlossaryTerm; span: { start: number; end: number } } => entry.span !== undefined)
    .sort((left, right) => left.span.start - right.span.start);
  // A Chinese term right before another one modifies it ("大模型微调" is about 微调).
  return placed
    .filter(({ span }) => !placed.some((other) => other.span.start === span.end && /[\u3400-\u9fff]/.test(text[span.end - 1] ?? '')))
    .map((entry) => entry.term);
}

/** The last two distinct sides the conversation named, in the order it named them; fewer when it named fewer. */
function lastTwoNamed(analyzer: TextAnalyzer, history: readonly ConversationTurn[]): GlossaryTerm[] {
  const mentions = history.flatMap((turn) => sidesNamed(analyzer, turn.searchedFor));
  const pair: GlossaryTerm[] = [];
  for (let index = mentions.length - 1; index >= 0 && pair.length < 2; index -= 1) {
    const term = mentions[index] as GlossaryTerm;
    if (!pair.includes(term)) pair.unshift(term);
  }
  return pair;
}

/** How a side is written in a question of the language: the Chinese term, or the English form the learner used. */
function formIn(term: GlossaryTerm, language: 'zh' | 'en', history: readonly ConversationTurn[]): string {
  if (language === 'zh' || term.en.length === 0) return term.zh;
  const said = history.map((turn) => turn.searchedFor.toLowerCase()).join('\n');
  return [...term.en].sort((left, right) => right.length - left.length).find((form) => said.includes(form)) ?? (term.en[0] as string);
}

/**
 * A question that names two things at once ("两者在训练过程上有什么不同？", "How do the two terms differ?", "Do they
 * differ in cost?" after two questions on one topic each) made standalone: the reference is replaced by the last two
 * sides the conversation named ("模型应用和微调在训练过程上…"). A plural pronoun counts only in a question that
 * compares; a question that names two sides of its own, or a conversation that named fewer than two, is left alone
 * (undefined).
 */
export function resolvePairReference(question: string, history: readonly ConversationTurn[], analyzer: TextAnalyzer): string | undefined {
  const explicit = PAIR_WORDS.exec(question);
  const pronoun = explicit ? undefined : PLURAL_PRONOUN.exec(question);
  const reference = explicit ?? (pronoun && COMPARES.test(question) ? pronoun : undefined);
  if (!reference || sidesNamed(analyzer, question).length >= (explicit ? 2 : 1)) return undefined;
  const pair = lastTwoNamed(analyzer, history);
  if (pair.length < 2) return undefined;
  const language = analyzer.detectLanguage(question);
  const [one, two] = pair.map((term) => formIn(term, language, history)) as [string, string];
  const either = /^either\b/i.test(reference[0]);
  const joined = language === 'zh' ? `${one}和${two}` : `${one} ${either ? 'or' : 'and'} ${two}`;
  return `${question.slice(0, reference.index)}${joined}${question.slice(reference.index + reference[0].length)}`;
}
