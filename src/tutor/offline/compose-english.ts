import type { GlossaryTerm } from '../../ingest/glossary.js';
import { endsSentence, isListLine, joinTold, type LaidOutBlock, type MarkedGroup, markerOf } from './answer-layout.js';
import type { AnswerPlan } from './plan-types.js';
import { renderedSentence } from './rendering.js';
import { prose } from './sentence-evidence.js';
import { yesNoLead } from './yes-no-frames.js';

/**
 * A term named in English prose: its gloss in bold, the Chinese term after it. A gloss that explains itself in brackets
 * ("model application (using a pre-trained model as is)") shares one bracket with the term instead of two in a row.
 */
const gloss = (term: GlossaryTerm): string => {
  if (term.en.length === 0) return term.zh;
  const explained = /^(.+?)\s*\(([^()]+)\)$/.exec(term.gloss.trim());
  return explained ? `**${explained[1]}** (${term.zh}, ${explained[2]})` : `**${term.gloss}** (${term.zh})`;
};
const both = (topics: readonly GlossaryTerm[]): string => topics.slice(0, 2).map(gloss).join(' and ');

/** What the article does not state, when a risk, reason or example was asked for and none is in reach. */
const UNMET_EN: Partial<Record<AnswerPlan['kind'], string>> = {
  risk: 'The article names no risk or limit here',
  reason: 'The article gives no reason outright',
  example: 'The article gives no example of this',
};

/** The opening of an English answer: a generic frame for the plan's kind. `quoting`: the passages stay in Chinese. */
function leadFor(plan: AnswerPlan, quoting: boolean): string {
  const [first] = plan.topics;
  const named = both(plan.topics);
  const inWords = quoting ? ' In its own words:' : '';
  // A term the article names without defining it.
  if (plan.unmet && plan.kind === 'definition' && first)
    return `The article does not define ${gloss(first)} as such; ${plan.within ? `it mentions it when discussing ${gloss(plan.within)}:` : 'where it mentions it:'}`;
  if (plan.unmet)
    return `${UNMET_EN[plan.kind] ?? 'The article does not answer this outright'}${named ? `; what it says about ${named}:` : '; what it says:'}`;
  if (plan.unpaired && plan.topics.length >= 2) return `The article does not compare ${named} directly; what it says about each:`;
  switch (plan.kind) {
    case 'simpler':
      return named ? `In short, on ${named}:` : 'In short:';
    case 'difference':
    case 'aspect':
      if (plan.shared && plan.topics.length >= 2) return `What ${named} have in common, as the article puts it:${inWords}`;
      if (plan.sameness && plan.topics.length >= 2) return `Not quite the same: the article tells ${named} apart.${inWords}`;
      return plan.topics.length >= 2 ? `The article contrasts ${named}.${inWords}` : `Here is the difference the article draws:`;
    case 'definition':
      return first ? `What is ${gloss(first)}? The article says:` : 'The article says:';
    case 'example':
      return first ? `The article illustrates ${gloss(first)} with an example:` : 'The article gives this example:';
    case 'analogy':
      return named ? `The article explains ${named} with an analogy:` : "Here is the article's analogy:";
    case 'reason':
      return 'The article gives this reasoning:';
    case 'risk':
      return named ? `On the limits and risks of ${named}, the article says:` : 'On the limits and risks, the article says:';
    case 'which':
      return "Here is the article's recommendation:";
    case 'summary':
      return "Here is the article's own summary:";
    case 'yesno':
      return yesNoLead(plan, 'en');
    default:
      return named ? `Here is how the article explains ${named}:` : 'Here is what the article says about this:';
  }
}

/** A group in English when every sentence of it has a rendering; undefined otherwise. */
function renderedGroup(group: MarkedGroup): string | undefined {
  const rendered = group.sentences.map(renderedSentence);
  if (rendered.some((text) => text === undefined)) return undefined;
  // A rendered list item has no end punctuation of its own: it is a list item, on its own line, as in the article.
  const text = joinTold(
    group.sentences.map((sentence, index) => ({ text: rendered[index] as string, listed: isListLine(sentence.text) })),
    ' ',
  );
  return `${text}${markerOf(group, true)}`;
}

