import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Redis } from 'ioredis';

export type FeedbackRating = 'up' | 'down';

/** A learner's thumbs up or down on one answer, optionally about one of its cited passages. */
export interface FeedbackEntry {
  readonly feedbackId: string;
  readonly conversationId: string;
  readonly messageId: string;
  readonly rating: FeedbackRating;
  /** Free text, at most 500 characters. */
  readonly reason?: string;
  /** The cited passage the feedback is about. */
  readonly chunkId?: string;
  /** Answer mode the feedback is about (offline, llm, offline-fallback). */
  readonly mode: string;
  readonly createdAt: string;
}

export type NewFeedback = Omit<FeedbackEntry, 'feedbackId' | 'createdAt'>;

/** Durable feedback: appended, never rewritten. */
export interface FeedbackStore {
  record(feedback: NewFeedback): Promise<FeedbackEntry>;
  list(): Promise<FeedbackEntry[]>;
  readonly description: string;
}

function stamp(feedback: NewFeedback): FeedbackEntry {
  return { ...feedback, feedbackId: randomUUID(), createdAt: new Date().toISOString() };
}

/**
 * One JSON line per entry, appended in order (appends are queued so concurrent writes never interleave). A line that
 * does not parse (a crash mid-write) is skipped when reading, so one bad line never hides the rest.
 */
export function createFileFeedbackStore(filePath: string): FeedbackStore {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    description: `file ${filePath}`,
    record(feedback) {
      const entry = stamp(feedback);
      const write = queue.then(async () => {
        await mkdir(path.dirname(filePath), { recursive: true });
        await appendFile(filePath, `${JSON.stringify(entry)}\n`, { encoding: 'utf8', flag: 'a' });
      });
      queue = write.catch(() => undefined);
      return write.then(() => entry);
    },
    async list() {
      await queue;
      let text: string;
      try {
        text = await readFile(filePath, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      const entries: FeedbackEntry[] = [];
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        try {
          entries.push(JSON.parse(line) as FeedbackEntry);
        } catch {
          // a torn last line after a crash: skip it
        }
      }
      return entries;
    },
  };
}

/** A Redis list, shared by every node. */
export function createRedisFeedbackStore(redis: Redis, key = 'tutor:feedback'): FeedbackStore {
  return {
    description: `redis list ${key}`,
    async record(feedback) {
      const entry = stamp(feedback);
      await redis.rpush(key, JSON.stringify(entry));
      return entry;
    },
    async list() {
      const lines = await redis.lrange(key, 0, -1);
      return lines.flatMap((line) => {
        try {
          return [JSON.parse(line) as FeedbackEntry];
        } catch {
          return [];
        }
      });
    },
  };
}

export interface PassageFeedbackSummary {
  readonly chunkId: string | null;
  readonly up: number;
  readonly down: number;
  /** Reasons given with thumbs down, most frequent first. */
  readonly reasons: readonly { readonly reason: string; readonly count: number }[];
}

/** Feedback per passage (entries without a passage under `null`), the most disliked first. */
export function summarizeFeedback(entries: readonly FeedbackEntry[]): PassageFeedbackSummary[] {
  const byPassage = new Map<string | null, { up: number; down: number; reasons: Map<string, number> }>();
  for (const entry of entries) {
    const key = entry.chunkId ?? null;
    let summary = byPassage.get(key);
    if (!summary) byPassage.set(key, (summary = { up: 0, down: 0, reasons: new Map() }));
    if (entry.rating === 'up') summary.up += 1;
    else summary.down += 1;
    const reason = entry.reason?.trim();
    if (reason) summary.reasons.set(reason, (summary.reasons.get(reason) ?? 0) + 1);
  }
  return [...byPassage.entries()]
    .map(([chunkId, summary]) => ({
      chunkId,
      up: summary.up,
      down: summary.down,
      reasons: [...summary.reasons.entries()].map(([reason, count]) => ({ reason, count })).sort((left, right) => right.count - left.count),
    }))
    .sort((left, right) => right.down - left.down || right.up - left.up || String(left.chunkId).localeCompare(String(right.chunkId)));
}
