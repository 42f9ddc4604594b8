import type { GlossaryTerm } from '../../ingest/glossary.js';
import { asksMerit, asksToCompare, namesRespect } from '../../retrieval/aspect-words.js';
import type { QuestionIntent } from '../question-intent.js';
import { joinedSides, parallelSides } from './contrast-sides.js';
import type { PlanKind } from './plan-types.js';

/** How two things relate ("调教和强化学习有什么关系") is asked of the sentence linking them, not of each side. */
const RELATION = /关系|关联|联系|\brelat(?:e|es|ed|ion|ionship)\b|\bconnect(?:ed|ion)?\b|\blink(?:ed)?\b/i;

/** Kinds that do not ask for anything of their own beyond their topics: two joined topics make them a contrast. */
const OPEN_KINDS: ReadonlySet<QuestionIntent> = new Set(['general', 'how', 'definition']);

/**
 * The plan kind of a question: its intent, except that a question joining two topics as sides ("微调跟调教差在哪",
 * "How do I tell fine-tuning and tuning apart?", "What are fine-tuning and tuning?") and asking nothing else asks how
 * they differ: the sides come from the term set, whatever words frame the question.
 */
export function kindFor(intent: QuestionIntent, query: string, topics: readonly GlossaryTerm[]): PlanKind {
  if (intent === 'general' && topics.length === 1 && namesOnly(query, topics[0] as GlossaryTerm)) return 'definition';
  if (RELATION.test(query)) return intent;
  // A respect named in a question that compares ("直接用现成的模型，速度上有什么好处？": a merit is a merit over something),
  // or a merit in a named respect asked as a "what is" ("What is the speed benefit of…"), is asked in the section headed
  // by that respect: the aspect plan's. A merit alone ("微调有什么好处？") stays the topic's own statement.
  if (namesRespect(query) && (intent === 'general' ? asksToCompare(query) : intent === 'definition' && asksMerit(query))) return 'aspect';
  if (OPEN_KINDS.has(intent) && joinedSides({ query, topics })) return 'difference';
  // The same question put to each side in a clause of its own ("What does X depend on, and what does Y depend on?",
  // "微调可能会过拟合，那模型应用的效果有什么局限？") compares them in that respect.
  return (OPEN_KINDS.has(intent) || intent === 'risk') && parallelSides({ query, topics }) ? 'aspect' : intent;
}

/**
 * A question that is the term alone ("微调？", "fine-tuning?", "tuning = ?"): the learner asks what it is. Its forms
 * removed (longest first), only punctuation, spaces and signs are left.
 */
function namesOnly(query: string, term: GlossaryTerm): boolean {
  let rest = query.toLowerCase();
  for (const form of [term.zh, ...term.en].map((name) => name.toLowerCase()).sort((left, right) => right.length - left.length))
    rest = rest.split(form).join(' ');
  return rest !== query.toLowerCase() && !/[\p{L}\p{N}]/u.test(rest);
}
