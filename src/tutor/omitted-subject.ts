import type { TextAnalyzer } from '../retrieval/text-analyzer.js';
import { subjectsOf, topicTerms } from './follow-up-references.js';

/**
 * A Chinese question that opens with the predicate of a thing asked about (会, 需要, 是不是, 容易), as a follow-up
 * drops its subject ("会过拟合吗？" after "微调是什么？": does *it* overfit). Only modals and verbs whose subject is
 * the thing, not the learner: "能用比喻讲讲预训练模型吗？" asks the tutor to speak, and names its own topic.
 */
const OMITTED_SUBJECT =
  /^(?:那么?|而且?|还有)?[，,\s]*(?:还|也|又|都)?(?:会不会|会|需不需要|需要|要不要|要|容不容易|容易|是不是|是否|有没有|能不能|能否|可不可以|适不适合|适合|算不算|属不属于|属于)/;
/** Asking the tutor to speak (讲讲, 举个例子, 解释): the learner is the subject, not the previous topic. */
const ASKS_TUTOR = /讲|说说|说一下|解释|举|介绍|告诉|比喻|比方|例子|总结|概括/;

/**
 * The question with the previous query's subjects as its own ("会过拟合吗？" + previous "微调是什么？" → "微调会过拟合吗？"),
 * or undefined when it has a subject of its own, names the previous subject, or is not such a clause. The terms it
 * names after its predicate (过拟合, GPU) are what it asks of that subject, not a new topic.
 */
export function withOmittedSubject(analyzer: TextAnalyzer, question: string, previousQuery: string): string | undefined {
  if (analyzer.detectLanguage(question) !== 'zh') return undefined;
  const opening = OMITTED_SUBJECT.exec(question);
  if (!opening || ASKS_TUTOR.test(question)) return undefined;
  const subjects = subjectsOf(analyzer, previousQuery).slice(0, 2);
  if (subjects.length === 0) return undefined;
  const named = topicTerms(analyzer.findGlossaryTerms(question));
  // One naming no term ("要多长时间？") is elliptical anyway: the resolver gives it the previous topic.
  if (named.length === 0 || subjects.some((subject) => named.includes(subject))) return undefined;
  // The opening's ellipsis cue (那, 还有) goes: the subject takes its place.
  const rest = question.slice(opening[0].length - opening[0].replace(/^(?:那么?|而且?|还有)?[，,\s]*/, '').length);
  return `${subjects.map((subject) => subject.zh).join('和')}${rest}`;
}
