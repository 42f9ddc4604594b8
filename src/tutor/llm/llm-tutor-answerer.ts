/**
 * The LLM answer pipeline, shared by both answer strategies (answer-strategy.ts):
 * 1. resolve the standalone query (follow-ups rewritten with earlier turns) and search it once;
 * 2. build the prompt within the prompt budget (prompt-budget.ts): system prompt, question, the passages that fit,
 *    then the most recent turns;
 * 3. run the strategy: the agent with the `search_article` tool, or retrieve-then-generate without tools. With
 *    `tools: 'auto'` the agent goes first, and an endpoint that refuses tools (a 400 naming tools or function calling)
 *    is switched to retrieve-then-generate for the rest of the process, logged once, and the current question is
 *    answered that way at once;
 * 4. stream the model's text through the reasoning filter (`<think>` blocks out), the completion budget, the leak
 *    check and the citation guard, so what the learner sees is the final answer: markers to passages that were never
 *    given are dropped, the rest renumbered 1..k. A model stopped at its length limit gets a notice at the end;
 * 5. suggest follow-ups and return the answer with `mode: 'llm'`.
 *
 * Every failure is a {@link ModelAnswerError} saying what went wrong and whether retrying can help; the fallback
 * answerer (fallback-tutor-answerer.ts) retries once and then answers offline.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { TutorError } from '../../errors/tutor-error.js';
import type { Language } from '../../ingest/chunk-types.js';
import { estimateTextTokens } from '../../providers/token-estimate.js';
import type { PassageSearch } from '../../retrieval/retrieval-types.js';
import { detectLanguage } from '../../retrieval/text-analyzer.js';
import { raceWithAbort } from '../../support/race-with-abort.js';
import { answerLanguage } from '../answer-language.js';
import type { FollowUpRequest } from '../follow-up-suggester.js';
import type { ConversationTurn, TutorAnswer, TutorAnswerer, TutorQuestion } from '../tutor-types.js';
import { createAgentStrategy } from './agent-strategy.js';
import type { AnswerStrategy, AnswerStrategyName } from './answer-strategy.js';
import { createStreamingCitationGuard } from './citation-guard.js';
import { createInstructionLeakDetector, type InstructionGrams, instructionGrams } from './leak-detector.js';
import { classifyModelFailure, isToolsUnsupported, ModelAnswerError } from './model-failure.js';
import { createPassageNumbering, formatFirstTurn, formatQuestion, historyMessages } from './passage-format.js';
import { fitPassages, MESSAGE_OVERHEAD_TOKENS, messageTokens, PROMPT_RESERVE_TOKENS, truncateToTokens } from './prompt-budget.js';
import { createReasoningFilter, type ReasoningFilter } from './reasoning-filter.js';
import { createRetrieveThenGenerateStrategy } from './retrieve-then-generate-strategy.js';
import { buildSystemPrompt, explainInstruction, LENGTH_LIMIT_NOTICES } from './system-prompt.js';
import { createToolSupportMemory, type ToolSupportMemory } from './tool-support-memory.js';

export { ModelAnswerError } from './model-failure.js';

/** What the follow-up suggester is told about the answer just given. */
export type FollowUpSuggestionRequest = FollowUpRequest;

/** `auto`: the agent, switching to retrieve-then-generate where tools are refused; `on`: the agent only; `off`: no tools. */
export type LlmToolsMode = 'auto' | 'on' | 'off';

/** The subset of a pino logger used here. */
export interface LlmAnswererLogger {
  info(details: Record<string, unknown>, message: string): void;
  debug(details: Record<string, unknown>, message: string): void;
}

