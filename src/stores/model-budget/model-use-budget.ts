/**
 * The one budget every model call goes through: answers, explain-again, quiz writing, translation drafts. A model
 * "use" (one answer with all its agent turns and its retry, one quiz, one draft) takes one unit from the
 * conversation's budget and from the node's, and every call adds the tokens it spent (the server's `usage`, or an
 * estimate when the server sends none) to both. A use cannot start when either budget has no uses or no tokens left.
 *
 * How calls find their use: {@link ModelUseBudget.run} marks an async context (AsyncLocalStorage) with the
 * conversation; the chat model wrapper (src/providers/openai-chat-model.ts) calls {@link ModelCallGate.beforeCall} and
 * `afterCall` around every request, which take the use on the first call of the context (or join a use taken with
 * `take` beforehand) and record the tokens. A call outside any context is a use of its own, counted for the node.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { TutorError } from '../../errors/tutor-error.js';
import type { ModelAnswerBudget } from './model-answer-budget.js';

/** What the chat model calls around every request. */
export interface ModelCallGate {
  /** Resolves when the call may go out; rejects with `BUDGET_EXCEEDED` when the budget is spent. */
  beforeCall(): Promise<void>;
  /** Records what the call spent. */
  afterCall(tokens: number): Promise<void>;
}

export interface ModelUseBudget extends ModelCallGate {
  /** Takes one use for the conversation (and the node) now; false, and nothing taken, when either is spent. */
  take(conversationId: string | undefined): Promise<boolean>;
  /**
   * Runs `work` as one use of the conversation: its model calls take the use on the first call (unless `taken`: the
   * caller took it with {@link take}) and record their tokens.
   */
  run<T>(conversationId: string | undefined, work: () => Promise<T>, options?: { readonly taken?: boolean }): Promise<T>;
}

export interface ModelUseBudgetDeps {
  /** Uses and tokens per conversation (LLM_ANSWERS_PER_CONVERSATION_PER_HOUR, LLM_TOKENS_PER_CONVERSATION_PER_HOUR). */
  readonly perConversation: ModelAnswerBudget;
  /** Uses and tokens of the whole node (LLM_ANSWERS_PER_HOUR, LLM_TOKENS_PER_HOUR), whatever the conversation. */
  readonly nodeWide: ModelAnswerBudget;
}

interface UseScope {
  readonly conversationId: string | undefined;
  taken: boolean;
}

const NODE_KEY = 'node';

export function createModelUseBudget(deps: ModelUseBudgetDeps): ModelUseBudget {
  const scopes = new AsyncLocalStorage<UseScope>();

  async function take(conversationId: string | undefined): Promise<boolean> {
    if (conversationId !== undefined && !(await deps.perConversation.tryConsume(conversationId))) return false;
    return deps.nodeWide.tryConsume(NODE_KEY);
  }

  return {
    take,
    run(conversationId, work, options = {}) {
      return scopes.run({ conversationId, taken: options.taken === true }, work);
    },
    async beforeCall() {
      const scope = scopes.getStore();
      if (scope?.taken === true) return;
      if (!(await take(scope?.conversationId))) {
        throw new TutorError('BUDGET_EXCEEDED', 'The language-model budget of this conversation or of this node is used up for now', {
          details: { scope: scope?.conversationId === undefined ? 'node' : 'conversation' },
        });
      }
      if (scope !== undefined) scope.taken = true;
    },
    async afterCall(tokens) {
      const conversationId = scopes.getStore()?.conversationId;
      await Promise.all([
        deps.nodeWide.recordTokens(NODE_KEY, tokens),
        ...(conversationId === undefined ? [] : [deps.perConversation.recordTokens(conversationId, tokens)]),
      ]);
    },
  };
}
