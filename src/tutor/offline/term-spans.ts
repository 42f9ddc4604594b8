import type { GlossaryTerm } from '../../ingest/glossary.js';
import { boundedMemo } from '../../support/bounded-memo.js';

/** Where a term stands in a text: offsets of its earliest form (read only: the span is remembered and shared). */
export type TermSpan = { readonly start: number; readonly end: number };

/**
 * Where a term stands in a question: its earliest form (the Chinese term or an English form, any case), or undefined.
 * Remembered per text and term for the latest texts: a yes/no plan looks up every glossary term in its question, and
 * the plans and the topic reading ask the same again within one answer.
 */
export function termSpan(query: string, term: GlossaryTerm): TermSpan | undefined {
  const known = spansInText(query);
  let span = known.spans.get(term);
  if (span === undefined && !known.spans.has(term)) known.spans.set(term, (span = findTermSpan(known.lower, term)));
  return span;
}
const spansInText = boundedMemo(200, (text: string) => ({
  lower: text.toLowerCase(),
  spans: new Map<GlossaryTerm, TermSpan | undefined>(),
}));

/** A term's forms (the Chinese term, then its English forms) and the same lower-cased, per term. */
const formsByTerm = new WeakMap<GlossaryTerm, { readonly forms: readonly string[]; readonly lower: readonly string[] }>();
function formsOf(term: GlossaryTerm): { readonly forms: readonly string[]; readonly lower: readonly string[] } {
  let found = formsByTerm.get(term);
  if (!found) {
    const forms = [term.zh, ...term.en];
    formsByTerm.set(term, (found = { forms, lower: forms.map((form) => form.toLowerCase()) }));
  }
  return found;
}

function findTermSpan(lower: string, term: GlossaryTerm): TermSpan | undefined {
  const { forms, lower: wantedForms } = formsOf(term);
  let best: { start: number; end: number } | undefined;
  for (let position = 0; position < forms.length; position += 1) {
    const form = forms[position] as string;
    const wanted = wantedForms[position] as string;
    let start = lower.indexOf(wanted);
    // An English form stands alone: "tuning" inside "fine-tuning" is not the term 调教.
    if (/^[a-z]/.test(wanted))
      while (start >= 0 && (/[a-z-]/.test(lower[start - 1] ?? '') || /[a-z]/.test(lower[start + wanted.length] ?? '')))
        start = lower.indexOf(wanted, start + 1);
    if (start >= 0 && (!best || start < best.start || (start === best.start && start + form.length > best.end)))
      best = { start, end: start + form.length };
  }
  return best;
}