export interface LlmTutorAnswererDeps {
  /** The chat model, e.g. from `createChatModelFromConfig` (streaming, no internal retries). */
  readonly chatModel: BaseChatModel;
  readonly passageSearch: PassageSearch;
  /**
   * Rewrites a follow-up ("那调教呢？") into a query that stands on its own, using the earlier turns;
   * returns the question itself when it already stands alone. The result is `searchedFor`.
   */
  readonly resolveStandaloneQuery: (question: string, history: readonly ConversationTurn[]) => string | Promise<string>;
  /**
   * Next questions to offer, in the learner's language, each answerable from the corpus. A failure here
   * costs the suggestions, never the answer.
   */
  readonly suggestFollowUps: (request: FollowUpSuggestionRequest) => Promise<readonly string[]> | readonly string[];
  /** Bound on one whole answer (search, model turns, tool calls, suggestions). */
  readonly timeoutMs: number;
  /** Language of a question. @default the text analyzer's `detectLanguage` */
  readonly detectLanguage?: (text: string) => Language;
  /** Passages per search, first search and tool calls alike. @default 4 */
  readonly passagesPerSearch?: number;
  /** Tool calls allowed per answer; later calls are told to answer with what they have. @default 3 */
  readonly maxToolCalls?: number;
  /** Earlier turns sent to the model, most recent kept. @default 6 */
  readonly maxHistoryTurns?: number;
  /**
   * Cap on the estimated size of every prompt sent to the model (system prompt, tool definition, history, question
   * and passages). Passages that do not fit are left out (never numbered, so never citable), then the oldest turns;
   * a question that cannot fit even alone fails with `prompt-too-large`. @default no cap
   */
  readonly maxPromptTokens?: number;
  /**
   * Cap on the estimated tokens the model generates over one whole answer (all its turns, tool-call arguments
   * included; reasoning excluded). The answer ends where the cap is reached, as with a model's own `max_tokens`.
   * @default no cap
   */
  readonly maxCompletionTokens?: number;
  /** Token estimate of a text. @default about one per CJK character and one per four other characters */
  readonly estimateTokens?: (text: string) => number;
  /** LLM_TOOLS. @default 'auto' */
  readonly tools?: LlmToolsMode;
  /** Which endpoint+model refused tools, for the whole process. @default a memory of this answerer's own */
  readonly toolSupport?: ToolSupportMemory;
  /** The endpoint and model, as the tool-support memory keys them (e.g. `openai:qwen2.5@localhost:11434`). @default 'default' */
  readonly endpointKey?: string;
  /** Logs the strategy switch (info, once) and dropped reasoning (debug). @default no logging */
  readonly logger?: LlmAnswererLogger;
  /** Told about every model answer given (the LLM-mode evaluation reads it). @default nobody */
  readonly observe?: (stats: LlmAnswerStats) => void;
}

/** How one model answer came about. */
export interface LlmAnswerStats {
  readonly strategy: AnswerStrategyName;
  /** Passage numbers the model cited, and how many of them the citation guard kept (given passages). */
  readonly markers: { readonly emitted: number; readonly kept: number };
  /** Characters of reasoning dropped (`reasoning_content` and `<think>` blocks). */
  readonly reasoningChars: number;
  /** Why the model's last call stopped, when it said (`stop`, `length`...). */
  readonly finishReason?: string;
}

