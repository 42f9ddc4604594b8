import { TutorError } from '../errors/tutor-error.js';
import type { Language } from '../ingest/chunk-types.js';
import type { PassageSearch } from '../retrieval/retrieval-types.js';
import type { TextAnalyzer } from '../retrieval/text-analyzer.js';
import type { ConversationStore, StoredConversation } from '../stores/conversations/conversation-store.js';
import type { FeedbackEntry, FeedbackRating, FeedbackStore } from '../stores/feedback/feedback-store.js';
import { toPlainLine } from '../support/plain-text.js';
import { buildConceptMap, type CitedSentence, type Concept, measureProgress } from './concept-map.js';
import type { LlmQuizWriter } from './llm/llm-quiz-writer.js';
import type { QuizKind } from './quiz-grading.js';
import { createQuizMaster, type Quiz, type QuizGrade, type QuizQuestion } from './quiz-master.js';
import { answersConcept, conceptQuestion, createStarterQuestions } from './starter-questions.js';

export interface ProgressReport {
  readonly conversationId: string;
  readonly concepts: readonly { readonly id: string; readonly label: string; readonly gloss: string; readonly covered: boolean }[];
  readonly covered: number;
  readonly total: number;
  /** The next concept to learn and a question about it that the corpus answers; absent when all are covered. */
  readonly next?: { readonly id: string; readonly label: string; readonly gloss: string; readonly question: string };
}

export interface TutorModesDeps {
  readonly passageSearch: PassageSearch;
  readonly analyzer: TextAnalyzer;
  readonly conversations: ConversationStore;
  readonly feedback: FeedbackStore;
  /** In LLM mode, writes quizzes that are checked against the passage; the passage-built quiz is the fallback. */
  readonly llmQuizWriter?: LlmQuizWriter;
  /** Quizzes kept for grading; the oldest go first. @default 10000 */
  readonly maxOpenQuizzes?: number;
  /** A quiz not answered within this long is forgotten. @default 1 hour */
  readonly quizTtlMs?: number;
}

const CONVERSATION_NOT_FOUND = 'This conversation does not exist (it may have expired). Start a new one.';

/**
 * The tutor beyond answering: quizzes on passages the learner has met, learning progress over the corpus's concepts,
 * and feedback on answers. Every call is scoped to a conversation id, which only its learner holds.
 */
