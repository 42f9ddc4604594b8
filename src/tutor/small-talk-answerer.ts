import type { Language } from '../ingest/chunk-types.js';
import { answerLanguage } from './answer-language.js';
import type { FollowUpRequest } from './follow-up-suggester.js';
import { isSmallTalk, readSmallTalk, type SmallTalkKind } from './small-talk.js';
import type { ConversationTurn, TutorAnswer, TutorAnswerer } from './tutor-types.js';

/**
 * Generic replies to small talk, by kind and language. They say nothing about the article (no citation can be owed)
 * and invite a question; the suggested questions under them name what to ask.
 */
const REPLIES: Readonly<Record<SmallTalkKind, Readonly<Record<Language, string>>>> = {
  greeting: {
    zh: '你好！我可以回答关于这篇文章的问题，引用原文作答。想了解什么，直接问我吧，也可以从下面的问题开始。',
    en: 'Hello! I answer questions about the article, quoting it. Ask me anything about it, or start with one of the questions below.',
  },
  thanks: {
    zh: '不客气！还有想了解的地方，随时接着问我。',
    en: "You're welcome! If there is more you'd like to know, just ask.",
  },
  acknowledgement: {
    zh: '好的。如果还有不清楚的地方，可以接着问我，也可以看看下面的问题。',
    en: 'Sure. If anything is still unclear, ask me, or try one of the questions below.',
  },
  goodbye: {
    zh: '再见！想再学的时候，随时回来问我。',
    en: 'Goodbye! Come back and ask whenever you want to learn more.',
  },
};

/** Which reply a message of several kinds gets: a goodbye or thanks says more than the greeting or "ok" before it. */
const PRECEDENCE: readonly SmallTalkKind[] = ['goodbye', 'thanks', 'greeting', 'acknowledgement'];

export interface SmallTalkAnswererDeps {
  /** The answerer for everything else: the offline one, or the model with its fallback. */
  readonly answerer: TutorAnswerer;
  readonly detectLanguage: (text: string) => Language;
  readonly suggestFollowUps: (request: FollowUpRequest) => Promise<string[]>;
}

/** The turns of a conversation that asked something: small talk is no referent for a follow-up and was not "asked". */
export function askingTurns(history: readonly ConversationTurn[]): ConversationTurn[] {
  return history.filter((turn) => !isSmallTalk(turn.question));
}

/**
 * Small talk around any answerer (src/tutor/small-talk.ts reads it).
 *
 * - A message of social phrases only ("谢谢", "hi", "ok 谢谢") gets a generic reply in the learner's language with
 *   `mode: 'small-talk'`, `grounded: false`, no citations, and the usual suggestions (continuing the last question, if
 *   any). It is answered here in LLM mode too, without the model: the reply needs nothing from the article, and a
 *   model told to answer only from passages would refuse it or spend a call of the conversation's budget on "thanks".
 * - A message that opens with a social phrase and goes on with a question ("谢谢！那调教呢？", "hi, what is fine-tuning?")
 *   is answered as the question alone, so the search and the follow-up resolution read no greeting.
 * - Earlier small-talk turns are taken out of the history every answerer sees: "那调教呢？" after "谢谢" follows the
 *   question before it, and suggestions do not count "谢谢" as asked.
 *
 * A message asked in a style (the "simpler" / "analogy" buttons) is an explanation of the previous answer, not small talk.
 */
export function withSmallTalk(deps: SmallTalkAnswererDeps): TutorAnswerer {
  return {
    async answer(input) {
      const history = askingTurns(input.history ?? []);
      if (input.style !== undefined) return deps.answerer.answer({ ...input, history });
      const reading = readSmallTalk(input.question);
      if (reading.kinds.length > 0 && reading.rest !== '') {
        return deps.answerer.answer({ ...input, question: reading.rest, history });
      }
      if (!isSmallTalk(input.question)) return deps.answerer.answer({ ...input, history });
      // The conversation's language, as kept across the turns (small talk included): "ok" says nothing of its own.
      const language = answerLanguage(input.question, input.history ?? [], deps.detectLanguage, input.language);
      const kind = PRECEDENCE.find((candidate) => reading.kinds.includes(candidate)) ?? 'acknowledgement';
      const answer = REPLIES[kind][language];
      const followUps = await deps.suggestFollowUps({
        language,
        history,
        citedChunkIds: [],
        question: history[history.length - 1]?.searchedFor ?? '',
      });
      input.signal?.throwIfAborted();
      input.onDelta?.(answer);
      const reply: TutorAnswer = { answer, citations: [], followUps, grounded: false, searchedFor: '', mode: 'small-talk', language };
      return reply;
    },
  };
}
