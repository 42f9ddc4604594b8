/**
 * The citation guard: the last word on which `[n]` markers an answer may keep.
 *
 * A model sees passages numbered `[1]`, `[2]`... and cites them, but it can also invent numbers,
 * cite a passage from an earlier turn, or write `[2, 3]`, `[2][3]`, `【2】`, `[^2]` or `[2-4]`. The guard
 * keeps exactly the markers that point at a passage given for THIS answer, renumbers them `1..k` in order
 * of first appearance (one number per passage), writes each as plain `[n]`, and drops the rest, tidying the
 * space a dropped marker leaves. It works on a stream: `push()` returns text that is safe to show at once
 * (only a possible unfinished marker or trailing whitespace is held back), so the streamed pieces and the
 * final answer are the same text.
 *
 * Guarantees of the result: every `[n]` in `answer` has a citation with marker n, every citation is
 * referred to, markers are 1..k, `grounded === citations.length > 0`, and the answer is trimmed.
 */
import type { ChunkRecord } from '../../ingest/chunk-types.js';
import { citationFromChunk } from '../citation-builder.js';
import type { Citation } from '../tutor-types.js';

/** A passage as it was shown to the model: `[marker] text`. */
export interface MarkedPassage {
  readonly marker: number;
  readonly chunk: ChunkRecord;
}

export interface GuardedAnswer {
  readonly answer: string;
  /** Ordered by marker, 1..k. */
  readonly citations: readonly Citation[];
  readonly grounded: boolean;
}

/** Finds the passage a model's marker refers to, or undefined when the model was never given that number. */
export type PassageResolver = (marker: number) => ChunkRecord | undefined;

export interface StreamingCitationGuard {
  /** Feeds model text; returns the guarded text that can be shown now (possibly empty). */
  push(text: string): string;
  /** Ends the text; returns whatever was held back (an unfinished marker becomes plain text). */
  flush(): string;
  /** Everything emitted so far with its citations. Call after `flush()` for the final answer. */
  result(): GuardedAnswer;
  /** Passage numbers the text cited so far (`[2, 3]` is two), and how many pointed at a given passage and were kept. */
  markerCounts(): { readonly emitted: number; readonly kept: number };
}

/** Guards a complete answer against the passages given for it. */
export function guardCitations(answerText: string, passages: readonly MarkedPassage[]): GuardedAnswer {
  const guard = createStreamingCitationGuard(resolverFor(passages));
  guard.push(answerText);
  guard.flush();
  return guard.result();
}

/** A resolver over a fixed list of marked passages. */
export function resolverFor(passages: readonly MarkedPassage[]): PassageResolver {
  const byMarker = new Map<number, ChunkRecord>();
  for (const passage of passages) {
    if (!byMarker.has(passage.marker)) byMarker.set(passage.marker, passage.chunk);
  }
  return (marker) => byMarker.get(marker);
}

const OPENERS = new Set(['[', '【', '［']);
/** A complete marker group at the start of the string: opener, numbers with separators, closer. */
const MARKER_GROUP = /^[[【［][ \t]*\^?[ \t]*\d+(?:[ \t]*(?:[,，、;；~～\-–—][ \t]*)?\^?[ \t]*\d+)*[ \t]*[\]】］]/u;
/** What may follow an opener while a marker is still being written. */
const MARKER_PREFIX_BODY = /^[ \t^\d,，、;；~～\-–—]*$/u;
/** Longest text held back while waiting for a marker to close. */
const MAX_PENDING_MARKER_LENGTH = 64;
/** Widest `[a-b]` range that is expanded to every number in it. */
const MAX_RANGE_WIDTH = 20;
/** Text that attaches to the word before it, so a dropped marker's leading space goes too. */
const CLOSING_PUNCTUATION = /^[.,;:!?。，；：！？、)）」』”’…\]】］]/u;

