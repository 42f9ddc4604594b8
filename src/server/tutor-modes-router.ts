import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { TutorError } from '../errors/tutor-error.js';
import type {
  FeedbackRequest,
  ProgressResponse,
  QuizGradeResponse,
  QuizQuestionResponse,
  StartersResponse,
} from '../shared/chat-protocol.js';
import { toCitationPayload } from '../tutor/citation-builder.js';
import type { TutorModes } from '../tutor/tutor-modes.js';

const language = z.enum(['zh', 'en']);
const conversationId = z.string({ error: 'conversationId must be a string' }).min(1, 'conversationId is required').max(64);
const quizRequestSchema = z.strictObject({ conversationId, language: language.optional(), kind: z.enum(['choice', 'fill']).optional() });
const quizAnswerSchema = z.strictObject({ conversationId, answer: z.string().max(200, 'The answer is too long: at most 200 characters.') });
const feedbackSchema = z.strictObject({
  conversationId,
  messageId: z.string().min(1).max(64),
  rating: z.enum(['up', 'down'], { error: 'rating must be "up" or "down"' }),
  reason: z.string().max(500, 'The reason is too long: at most 500 characters.').optional(),
  chunkId: z.string().min(1).max(64).optional(),
});

/** Express 5 passes a rejected promise to the error handler; the parse step turns zod failures into INVALID_REQUEST. */
function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) throw new TutorError('INVALID_REQUEST', result.error.issues.map((issue) => issue.message).join('; '));
  return result.data;
}

/**
 * The tutor modes over REST: learning progress, quizzes and feedback. Bodies are small JSON objects, validated strictly;
 * every route needs the conversation id, which only the learner holds.
 */
export function createTutorModesRouter(deps: { readonly modes: TutorModes; readonly maxBodyBytes: number }): express.Router {
  const router = express.Router();
  const json = express.json({ limit: deps.maxBodyBytes, strict: true, type: () => true });

  router.get('/conversations/:conversationId/progress', async (request: Request, response: Response, next: NextFunction) => {
    try {
      const requested = typeof request.query.language === 'string' ? language.safeParse(request.query.language) : undefined;
      const report = await deps.modes.progress(String(request.params.conversationId), requested?.success ? requested.data : undefined);
      const body: ProgressResponse = {
        conversationId: report.conversationId,
        concepts: report.concepts.map((concept) => ({ ...concept })),
        covered: report.covered,
        total: report.total,
        ...(report.next ? { next: { ...report.next } } : {}),
      };
      response.setHeader('Cache-Control', 'no-store');
      response.json(body);
    } catch (error) {
      next(error);
    }
  });

  router.get('/starters', async (request: Request, response: Response, next: NextFunction) => {
    try {
      const requested = language.safeParse(request.query.language ?? 'zh');
      if (!requested.success) throw new TutorError('INVALID_REQUEST', 'language must be "zh" or "en".');
      const starters = await deps.modes.starters(requested.data);
      const body: StartersResponse = { language: requested.data, starters: starters.map((starter) => ({ ...starter })) };
      // The same for every learner until the corpus changes.
      response.setHeader('Cache-Control', 'public, max-age=300');
      response.json(body);
    } catch (error) {
      next(error);
    }
  });

  router.post('/quiz', json, async (request: Request, response: Response, next: NextFunction) => {
    try {
      const body = parse(quizRequestSchema, request.body);
      const quiz = await deps.modes.startQuiz({
        conversationId: body.conversationId,
        ...(body.language ? { language: body.language } : {}),
        ...(body.kind ? { kind: body.kind } : {}),
      });
      const { options, ...rest } = quiz;
      const payload: QuizQuestionResponse = { ...rest, ...(options ? { options: [...options] } : {}) };
      response.json(payload);
    } catch (error) {
      next(error);
    }
  });

  router.post('/quiz/:quizId/answer', json, async (request: Request, response: Response, next: NextFunction) => {
    try {
      const body = parse(quizAnswerSchema, request.body);
      const grade = await deps.modes.answerQuiz({
        conversationId: body.conversationId,
        quizId: String(request.params.quizId),
        answer: body.answer,
      });
      const payload: QuizGradeResponse = { ...grade, citations: grade.citations.map(toCitationPayload) };
      response.json(payload);
    } catch (error) {
      next(error);
    }
  });

  router.post('/feedback', json, async (request: Request, response: Response, next: NextFunction) => {
    try {
      const body: FeedbackRequest = parse(feedbackSchema, request.body) as FeedbackRequest;
      const entry = await deps.modes.recordFeedback({
        conversationId: body.conversationId,
        messageId: body.messageId,
        rating: body.rating,
        ...(body.reason !== undefined ? { reason: body.reason } : {}),
        ...(body.chunkId !== undefined ? { chunkId: body.chunkId } : {}),
      });
      response.status(201).json({ feedbackId: entry.feedbackId });
    } catch (error) {
      next(error);
    }
  });

  return router;
}