export function createLlmTutorAnswerer(deps: LlmTutorAnswererDeps): TutorAnswerer {
  const passagesPerSearch = deps.passagesPerSearch ?? 4;
  const maxHistoryTurns = deps.maxHistoryTurns ?? 6;
  const tokens = deps.estimateTokens ?? estimateTextTokens;
  const maxPromptTokens = deps.maxPromptTokens ?? Number.POSITIVE_INFINITY;
  const maxCompletionTokens = deps.maxCompletionTokens ?? Number.POSITIVE_INFINITY;
  const toolsMode = deps.tools ?? 'auto';
  const detectQuestionLanguage = deps.detectLanguage ?? detectLanguage;
  const toolSupport = deps.toolSupport ?? createToolSupportMemory();
  const endpointKey = deps.endpointKey ?? 'default';
  const strategies: Record<AnswerStrategyName, AnswerStrategy> = {
    agent: createAgentStrategy({
      chatModel: deps.chatModel,
      tokens,
      ...(deps.maxToolCalls === undefined ? {} : { maxToolCalls: deps.maxToolCalls }),
    }),
    'retrieve-then-generate': createRetrieveThenGenerateStrategy({ chatModel: deps.chatModel }),
  };
  /** The leak detector's n-grams per system prompt (one per language and strategy: a handful per process). */
  const promptGrams = new Map<string, InstructionGrams>();
  const gramsOf = (systemPrompt: string): InstructionGrams => {
    let grams = promptGrams.get(systemPrompt);
    if (grams === undefined) {
      grams = instructionGrams(systemPrompt);
      promptGrams.set(systemPrompt, grams);
    }
    return grams;
  };
  const strategyNow = (): AnswerStrategy =>
    toolsMode === 'off' || (toolsMode === 'auto' && toolSupport.refusesTools(endpointKey))
      ? strategies['retrieve-then-generate']
      : strategies.agent;

  async function run(
    input: TutorQuestion,
    strategy: AnswerStrategy,
    signal: AbortSignal,
    emit: (text: string) => void,
  ): Promise<TutorAnswer> {
    const history = input.history ?? [];
    const language = answerLanguage(input.question, history, detectQuestionLanguage, input.language);
    const resolved = (await deps.resolveStandaloneQuery(input.question, history)).trim();
    const searchedFor = resolved === '' ? input.question.trim() : resolved;
    const firstSearch = await deps.passageSearch.search(searchedFor, { k: passagesPerSearch });
    signal.throwIfAborted();

    const numbering = createPassageNumbering();
    const guard = createStreamingCitationGuard((marker) => numbering.chunkFor(marker));
    const systemPrompt = buildSystemPrompt(language, strategy.promptTools);
    const leakDetector = createInstructionLeakDetector(gramsOf(systemPrompt));

    // The first prompt, within the prompt budget: system prompt, tool definition and question first (they must fit),
    // then the passages of the first search in rank order, then the most recent earlier turns.
    const questionText = formatQuestion(input.question, explainInstruction(input.style, input.language, strategy.promptTools));
    const fixedTokens =
      tokens(systemPrompt) +
      MESSAGE_OVERHEAD_TOKENS +
      strategy.fixedPromptTokens +
      MESSAGE_OVERHEAD_TOKENS +
      tokens(questionText) +
      tokens('\n\n');
    if (fixedTokens + PROMPT_RESERVE_TOKENS > maxPromptTokens) {
      throw new ModelAnswerError(
        'prompt-too-large',
        `The question does not fit the prompt budget of ${maxPromptTokens} tokens (needs about ${fixedTokens})`,
      );
    }
    let firstPromptTokens = fixedTokens;
    const firstChunks = fitPassages(
      firstSearch.covered ? firstSearch.passages.map((passage) => passage.chunk) : [],
      searchedFor,
      maxPromptTokens - PROMPT_RESERVE_TOKENS - firstPromptTokens,
      tokens,
    );
    firstPromptTokens += firstChunks.tokens;
    const firstPassages = numbering.add(firstChunks.chunks);
    const keptHistory: ConversationTurn[] = [];
    for (const turn of history.slice(-maxHistoryTurns).reverse()) {
      const cost = historyMessages([turn]).reduce((sum, message) => sum + messageTokens(message, tokens), 0);
      if (firstPromptTokens + cost + PROMPT_RESERVE_TOKENS > maxPromptTokens) break;
      firstPromptTokens += cost;
      keptHistory.unshift(turn);
    }

    const pieces = strategy.run({
      systemPrompt,
      history: historyMessages(keptHistory),
      firstTurn: formatFirstTurn(questionText, searchedFor, firstPassages),
      numbering,
      signal,
      firstPromptTokens,
      maxPromptTokens,
      tokens,
      search: async (query) => {
        const result = await deps.passageSearch.search(query, { k: passagesPerSearch });
        return { covered: result.covered, chunks: result.passages.map((passage) => passage.chunk) };
      },
    });

    let textTurn: unknown;
    let reasoning: ReasoningFilter | undefined;
    let completionTokens = 0;
    let completionCapped = false;
    let finishReason: string | undefined;
    let reasoningChars = 0;
    const onReasoning = (text: string): void => {
      reasoningChars += text.length;
      deps.logger?.debug({ reasoning: text.slice(0, 200) }, 'model reasoning (not shown)');
    };
    const show = (text: string): void => {
      if (text === '') return;
      leakDetector.check(text);
      emit(guard.push(text));
    };
    for await (const piece of pieces) {
      if (signal.aborted) break;
      if (piece.kind === 'finish') {
        finishReason = piece.reason;
        continue;
      }
      if (piece.kind === 'reasoning') {
        onReasoning(piece.text);
        continue;
      }
      if (piece.kind === 'tool-arguments') {
        completionTokens += tokens(piece.text);
        continue;
      }
      if (piece.turn !== textTurn) {
        // Text before a tool call stays (the learner has seen it); the next turn's text follows a blank line.
        if (reasoning !== undefined) {
          show(reasoning.flush());
          emit(guard.push('\n\n'));
        }
        textTurn = piece.turn;
        reasoning = createReasoningFilter(onReasoning);
      }
      let text = reasoning?.push(piece.text) ?? piece.text;
      if (completionTokens + tokens(text) > maxCompletionTokens) {
        // Over the answer's completion budget: keep what fits of this piece and stop reading the model.
        text = truncateToTokens(text, Math.max(0, maxCompletionTokens - completionTokens), tokens);
        completionCapped = true;
      }
      completionTokens += tokens(text);
      show(text);
      if (completionCapped) break;
    }
    signal.throwIfAborted();
    if (!completionCapped && reasoning !== undefined) show(reasoning.flush());
    if (!completionCapped && finishReason === 'length' && guard.result().answer !== '') {
      // The model hit its own max_tokens: say so, in the learner's language, after what it wrote.
      emit(guard.push(`\n\n${LENGTH_LIMIT_NOTICES[language]}`));
    }
    emit(guard.flush());

    const guarded = guard.result();
    if (guarded.answer === '') throw new ModelAnswerError('empty-answer', 'The model returned no answer text');

    deps.observe?.({
      strategy: strategy.name,
      markers: guard.markerCounts(),
      reasoningChars,
      ...(finishReason === undefined ? {} : { finishReason }),
    });
    const citedChunkIds = guarded.citations.map((citation) => citation.chunkId);
    let followUps: readonly string[] = [];
    try {
      followUps = await deps.suggestFollowUps({ language, history, citedChunkIds, question: searchedFor });
    } catch {
      // Suggestions are a courtesy: the answer stands without them.
    }
    return {
      answer: guarded.answer,
      citations: guarded.citations,
      followUps: [...followUps],
      // No valid citation means nothing the learner can check: ungrounded, whatever the first search said.
      grounded: guarded.grounded,
      searchedFor,
      mode: 'llm',
      language,
    };
  }

  /** Runs the current strategy; in auto mode a refusal of tools switches this endpoint for good and answers again. */
  async function runWithStrategy(input: TutorQuestion, signal: AbortSignal, emit: (text: string) => void): Promise<TutorAnswer> {
    const strategy = strategyNow();
    let emitted = false;
    const tracked = (text: string): void => {
      if (text !== '') emitted = true;
      emit(text);
    };
    try {
      return await run(input, strategy, signal, tracked);
    } catch (error) {
      if (toolsMode !== 'auto' || strategy.name !== 'agent' || emitted || signal.aborted || !isToolsUnsupported(error)) throw error;
      if (toolSupport.markRefused(endpointKey)) {
        deps.logger?.info(
          { endpoint: endpointKey, strategy: 'retrieve-then-generate' },
          'the model endpoint refuses tools; answering without tools (retrieve-then-generate) from now on',
        );
      }
      return run(input, strategies['retrieve-then-generate'], signal, emit);
    }
  }

  return {
    async answer(input: TutorQuestion): Promise<TutorAnswer> {
      input.signal?.throwIfAborted();
      const controller = new AbortController();
      let timedOut = false;
      let settled = false;
      const onCallerAbort = (): void => controller.abort(input.signal?.reason);
      input.signal?.addEventListener('abort', onCallerAbort, { once: true });
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new ModelAnswerError('timeout', `No complete answer from the model within ${deps.timeoutMs} ms`));
      }, deps.timeoutMs);
      const emit = (text: string): void => {
        if (text !== '' && !settled && !controller.signal.aborted) input.onDelta?.(text);
      };
      try {
        return await raceWithAbort(runWithStrategy(input, controller.signal, emit), controller.signal);
      } catch (error) {
        if (input.signal?.aborted) throw input.signal.reason ?? error;
        if (timedOut) {
          throw new ModelAnswerError('timeout', `No complete answer from the model within ${deps.timeoutMs} ms`, { cause: error });
        }
        // The tutor's own failures (the search index busy or broken...) are not the model's: they keep their code.
        if (error instanceof TutorError && !(error instanceof ModelAnswerError)) throw error;
        throw classifyModelFailure(error);
      } finally {
        settled = true;
        clearTimeout(timer);
        input.signal?.removeEventListener('abort', onCallerAbort);
        if (!controller.signal.aborted) controller.abort(new Error('answer settled'));
      }
    },
  };
}