export function createStreamingCitationGuard(resolve: PassageResolver): StreamingCitationGuard {
  /** Raw model text not yet processed (an unfinished marker at most, between pushes). */
  let pending = '';
  /** Whitespace after the last emitted text, emitted only when more text follows (so the answer is trimmed). */
  let heldWhitespace = '';
  /** A marker was dropped since the last emitted text: the next whitespace or punctuation decides the spacing. */
  let droppedSinceEmit = false;
  /** A line break came after the dropped marker. */
  let newlineSinceDrop = false;
  /** Something other than whitespace was emitted: leading whitespace is trimmed until then. */
  let started = false;
  /** New number of the marker emitted last, when nothing has been emitted after it. */
  let lastEmittedMarker: number | undefined;
  let emitted = '';
  let markersEmitted = 0;
  let markersKept = 0;
  const numberByChunkId = new Map<string, number>();
  const citations: Citation[] = [];

  function output(text: string, out: string[]): void {
    out.push(text);
    emitted += text;
  }

  function emitText(text: string, out: string[]): void {
    if (droppedSinceEmit) {
      // "claim [9]." reads "claim." once the marker is gone.
      if (!newlineSinceDrop && CLOSING_PUNCTUATION.test(text)) heldWhitespace = heldWhitespace.replace(/[^\n]/gu, '');
      droppedSinceEmit = false;
      newlineSinceDrop = false;
    }
    output(heldWhitespace + text, out);
    heldWhitespace = '';
    started = true;
    lastEmittedMarker = undefined;
  }

  /** Character by character, so that how the text was split into deltas never changes the result. */
  function emitWhitespace(whitespace: string): void {
    if (!started) return;
    for (const character of whitespace) {
      if (!droppedSinceEmit) {
        heldWhitespace += character;
      } else if (character === '\n') {
        // A dropped marker at the end of a line: the line break stays, the space before the marker goes.
        if (!newlineSinceDrop) heldWhitespace = heldWhitespace.replace(/[^\n]/gu, '');
        heldWhitespace += character;
        newlineSinceDrop = true;
      } else if (newlineSinceDrop) {
        heldWhitespace += character;
      }
      // Otherwise: a space right after a dropped marker; the space before it already separates the words.
    }
  }

  function emitLiteral(text: string, out: string[]): void {
    for (const run of text.match(/\s+|\S+/gu) ?? []) {
      if (/^\s/u.test(run)) emitWhitespace(run);
      else emitText(run, out);
    }
  }

  function numberFor(chunk: ChunkRecord): number {
    const existing = numberByChunkId.get(chunk.chunkId);
    if (existing !== undefined) return existing;
    const marker = citations.length + 1;
    numberByChunkId.set(chunk.chunkId, marker);
    citations.push(citationFromChunk(chunk, marker));
    return marker;
  }

  function emitMarkerGroup(group: string, out: string[]): void {
    const kept: number[] = [];
    for (const cited of citedNumbers(group)) {
      markersEmitted += 1;
      const chunk = resolve(cited);
      if (chunk === undefined) continue;
      markersKept += 1;
      const marker = numberFor(chunk);
      if (!kept.includes(marker)) kept.push(marker);
    }
    if (kept.length === 0) {
      if (started) droppedSinceEmit = true;
      return;
    }
    // `[1][1]` written back to back says nothing more than `[1]`.
    if (heldWhitespace === '' && !droppedSinceEmit && kept[0] === lastEmittedMarker) kept.shift();
    if (kept.length === 0) return;
    emitText(kept.map((marker) => `[${marker}]`).join(''), out);
    lastEmittedMarker = kept.at(-1);
  }

  /** Processes `pending`; with `final`, an unfinished marker is plain text. */
  function drain(final: boolean): string {
    const out: string[] = [];
    let literalStart = 0;
    let index = 0;
    while (index < pending.length) {
      const character = pending[index] as string;
      if (!OPENERS.has(character)) {
        index += 1;
        continue;
      }
      const rest = pending.slice(index);
      const match = MARKER_GROUP.exec(rest);
      if (match !== null) {
        emitLiteral(pending.slice(literalStart, index), out);
        emitMarkerGroup(match[0], out);
        index += match[0].length;
        literalStart = index;
        continue;
      }
      if (!final && MARKER_PREFIX_BODY.test(rest.slice(1))) {
        emitLiteral(pending.slice(literalStart, index), out);
        if (rest.length <= MAX_PENDING_MARKER_LENGTH) {
          // Maybe the start of a marker: wait for more text.
          pending = rest;
          return out.join('');
        }
        // Digits without end: drop the opener, so that no uncited "[n]" can form when a closer comes.
        index += 1;
        literalStart = index;
        continue;
      }
      index += 1;
    }
    emitLiteral(pending.slice(literalStart), out);
    pending = '';
    return out.join('');
  }

  return {
    push(text) {
      if (text === '') return '';
      pending += text;
      return drain(false);
    },
    flush() {
      const out = drain(true);
      heldWhitespace = '';
      return out;
    },
    result() {
      return { answer: emitted, citations: [...citations], grounded: citations.length > 0 };
    },
    markerCounts: () => ({ emitted: markersEmitted, kept: markersKept }),
  };
}

/** The numbers a marker group cites, in order: `[2, 5]` → 2, 5; `[3-5]` → 3, 4, 5. */
function citedNumbers(group: string): number[] {
  const numbers: number[] = [];
  const pattern = /(\d+)(?:[ \t]*[~～\-–—][ \t]*\^?[ \t]*(\d+))?/gu;
  for (const match of group.matchAll(pattern)) {
    const first = Number(match[1]);
    const last = match[2] === undefined ? undefined : Number(match[2]);
    if (last !== undefined && last > first && last - first <= MAX_RANGE_WIDTH) {
      for (let value = first; value <= last; value += 1) numbers.push(value);
    } else {
      numbers.push(first);
      if (last !== undefined) numbers.push(last);
    }
  }
  return numbers;
}
