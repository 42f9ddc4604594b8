import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
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

/**
 * Durable feedback, one vote per answer per conversation: a new vote on the same answer replaces the old one (the
 * learner changed their mind, or clicked 25 times), so each answer counts once in the reports.
 */
export interface FeedbackStore {
  /** Stores the vote, replacing an earlier vote on the same answer in the same conversation. */
  record(feedback: NewFeedback): Promise<FeedbackEntry & { readonly replaced: boolean }>;
  /** Every vote, oldest first. */
  list(): Promise<FeedbackEntry[]>;
  readonly description: string;
}

/** What makes two votes the same vote. */
export function voteKey(entry: Pick<FeedbackEntry, 'conversationId' | 'messageId'>): string {
  return `${entry.conversationId}:${entry.messageId}`;
}

/** The latest vote per answer, in the order the votes were cast (for stores written before votes were replaced). */
function latestVotes(entries: readonly FeedbackEntry[]): FeedbackEntry[] {
  const byKey = new Map<string, FeedbackEntry>();
  for (const entry of entries) {
    byKey.delete(voteKey(entry));
    byKey.set(voteKey(entry), entry);
  }
  return [...byKey.values()];
}

function stamp(feedback: NewFeedback): FeedbackEntry {
  return { ...feedback, feedbackId: randomUUID(), createdAt: new Date().toISOString() };
}

/**
 * One JSON line per vote. A new vote is appended; a vote that replaces one rewrites the file without the old line
 * (written to a temporary file, then renamed over it, so a crash leaves the old or the new file, never half of one).
 * Writes are queued so concurrent votes never interleave. A line that does not parse (a crash mid-append) is skipped
 * when reading, so one bad line never hides the rest.
 */
export function createFileFeedbackStore(filePath: string): FeedbackStore {
  let queue: Promise<unknown> = Promise.resolve();
  async function readEntries(): Promise<FeedbackEntry[]> {
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
  }
  return {
    description: `file ${filePath}`,
    record(feedback) {
      const entry = stamp(feedback);
      const write = queue.then(async () => {
        await mkdir(path.dirname(filePath), { recursive: true });
        const existing = await readEntries();
        const kept = existing.filter((candidate) => voteKey(candidate) !== voteKey(entry));
        if (kept.length === existing.length) {
          await appendFile(filePath, `${JSON.stringify(entry)}\n`, { encoding: 'utf8', flag: 'a' });
          return { ...entry, replaced: false };
        }
        const temporary = `${filePath}.${randomUUID()}.tmp`;
        await writeFile(temporary, [...kept, entry].map((line) => `${JSON.stringify(line)}\n`).join(''), 'utf8');
        await rename(temporary, filePath);
        return { ...entry, replaced: true };
      });
      queue = write.catch(() => undefined);
      return write;
    },
    async list() {
      await queue;
      return latestVotes(await readEntries());
    },
  };
}

/**
 * A Redis hash shared by every node, one field per vote (`<conversationId>:<messageId>`), so HSET replaces a vote
 * atomically whichever node gets it. Entries of the list that older versions appended under `key` are still read.
 */
export function createRedisFeedbackStore(redis: Redis, key = 'tutor:feedback'): FeedbackStore {
  const votesKey = `${key}:votes`;
  const parse = (lines: readonly string[]): FeedbackEntry[] =>
    lines.flatMap((line) => {
      try {
        return [JSON.parse(line) as FeedbackEntry];
      } catch {
        return [];
      }
    });
  return {
    description: `redis hash ${votesKey}`,
    async record(feedback) {
      const entry = stamp(feedback);
      const added = await redis.hset(votesKey, voteKey(entry), JSON.stringify(entry));
      return { ...entry, replaced: added === 0 };
    },
    async list() {
      const [legacy, votes] = await Promise.all([redis.lrange(key, 0, -1), redis.hvals(votesKey)]);
      const current = parse(votes).sort((left, right) => left.createdAt.localeCompare(right.createdAt));
      return latestVotes([...parse(legacy), ...current]);
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
