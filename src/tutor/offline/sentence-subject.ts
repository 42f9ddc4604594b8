import type { GlossaryTerm } from '../../ingest/glossary.js';
import { SHARED_HEADING } from '../../retrieval/evidence-cues.js';
import { conditionalConsequence } from '../../retrieval/side-pairs.js';
import { ANSWER_KIND_TERMS } from '../../retrieval/text-analyzer.js';
import { isGenericConcept } from '../concept-map.js';
import { antecedentOf } from './antecedent-sentences.js';
import { titleSides } from './contrast-sides.js';
import type { PlanContext } from './plan-types.js';
import { type EvidenceSentence, labelsOf, passageSentenceSpans, plain, pointsBack, statementOf } from './sentence-evidence.js';

/**
 * What a sentence is about, read off its structure: the term(s) its first clause opens with ("调教这个词通常更广义",
 * "**应用**:…", "在某些情况下,"调教"可能还指的是…", "模型应用和大模型微调是…"); else, for a sentence that points back
 * ("这可以包括…"), what the sentence before it is about; else the one term of the heading or title it stands under
 * ("### 调教"). A sentence of a section on what two things share ("共性: 都需要较高的计算资源") is about each thing its
 * document's title joins. A yes/no verdict rests only on a sentence about the asked term: the 共性 line of a note on
 * 模型应用 and 微调 says nothing of 调教.
 */
export function speaksOf(context: PlanContext, sentence: EvidenceSentence, term: GlossaryTerm): boolean {
  const names = labelsOf(term.zh);
  const sameTerm = (found: GlossaryTerm): boolean => found === term || names.includes(found.zh);
  if (sentence.chunk.headingPath.some((heading) => SHARED_HEADING.test(heading)))
    return titleSides(sentence.chunk.title, context.glossary).some(sameTerm);
  const subjects = subjectsOf(context, sentence, 2);
  if (subjects) return subjects.some(sameTerm);
  for (const heading of [...sentence.chunk.headingPath].reverse().concat(sentence.chunk.title)) {
    const heads = titleSides(heading, context.glossary).filter((found) => !ANSWER_KIND_TERMS.has(found.zh));
    if (heads.length > 0) return heads.length === 1 && heads.some(sameTerm);
  }
  return false;
}

/** The terms a sentence opens with, or those of the sentence it points back to (up to `depth` steps); undefined when none. */
function subjectsOf(context: PlanContext, sentence: EvidenceSentence, depth: number): GlossaryTerm[] | undefined {
  const statement = plain(statementOf(sentence));
  // "如果是在…的训练,使用微调": the consequence names what the sentence says something of.
  const consequence = conditionalConsequence(statement);
  const opening = openingTerms(statement, context.glossary) ?? (consequence ? openingTerms(consequence, context.glossary) : undefined);
  if (opening || depth === 0 || !(pointsBack({ text: statement }) || EXAMPLE.test(statement))) return opening;
  const previous = sentenceBefore(context, sentence);
  return previous ? subjectsOf(context, previous, depth - 1) : undefined;
}

/** An example ("例如,一个…模型,可能需要通过微调…") illustrates what the sentence before it says: it is about the same. */
const EXAMPLE = /^(?:例如|比如|譬如|举例来说|for example|for instance)/i;

/**
 * The sentence before one in its passage (read from the passage itself), or the last of the passage before it in the
 * pool under the same headings (a sentence opening a section points back to nothing of the section before).
 */
function sentenceBefore(context: PlanContext, sentence: EvidenceSentence): EvidenceSentence | undefined {
  const index = sentence.indexes[0] as number;
  if (index === 0) {
    const previous = antecedentOf(context, sentence);
    const sameSection = previous?.chunk.headingPath.join('\u0000') === sentence.chunk.headingPath.join('\u0000');
    return sameSection ? previous : undefined;
  }
  const span = passageSentenceSpans(sentence.chunk)[index - 1];
  if (!span) return undefined;
  const text = sentence.chunk.text.slice(span.start - sentence.chunk.start, span.end - sentence.chunk.start);
  return { ...sentence, indexes: [index - 1], start: span.start, end: span.end, text };
}

const CLAUSES = /[^,，;；:：。！？!?]+/g;
const OPENING_MARKS = /^[\s"'“”‘’「」『』(（]+/;
/** What may stand between a term and the rest of its name: a closing quote, a gloss in brackets ("微调(Fine-tuning)"). */
const AFTER_NAME = /^["'”’」』]*(?:\s*[(（][^)）]{0,24}[)）])?["'“”‘’「」『』]*/;
const JOINER = /^(?:以及|或者|还是|和|与|跟|及|、|或)["'“”‘’「」『』]*/;

/**
 * The terms the first clause that opens with one names at its start, joined ones too ("模型应用和大模型微调是…": 模型应用,
 * 大模型, 微调). A clause opening with no term ("在某些情况下", "对于大模型来说", "例如") is a frame: the next one is read.
 * Generic words (效果, 参数) and answer-kind words name no subject. A term's head word alone (应用 of 模型应用) counts
 * only as a label, the whole clause ("**应用**:…").
 */
function openingTerms(text: string, glossary: readonly GlossaryTerm[]): GlossaryTerm[] | undefined {
  const names = namesOf(glossary);
  for (const match of text.matchAll(CLAUSES)) {
    const clause = match[0].replace(OPENING_MARKS, '').trim();
    const found: GlossaryTerm[] = [];
    let at = 0;
    for (;;) {
      const name = names.find(({ label, head }) => clause.startsWith(label, at) && (!head || clause.length === label.length));
      if (!name) break;
      found.push(name.term);
      at += name.label.length;
      at += AFTER_NAME.exec(clause.slice(at))?.[0].length ?? 0;
      const joiner = JOINER.exec(clause.slice(at));
      if (joiner && names.some(({ label, head }) => !head && clause.startsWith(label, at + joiner[0].length))) at += joiner[0].length;
    }
    if (found.length > 0) return found;
  }
  return undefined;
}

interface TermName {
  readonly label: string;
  readonly term: GlossaryTerm;
  /** A head word (应用 of 模型应用), not the term's own name. */
  readonly head: boolean;
}

/** The names of the glossary's specific terms, longest first (so 模型应用 is read before 模型), per glossary. */
const namesByGlossary = new WeakMap<readonly GlossaryTerm[], readonly TermName[]>();
function namesOf(glossary: readonly GlossaryTerm[]): readonly TermName[] {
  let names = namesByGlossary.get(glossary);
  if (!names) {
    names = glossary
      .filter((term) => !isGenericConcept(term.zh) && !ANSWER_KIND_TERMS.has(term.zh))
      .flatMap((term) => labelsOf(term.zh).map((label) => ({ label, term, head: label !== term.zh })))
      .sort((left, right) => right.label.length - left.label.length);
    namesByGlossary.set(glossary, names);
  }
  return names;
}
