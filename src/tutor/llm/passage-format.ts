/**
 * How passages, questions and earlier turns are written into a prompt. Everything the learner or the corpus wrote is
 * data: angle brackets are escaped so it can never close or open our delimiters, and numbers in brackets inside a
 * passage become (n) so they cannot pass for citation markers. Both answer strategies use these.
 */
import { AIMessage, type BaseMessage, HumanMessage } from '@langchain/core/messages';
import type { ChunkRecord } from '../../ingest/chunk-types.js';
import type { ConversationTurn } from '../tutor-types.js';

/** A passage as numbered for one answer. `shownBefore`: the model already has its text under this marker. */
export interface NumberedPassage {
  readonly marker: number;
  readonly chunk: ChunkRecord;
  readonly shownBefore?: boolean;
}

export interface PassageNumbering {
  /** Numbers the chunks: new ones get the next marker, a chunk seen before keeps its own. */
  add(chunks: readonly ChunkRecord[]): NumberedPassage[];
  chunkFor(marker: number): ChunkRecord | undefined;
}

/** Numbers passages for one answer, so every number the model sees means one passage for the whole answer. */
export function createPassageNumbering(): PassageNumbering {
  const byMarker = new Map<number, ChunkRecord>();
  const markerByChunkId = new Map<string, number>();
  return {
    add(chunks) {
      return chunks.map((chunk) => {
        const existing = markerByChunkId.get(chunk.chunkId);
        if (existing !== undefined) return { marker: existing, chunk, shownBefore: true };
        const marker = byMarker.size + 1;
        byMarker.set(marker, chunk);
        markerByChunkId.set(chunk.chunkId, marker);
        return { marker, chunk, shownBefore: false };
      });
    },
    chunkFor: (marker) => byMarker.get(marker),
  };
}

/** `<passages query="…">` with one `<passage>` per entry, or a line saying nothing matched. */
export function formatPassages(query: string, passages: readonly NumberedPassage[]): string {
  const opening = `<passages query="${asData(query).replace(/"/gu, '＂')}">`;
  if (passages.length === 0) return `${opening}\n(no passage of the article matches this query)\n</passages>`;
  const entries = passages.map(({ marker, chunk, shownBefore }) => {
    if (shownBefore === true) return `<passage marker="[${marker}]">(already shown above as [${marker}])</passage>`;
    const where = [chunk.title, ...chunk.headingPath].map((part) => asData(part).replace(/"/gu, '＂')).join(' › ');
    return `<passage marker="[${marker}]" from="${where}">\n[${marker}] ${asPassageText(chunk.text)}\n</passage>`;
  });
  return [opening, ...entries, '</passages>'].join('\n');
}

/** The question as data, followed by our own instruction for an "explain again" request when there is one. */
export function formatQuestion(question: string, instruction: string | undefined): string {
  return `<question>\n${asData(question)}\n</question>${instruction === undefined ? '' : `\n\n${instruction}`}`;
}

/** The learner's turn: the question (already wrapped as data) and the passages found for it. */
export function formatFirstTurn(questionText: string, searchedFor: string, passages: readonly NumberedPassage[]): string {
  return [questionText, formatPassages(searchedFor, passages)].join('\n\n');
}

/** Text shown as data: angle brackets escaped, so it can never close or open our delimiters. */
export function asData(text: string): string {
  return text.replace(/</gu, '&lt;').replace(/>/gu, '&gt;');
}

/** Passage text as data, with bracketed numbers of its own turned into (n) so they cannot pass for markers. */
function asPassageText(text: string): string {
  return asData(text).replace(/[[【［]\s*(\d+)\s*[\]】］]/gu, '($1)');
}

/** Earlier turns as chat messages; old answers lose their markers, which meant other passages then. */
export function historyMessages(history: readonly ConversationTurn[]): BaseMessage[] {
  return history.flatMap((turn) => [
    new HumanMessage(`<question>\n${asData(turn.question)}\n</question>`),
    new AIMessage(turn.answer.replace(/\s*[[【［]\s*\^?\d+(?:\s*[,，、\-–]\s*\^?\d+)*\s*[\]】］]/gu, '')),
  ]);
}
