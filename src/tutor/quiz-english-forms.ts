/**
 * How a quiz names a glossary term in English: the option label, the forms a rendering may say it by, and the
 * rendering with the term blanked out.
 */
import type { Language } from '../ingest/chunk-types.js';
import type { GlossaryTerm } from '../ingest/glossary.js';
import { escapeRegExp } from '../support/escape-regexp.js';

/** What stands for the blanked term in a quiz sentence. */
export const BLANK = '＿＿＿＿';

/** A term as a choice: the Chinese term, or in English its gloss without the explaining parenthesis. */
export function optionLabel(term: GlossaryTerm, language: Language): string {
  return language === 'zh' ? term.zh : term.gloss.replace(/\s*\([^)]*\)\s*/g, ' ').trim();
}

/** The English forms of a term (its gloss and the glossary's forms), longest first. */
function englishForms(term: GlossaryTerm): string[] {
  return [...new Set([optionLabel(term, 'en'), ...term.en].map((form) => form.toLowerCase()).filter((form) => /[a-z]/.test(form)))].sort(
    (left, right) => right.length - left.length,
  );
}

function englishFormPattern(term: GlossaryTerm): RegExp | undefined {
  const forms = englishForms(term);
  return forms.length === 0 ? undefined : new RegExp(`(?<![\\w-])(?:${forms.map(escapeRegExp).join('|')})(?![\\w-])`, 'gi');
}

/** Whether an English text names the term by one of its English forms, as a whole word ("fine-tuning", not "tuning" in it). */
export function englishFormIn(term: GlossaryTerm, text: string): boolean {
  const pattern = englishFormPattern(term);
  return pattern !== undefined && new RegExp(pattern.source, 'i').test(text);
}

/** Whether an English text names the term by its option label, singular or plural ("pre-trained model(s)"). */
export function labelIn(term: GlossaryTerm, text: string): boolean {
  const label = optionLabel(term, 'en');
  return /[a-z]/i.test(label) && new RegExp(`(?<![\\w-])${escapeRegExp(label)}(?:e?s)?(?![\\w-])`, 'i').test(text);
}

/**
 * The rendering with each English form of the term blanked out. A plural of the option label keeps its ending outside
 * the blank ("large ＿＿＿＿s"), so the label read into the blank makes the sentence again.
 */
export function blankEnglish(text: string, term: GlossaryTerm): string {
  const pattern = englishFormPattern(term);
  if (!pattern) return text;
  const label = optionLabel(term, 'en').toLowerCase();
  return text.replace(pattern, (found) => {
    const ending = found.slice(label.length);
    return found.toLowerCase().startsWith(label) && /^e?s$/i.test(ending) ? `${BLANK}${ending}` : BLANK;
  });
}

/** A rendered sentence as prose: no list marker, no bold markers. */
export function plainRendering(text: string): string {
  return text
    .replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '')
    .replace(/\*\*/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** What a term names, read off the head word of its English gloss: a process, a quality of one, or a thing. */
export type TermClass = 'process' | 'quality' | 'thing';

const PROCESS_HEAD = /(?:ing|tion|sion|ment|sis)$|^(?:process|update|pass|intervention|error|adjustment)$/;
const QUALITY_HEAD = /^(?:ability|rate|performance|efficiency|effectiveness|accuracy|value|behaviou?r|similarity|quality)$/;

/**
 * The class of a term by its gloss's last word, a parenthesis left out ("model application (using…)" → application):
 * a quiz option of another class than the answer ("retraining" against "pre-trained model") gives the answer away.
 */
export function termClassOf(term: GlossaryTerm): TermClass {
  const head =
    term.gloss
      .replace(/\s*\(.*\)\s*$/, '')
      .trim()
      .toLowerCase()
      .split(/[\s-]+/)
      .at(-1) ?? '';
  return QUALITY_HEAD.test(head) ? 'quality' : PROCESS_HEAD.test(head) ? 'process' : 'thing';
}