/** Whether a block opens with a lead-in joined with the sentence it introduces. */
const leadsIn = (block: LaidOutBlock): boolean => (block.groups[0]?.sentences[0]?.indexes.length ?? 0) >= 2;

function blockFrame(block: LaidOutBlock, plan: AnswerPlan, text: string): string {
  switch (block.role) {
    case 'side':
      // A sentence that opens with the article's own label ("Application: …") names its side already, and so does a
      // lead-in joined with its sentence ("In machine learning, … is similar: Fine-tuning usually …").
      return block.topic &&
        block.topic.en.length > 0 &&
        !text.toLowerCase().startsWith(block.topic.gloss.toLowerCase()) &&
        !(leadsIn(block) && text.toLowerCase().includes(`: ${block.topic.gloss.toLowerCase()}`)) &&
        !/^[A-Z][\w -]{0,30}(?:\([^)]*\))?:/.test(text)
        ? `On ${gloss(block.topic)}:${text.startsWith('- ') ? '\n' : ' '}`
        : '';
    case 'summary':
      return plan.kind === 'summary' ? '' : "The article's own summary:\n";
    case 'context':
      return 'What it illustrates: ';
    default:
      return '';
  }
}

/**
 * An English answer. Passages with an aligned English rendering are told in English (and cited as the original);
 * the others are quoted in the original Chinese, with the key terms glossed and a note saying so.
 */
export function composeEnglish(plan: AnswerPlan, blocks: readonly LaidOutBlock[], quotedTerms: readonly GlossaryTerm[]): string {
  let quoting = false;
  const paragraphs = blocks.map((block) => {
    const parts = block.groups.map((group) => {
      const rendered = renderedGroup(group);
      if (rendered !== undefined) return { text: rendered, quoted: false };
      quoting = true;
      let quoted = '';
      for (const sentence of group.sentences) quoted += `${quoted === '' || endsSentence(quoted) ? '' : '\n> '}${prose(sentence.text)}`;
      return { text: `> ${quoted}${markerOf(group, true)}`, quoted: true };
    });
    const quotedBlock = parts.some((part) => part.quoted);
    // A part that opens or closes a list (rendered list items) keeps the list on lines of its own.
    const listEdge = (before: string, after: string): boolean => after.startsWith('- ') || /(?:^|\n)- [^\n]*$/.test(before);
    const joined = parts
      .map((part) => part.text)
      .reduce(
        (text, part, index) => (index === 0 ? part : `${text}${quotedBlock ? '\n>\n' : listEdge(text, part) ? '\n' : ' '}${part}`),
        '',
      );
    const frame = blockFrame(block, plan, joined);
    return parts[0]?.quoted && frame !== '' ? `${frame.trim()}\n\n${joined}` : `${frame}${joined}`;
  });
  const lead = leadFor(plan, quoting);
  paragraphs.push(...(plan.silent ?? []).map((term) => `As for ${gloss(term)}, the article does not say.`));
  if (!quoting) return `${lead}\n\n${paragraphs.join('\n\n')}`;
  const keyTerms = [...plan.topics.filter((term) => term.en.length > 0), ...quotedTerms.filter((term) => !plan.topics.includes(term))]
    .filter((term, index, all) => all.indexOf(term) === index && !all.some((other) => other !== term && other.zh.includes(term.zh)))
    .slice(0, 6)
    .map((term) => `${term.zh} = ${term.gloss}`);
  const glossary = keyTerms.length > 0 ? `\n\nKey terms: ${keyTerms.join(' · ')}` : '';
  return `${lead}\n\n${paragraphs.join('\n\n')}${glossary}\n\n(The passages are quoted in the article's original Chinese: there is no English rendering of them yet.)`;
}
