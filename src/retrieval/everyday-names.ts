import type { GlossaryTerm } from '../ingest/glossary.js';

/**
 * Reads a question with the article's terms in place of their everyday names (the glossary's `everyday` forms: 学过头
 * for 过拟合, 算力 for 计算资源, 火候 for 温度). It runs before anything else reads the question, so every later stage
 * (typos, follow-ups, evidence cues, side pairs, coverage) meets the article's own word, as an English question meets
 * it through the glossary's `en` forms, and the learner sees the word in "searched for". A curated name counts as the
 * term itself, unlike a CC-CEDICT bridge, which shares a sense only and is weighed below an exact match.
 *
 * A form is read as its term only where it stands as words of the question: not across a word boundary jieba sees
 * (硬件 inside 软硬件), not across a glossary term the question writes (调优 across 微调|优化; 训练 inside 再训练 is part of it). A form the corpus
 * itself writes is no alias: the corpus's words are searched as written.
 */
export type EverydayNameReader = (question: string) => string;

export interface EverydayNameReaderDeps {
  readonly terms: readonly GlossaryTerm[];
  /** Whether some document writes the text (its original, not a rendering). */
  readonly writtenByCorpus: (text: string) => boolean;
  /** Cuts a question into words (jieba, exact mode). */
  readonly cut: (text: string) => readonly string[];
}

interface Span {
  readonly start: number;
  readonly end: number;
}

const CJK = /[\u3400-\u9fff]/;

export function createEverydayNameReader(deps: EverydayNameReaderDeps): EverydayNameReader {
  // Longest first, so 已经训练好的模型 is read before 训练好的模型 could be.
  const names = deps.terms
    .flatMap((term) => (term.everyday ?? []).map((form) => ({ form, term: term.zh })))
    .filter(({ form, term }) => form !== term && CJK.test(form) && !deps.writtenByCorpus(form))
    .sort((left, right) => right.form.length - left.form.length);
  const chineseTerms = deps.terms.map((term) => term.zh).filter((zh) => CJK.test(zh));
  if (names.length === 0) return (question) => question;

  return (question) => {
    const present = names.filter(({ form }) => question.includes(form));
    if (present.length === 0) return question;
    const boundaries = wordBoundaries(deps.cut(question));
    const written = chineseTerms.flatMap((term) => occurrences(question, term));
    const taken: (Span & { readonly term: string })[] = [];
    for (const { form, term } of present) {
      for (const span of occurrences(question, form)) {
        if (!boundaries.has(span.start) || !boundaries.has(span.end)) continue;
        if (taken.some((other) => overlaps(other, span))) continue;
        // A term inside the form is part of it (训练 of 再训练); one across its edge is the question's own word.
        if (written.some((other) => overlaps(other, span) && (other.start < span.start || other.end > span.end))) continue;
        taken.push({ ...span, term });
      }
    }
    if (taken.length === 0) return question;
    taken.sort((left, right) => left.start - right.start);
    let read = '';
    let at = 0;
    for (const span of taken) {
      read += question.slice(at, span.start) + span.term;
      at = span.end;
    }
    return read + question.slice(at);
  };
}

/** The offsets where a cut's words start or end (UTF-16 units, as the question is indexed). */
function wordBoundaries(words: readonly string[]): Set<number> {
  const boundaries = new Set<number>([0]);
  let at = 0;
  for (const word of words) {
    at += word.length;
    boundaries.add(at);
  }
  return boundaries;
}

function overlaps(left: Span, right: Span): boolean {
  return left.start < right.end && right.start < left.end;
}

function occurrences(text: string, form: string): Span[] {
  const spans: Span[] = [];
  for (let at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + 1)) spans.push({ start: at, end: at + form.length });
  return spans;
}
