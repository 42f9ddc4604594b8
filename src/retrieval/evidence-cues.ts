/**
 * The kind of evidence a question asks for, as ranking sees it: a definition wants the sentence that defines its topic,
 * an example question the sentence that gives one ("例如…", "for example…"), a risk question the sentence that says what
 * may go wrong ("但也可能…", "may also…"), a why question the sentence that gives a reason ("因为…", "because…").
 *
 * This is deliberately not the answer plan's intent (src/tutor/question-intent.ts, which sits above retrieval and
 * chooses how an answer is written): ranking only needs to know which discourse cues make a sentence the right evidence,
 * in the original and in its English rendering alike, so the cues here are bilingual and the kinds few.
 */
export type EvidenceKind = 'definition' | 'example' | 'risk' | 'reason' | 'summary' | 'comparison';

/** Checked in order: the first kind whose question pattern matches wins ("为什么有风险" asks for a reason). */
const QUESTION_PATTERNS: readonly (readonly [EvidenceKind, RegExp])[] = [
  ['summary', /总结|概括|归纳|\bsum (?:it )?up\b|summar|\bin short\b|in a nutshell/i],
  ['reason', /为什么|为何|原因|\bwhy\b|\breasons?\b/i],
  ['comparison', /哪(?:个|一个|种)[^，。？?]{0,12}更|\bwhich\b.*\b(?:more|less|better|worse|broader|narrower|faster|slower)\b/i],
  [
    'risk',
    /风险|缺点|坏处|弊端|局限|不足|代价|带来什么问题|\brisks?\b|downsides?|drawbacks?|disadvantages?|limitations?|pitfalls?|go wrong/i,
  ],
  ['example', /例子|举例|举个|\bexamples?\b|for instance/i],
  [
    'definition',
    /是什么意思|什么是|是什么[？?]?$|指的是什么|指什么|含义是|定义|^what(?: i|')s\b|what does .+ mean|\bdefine\b|definition of|meaning of/i,
  ],
];

/** Sentence cues of each kind, in Chinese and English (sentences are matched with their aligned rendering). */
const SENTENCE_CUES: Readonly<Record<Exclude<EvidenceKind, 'definition' | 'summary'>, RegExp>> = {
  example: /例如|比如|譬如|举例|假设|想象|\bfor example\b|\bfor instance\b|\bsuch as\b|\be\.g\.|\bsuppose\b|\bimagine\b/i,
  risk: /但也?可能|可能会?导致|不如|风险|局限|缺点|弊端|过拟合|\bbut (?:it )?(?:may|might|could)\b|\bmay (?:also )?(?:lead|cause|result)\b|\brisks?\b|overfit|not as good|drawbacks?|downsides?|limitations?/i,
  comparison: /更|较|优于|不如|\bmore\b|\bless\b|\bbetter\b|\bworse\b|\b\w{3,}er than\b|\bbroader\b/i,
  reason: /因为|由于|所以|因此|为了|旨在|\bbecause\b|\bsince\b|\bso that\b|\bin order to\b|\btherefore\b/i,
};

/** A summary sentence, or any sentence of a section headed as a summary ("总结一下", "In summary"). */
const SUMMARY_CUE = /总结|小结|总之|总的来说|概括|\bsummary\b|\bin summary\b|\bto sum up\b|\bin short\b/i;

/** A defining verb right after the defined term: "微调通常指的是…", "调教这个词…", "调教则是一个…", "X refers to…". */
const CHINESE_DEFINING = '(?:通常指|指的是|是指|就是|则是|是一个|这个词|意思是)';
const ENGLISH_DEFINING = /^[^.;:]{0,40}?\b(?:refers? to|means|is defined as|is the (?:process|word|term)|is a (?:process|word|term))\b/i;

/** The evidence a question asks for, or undefined when it asks for none in particular (a plain "which", "how"). */
export function evidenceKindOf(question: string): EvidenceKind | undefined {
  const text = question.trim();
  for (const [kind, pattern] of QUESTION_PATTERNS) if (pattern.test(text)) return kind;
  return undefined;
}

/** One sentence as ranking reads it: the original (markup stripped) and its aligned rendering, when there is one. */
export interface CueSentence {
  readonly original: string;
  readonly rendering?: string;
  /** The headings above the sentence's passage, original and rendered, joined. */
  readonly headings?: string;
}

/**
 * Whether a sentence carries the cue of `kind`. A definition cue must define one of `topics` (the question's own topic
 * words, Chinese or English): "微调通常指的是…" answers "微调是什么？", not "调教是什么？".
 */
export function carriesCue(kind: EvidenceKind, sentence: CueSentence, topics: readonly string[]): boolean {
  if (kind === 'summary')
    return [sentence.original, sentence.rendering ?? '', sentence.headings ?? ''].some((text) => SUMMARY_CUE.test(text));
  if (kind !== 'definition') {
    const cue = SENTENCE_CUES[kind];
    return cue.test(sentence.original) || (sentence.rendering !== undefined && cue.test(sentence.rendering));
  }
  const original = sentence.original.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '').replace(/\*\*|"/g, '');
  const rendering = sentence.rendering?.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '').replace(/\*\*|"/g, '');
  return topics.some((topic) => {
    if (/[\u3400-\u9fff]/.test(topic)) return definingPattern(topic).test(original);
    return rendering?.toLowerCase().startsWith(topic.toLowerCase()) === true && ENGLISH_DEFINING.test(rendering);
  });
}

const definingPatterns = new Map<string, RegExp>();

/** "微调" → /^微调[^。！？]{0,24}?(?:通常指|…)/, built once per topic (a bounded number are kept). */
function definingPattern(topic: string): RegExp {
  let pattern = definingPatterns.get(topic);
  if (!pattern) {
    pattern = new RegExp(`^${escapeRegExp(topic)}[^。！？]{0,24}?${CHINESE_DEFINING}`);
    if (definingPatterns.size >= 2000) definingPatterns.delete(definingPatterns.keys().next().value as string);
    definingPatterns.set(topic, pattern);
  }
  return pattern;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
