import { alreadyTold } from '../follow-up-references.js';
import { INTENT_SENTENCE_CUES, isQuestionFrameWord } from '../question-intent.js';
import type { ConversationTurn } from '../tutor-types.js';
import type { PlanKind } from './plan-types.js';
import { renderedSentence } from './rendering.js';
import type { EvidenceSentence } from './sentence-evidence.js';

/**
 * A bare "为什么？" / "Why?" right after an answer asks why of what that answer said: of the statement the learner just
 * read, not of the topic at large. After "微调是什么？" ("微调通常指的是在预训练模型的基础上,针对特定任务进行进一步的
 * 训练…") the reason sought is the article's reason about that statement ("因为它强调了在预训练之后的特定化训练过程",
 * why 微调 is the word for it; or what it is for: 为了 / 旨在), not a reason about another aspect of the topic ("时间较长,
 * 因为涉及到训练" is why it takes long). So the words of the sentences the previous answer quoted (its claim) are asked
 * beside the question's own: the reason plan ranks the article's reasons (因为 / 由于 / 旨在 / 为了) by how much of that
 * claim they, or the claim they continue, take up. The question searched stays "为什么？（微调）": the topic is the
 * previous one, the claim only orders the reasons. Where the article gives no reason near the claim, the plan says so
 * as for any why-question. An answer that already stated its reason ("**应用**:更快,因为无需重新训练" for "Is model
 * application faster?") is asked why of that reason: its sentences are the reasons in reach, and the question is
 * ranked as any why-question of the topic, with no claim beside it.
 */

/** Whether a question is only a why: it asks for a reason and has no word of its own ("为什么？", "Why?", "为啥呢？"). */
export function isBareWhy(kind: PlanKind, questionTokens: readonly string[]): boolean {
  return kind === 'reason' && questionTokens.every((token) => isQuestionFrameWord(token));
}

/**
 * The query terms of the claim a bare why asks about: the words of the sentences of `pool` the previous answered turn
 * quoted (in the article's words or their rendering), minus frame words, each once. Empty when there is no such turn or
 * none of its sentences is in the pool.
 */
export function claimTerms(
  pool: readonly EvidenceSentence[],
  history: readonly ConversationTurn[],
  tokenize: (text: string) => readonly string[],
): string[] {
  const previous = [...history].reverse().find((turn) => turn.grounded !== false);
  if (previous === undefined || previous.citedChunkIds.length === 0) return [];
  const told = pool.filter((sentence) => alreadyTold(previous.answer, [sentence.text, renderedSentence(sentence)]));
  if (told.some((sentence) => INTENT_SENTENCE_CUES.reason?.test(sentence.text))) return [];
  const words = told.flatMap((sentence) => tokenize(sentence.text)).filter((token) => !isQuestionFrameWord(token));
  return [...new Set(words)];
}