export function createTutorModes(deps: TutorModesDeps) {
  let conceptCache: { chunks: readonly unknown[]; concepts: Concept[] } | undefined;
  const concepts = (): Concept[] => {
    const chunks = deps.passageSearch.allChunks();
    if (conceptCache?.chunks !== chunks) conceptCache = { chunks, concepts: buildConceptMap(chunks, deps.analyzer.glossary.terms) };
    return conceptCache.concepts;
  };
  const quizMaster = createQuizMaster({ chunks: () => deps.passageSearch.allChunks(), concepts, analyzer: deps.analyzer });
  const openQuizzes = new Map<string, { quiz: Quiz; conversationId: string; createdAt: number }>();
  const quizzedByConversation = new Map<string, string[]>();
  const maxOpenQuizzes = deps.maxOpenQuizzes ?? 10_000;
  const quizTtlMs = deps.quizTtlMs ?? 60 * 60_000;

  async function conversation(conversationId: unknown): Promise<StoredConversation> {
    const found =
      typeof conversationId === 'string' && /^[A-Za-z0-9_-]{16,64}$/.test(conversationId)
        ? await deps.conversations.get(conversationId)
        : undefined;
    if (!found) throw new TutorError('CONVERSATION_NOT_FOUND', CONVERSATION_NOT_FOUND);
    return found;
  }

  const citedIn = (found: StoredConversation): string[] =>
    found.turns.flatMap((turn) => turn.response.citations.map((citation) => citation.chunkId));
  /** The sentences the conversation's answers cited, by their spans (offsets in the document, as the passage's). */
  const citedSentencesIn = (found: StoredConversation): CitedSentence[] =>
    found.turns.flatMap((turn) =>
      turn.response.citations.flatMap((citation) =>
        citation.spans && citation.spans.length > 0
          ? citation.spans.map((span) => ({
              chunkId: citation.chunkId,
              text: citation.text.slice(span.start - citation.start, span.end - citation.start),
            }))
          : [{ chunkId: citation.chunkId, text: citation.text }],
      ),
    );
  const languageOf = (found: StoredConversation, requested?: Language): Language =>
    requested ?? found.turns[found.turns.length - 1]?.language ?? 'zh';

  const starterQuestions = createStarterQuestions({ concepts, passageSearch: deps.passageSearch });

  return {
    concepts,

    /** Questions to start an empty chat with, in `language`, each answerable from the corpus. */
    starters: (language: Language) => starterQuestions.starters(language),

    async progress(conversationId: string, requestedLanguage?: Language): Promise<ProgressReport> {
      const found = await conversation(conversationId);
      const language = languageOf(found, requestedLanguage);
      // English questions name concepts in English: their standalone queries are matched through the glossary.
      const askedQueries = found.turns.map((turn) => {
        const query = turn.response.searchedFor;
        return `${query} ${deps.analyzer
          .findGlossaryTerms(query)
          .map((term) => term.zh)
          .join(' ')}`;
      });
      const measured = measureProgress(concepts(), { citedSentences: citedSentencesIn(found), askedQueries });
      let next: ProgressReport['next'];
      for (const candidate of measured.concepts.filter((concept) => !concept.covered)) {
        const question = conceptQuestion(candidate, language);
        if (await answersConcept(deps.passageSearch, candidate, question)) {
          next = { id: candidate.id, label: candidate.label, gloss: candidate.gloss, question };
          break;
        }
      }
      return {
        conversationId: found.conversationId,
        concepts: measured.concepts.map((concept) => ({
          id: concept.id,
          label: concept.label,
          gloss: concept.gloss,
          covered: concept.covered,
        })),
        covered: measured.coveredCount,
        total: measured.total,
        ...(next ? { next } : {}),
      };
    },

    async startQuiz(request: { conversationId: string; language?: Language; kind?: QuizKind }): Promise<QuizQuestion> {
      const found = await conversation(request.conversationId);
      const quizzed = quizzedByConversation.get(found.conversationId) ?? [];
      const quizRequest = {
        language: languageOf(found, request.language),
        citedChunkIds: citedIn(found),
        quizzedChunkIds: quizzed,
        ...(request.kind ? { kind: request.kind } : {}),
      };
      const chunk = deps.llmQuizWriter && request.kind !== 'fill' ? quizMaster.pickChunk(quizRequest) : undefined;
      const written =
        chunk && deps.llmQuizWriter
          ? await deps.llmQuizWriter.write(chunk, quizRequest.language, { conversationId: found.conversationId })
          : undefined;
      const quiz = written ?? quizMaster.makeQuiz(quizRequest);
      if (!quiz) throw new TutorError('INVALID_REQUEST', 'There is nothing to quiz on yet.');
      const now = Date.now();
      for (const [quizId, entry] of openQuizzes) {
        if (openQuizzes.size < maxOpenQuizzes && now - entry.createdAt < quizTtlMs) break;
        openQuizzes.delete(quizId);
      }
      openQuizzes.set(quiz.quizId, { quiz, conversationId: found.conversationId, createdAt: now });
      quizzedByConversation.set(found.conversationId, [...quizzed, quiz.chunkId].slice(-50));
      const { answer: _answer, fullSentence: _fullSentence, chunk: _chunk, shownAnswer: _shownAnswer, ...question } = quiz;
      return question;
    },

    async answerQuiz(request: { conversationId: string; quizId: string; answer: string }): Promise<QuizGrade & { quizId: string }> {
      const found = await conversation(request.conversationId);
      const entry = openQuizzes.get(request.quizId);
      if (!entry || entry.conversationId !== found.conversationId || Date.now() - entry.createdAt > quizTtlMs) {
        throw new TutorError('INVALID_REQUEST', 'This quiz has expired. Ask for a new one.');
      }
      return { quizId: request.quizId, ...quizMaster.grade(entry.quiz, request.answer) };
    },

    async recordFeedback(request: {
      conversationId: string;
      messageId: string;
      rating: FeedbackRating;
      reason?: string;
      chunkId?: string;
    }): Promise<FeedbackEntry & { readonly replaced: boolean }> {
      const found = await conversation(request.conversationId);
      const turn = found.turns.find((candidate) => candidate.messageId === request.messageId);
      if (!turn) throw new TutorError('INVALID_REQUEST', 'There is no such answer in this conversation.');
      if (request.chunkId !== undefined && !turn.response.citations.some((citation) => citation.chunkId === request.chunkId)) {
        throw new TutorError('INVALID_REQUEST', 'That passage is not cited by this answer.');
      }
      // Control characters never reach the store: a reason is one plain line (see plain-text.ts).
      const reason = request.reason === undefined ? '' : toPlainLine(request.reason);
      return deps.feedback.record({
        conversationId: found.conversationId,
        messageId: request.messageId,
        rating: request.rating,
        mode: turn.response.mode,
        ...(reason ? { reason } : {}),
        ...(request.chunkId !== undefined ? { chunkId: request.chunkId } : {}),
      });
    },
  };
}

export type TutorModes = ReturnType<typeof createTutorModes>;
