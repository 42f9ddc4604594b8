import type { CitationPayload, CitationTranslation, PassageResponse, TextSpan } from '../src/shared/chat-protocol.js';

/** A piece of the source card's text: context around the passage, the passage, or a cited sentence inside it. */
export interface PassageSegment {
  readonly text: string;
  readonly kind: 'context' | 'passage' | 'cited';
}

/** Context shown around the passage: the rest of its paragraph, at most this many characters each side. */
const CONTEXT_CHARS = 140;

/**
 * Cuts the source card's text into segments: the paragraph context before and after the passage (when the passage
 * endpoint sent it), and inside the passage the cited sentence spans (`citation.spans`, document offsets) marked as
 * `cited`. Without spans, or when they do not fall inside the passage, the whole passage is cited.
 */
export function passageSegments(citation: CitationPayload, passage?: PassageResponse): PassageSegment[] {
  let before = '';
  let after = '';
  let text = citation.text;
  const start = citation.start;
  if (passage !== undefined) {
    const whole = passage.before + passage.text + passage.after;
    const offset = passage.start - passage.before.length;
    const from = citation.start - offset;
    const to = citation.end - offset;
    if (from >= 0 && to <= whole.length && whole.slice(from, to) === citation.text) {
      before = whole.slice(0, from);
      after = whole.slice(to);
      text = citation.text;
    } else {
      before = passage.before;
      after = passage.after;
    }
  }
  const lead = before.slice(before.lastIndexOf('\n\n') + 1);
  const tailBreak = after.indexOf('\n\n');
  const tail = tailBreak < 0 ? after : after.slice(0, tailBreak);
  const segments: PassageSegment[] = [];
  const leadText = lead.length > CONTEXT_CHARS ? `…${lead.slice(lead.length - CONTEXT_CHARS)}` : lead;
  if (leadText.trim() !== '') segments.push({ text: leadText.replace(/^\s+/, ''), kind: 'context' });
  segments.push(...citedPieces(text, start, citation.spans));
  const tailText = tail.length > CONTEXT_CHARS ? `${tail.slice(0, CONTEXT_CHARS)}…` : tail;
  if (tailText.trim() !== '') segments.push({ text: tailText.replace(/\s+$/, ''), kind: 'context' });
  return segments;
}

function citedPieces(text: string, start: number, spans: readonly TextSpan[] | undefined): PassageSegment[] {
  const inside = (spans ?? [])
    .map((span) => ({ from: Math.max(0, span.start - start), to: Math.min(text.length, span.end - start) }))
    .filter((span) => span.to > span.from)
    .sort((left, right) => left.from - right.from);
  if (inside.length === 0) return [{ text, kind: 'cited' }];
  const pieces: PassageSegment[] = [];
  let cursor = 0;
  for (const span of inside) {
    const from = Math.max(cursor, span.from);
    if (from > cursor) pieces.push({ text: text.slice(cursor, from), kind: 'passage' });
    if (span.to > from) pieces.push({ text: text.slice(from, span.to), kind: 'cited' });
    cursor = Math.max(cursor, span.to);
  }
  if (cursor < text.length) pieces.push({ text: text.slice(cursor), kind: 'passage' });
  return pieces;
}

/** Corpus Markdown as reading text for the source card: no heading hashes, bold stars or blank-line runs. */
export function readableText(text: string): string {
  return text
    .replace(/^[ \t]*#{1,6}[ \t]+/gm, '')
    .replace(/^[ \t]*[-*+][ \t]+/gm, '• ')
    .replace(/\*\*|__/g, '')
    .replace(/\n{2,}/g, '\n');
}

/**
 * Cuts a cited passage's aligned rendering (`citation.translation`) into segments, the rendering of each cited sentence
 * (`translation.sentences`, in order) marked `cited`. A sentence not found in the text, or a rendering without aligned
 * sentences, leaves the whole rendering as one `passage` segment: it is then context, never a claimed citation.
 */
export function renderingSegments(translation: CitationTranslation): PassageSegment[] {
  const text = translation.text;
  const segments: PassageSegment[] = [];
  let cursor = 0;
  for (const sentence of translation.sentences ?? []) {
    const wanted = sentence.trim();
    const at = wanted === '' ? -1 : text.indexOf(wanted, cursor);
    if (at < 0) continue;
    if (at > cursor) segments.push({ text: text.slice(cursor, at), kind: 'passage' });
    segments.push({ text: wanted, kind: 'cited' });
    cursor = at + wanted.length;
  }
  if (cursor < text.length) segments.push({ text: text.slice(cursor), kind: 'passage' });
  return segments;
}
