import type { ConversationTurn, TutorAnswer, TutorAnswerer } from '../tutor/tutor-types.js';
import type { EvaluationCase } from './evaluation-cases.js';
import { prepareQuestionAsProduct } from './question-preparation.js';

/** One turn of a case as it ran. */
export interface TurnRecord {
  /** The question as the learner typed it (what the conversation stores). */
  readonly typed: string;
  /** The question the answerer received, after the product's preparation (normaliser). */
  readonly asked: string;
  /** Absent when the answerer threw; `error` says why. */
  readonly answer?: TutorAnswer;
  readonly error?: string;
  /** Wall time of this answer, in milliseconds. */
  readonly answerMs: number;
  /** Time to the first streamed word, as a learner would see it (text taken back by a reset does not count). */
  readonly firstWordMs?: number;
}

/** Everything an answerer produced for one case: each turn, the last one being the evaluated answer. */
export interface CaseRecord {
  readonly id: string;
  readonly turns: readonly TurnRecord[];
  /** The evaluated (last) turn. */
  readonly final: TurnRecord;
  /** Wall time of the whole case, earlier turns included, in milliseconds. */
  readonly totalMs: number;
}

export interface CaseRunnerOptions {
  /** Turns a typed question into what the answerer receives. @default prepareQuestionAsProduct (the product's path) */
  readonly prepareQuestion?: (typed: string) => string;
  /** Called after each case, e.g. to show progress of a slow (model) run. */
  readonly onRecord?: (record: CaseRecord, done: number, total: number) => void;
  /** Called right before each turn is asked (`turn` counts from 0), e.g. to count a model's tokens per answer. */
  readonly onTurnStart?: (entry: EvaluationCase, turn: number) => void;
}

/**
 * Runs the turns of one case through any answerer, offline or a model: each earlier turn is answered and becomes
 * history for the next, as in a conversation. An answerer that throws does not stop the run: the turn records the error
 * and the history goes on without it.
 */
export async function answerCase(answerer: TutorAnswerer, entry: EvaluationCase, options: CaseRunnerOptions = {}): Promise<CaseRecord> {
  const prepare = options.prepareQuestion ?? prepareQuestionAsProduct;
  const history: ConversationTurn[] = [];
  const turns: TurnRecord[] = [];
  const caseStarted = performance.now();
  for (const [turn, typed] of entry.turns.entries()) {
    const asked = prepare(typed);
    options.onTurnStart?.(entry, turn);
    const started = performance.now();
    let firstWordMs: number | undefined;
    const streamed = (): { firstWordMs?: number } => (firstWordMs === undefined ? {} : { firstWordMs });
    try {
      const answer = await answerer.answer({
        question: asked,
        history: [...history],
        onDelta: (text) => {
          if (firstWordMs === undefined && text.trim() !== '') firstWordMs = performance.now() - started;
        },
        onReset: () => {
          firstWordMs = undefined;
        },
      });
      turns.push({ typed, asked, answer, answerMs: performance.now() - started, ...streamed() });
      history.push(toTurn(typed, answer));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      turns.push({ typed, asked, error: message, answerMs: performance.now() - started, ...streamed() });
    }
  }
  return { id: entry.id, turns, final: turns[turns.length - 1] as TurnRecord, totalMs: performance.now() - caseStarted };
}

/** Runs every case in order (one at a time, so timings are not skewed by each other). */
export async function answerCases(
  answerer: TutorAnswerer,
  cases: readonly EvaluationCase[],
  options: CaseRunnerOptions = {},
): Promise<CaseRecord[]> {
  const records: CaseRecord[] = [];
  for (const entry of cases) {
    const record = await answerCase(answerer, entry, options);
    records.push(record);
    options.onRecord?.(record, records.length, cases.length);
  }
  return records;
}

/** A stored conversation turn, as the chat service keeps it: the question as typed and what the answer searched and cited. */
export function toTurn(question: string, answer: TutorAnswer): ConversationTurn {
  return {
    question,
    searchedFor: answer.searchedFor,
    answer: answer.answer,
    citedChunkIds: answer.citations.map((citation) => citation.chunkId),
    followUps: answer.followUps,
    language: answer.language,
    grounded: answer.grounded,
  };
}
