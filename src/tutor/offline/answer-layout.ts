import { alignedRendering } from '../../ingest/aligned-rendering.js';
import type { ChunkRecord } from '../../ingest/chunk-types.js';
import { citationFromChunk } from '../citation-builder.js';
import type { Citation } from '../tutor-types.js';
import type { AnswerPlan, PlanBlock } from './plan-types.js';
import { type EvidenceSentence, passageSentenceSpans } from './sentence-evidence.js';

/** Consecutive sentences of one passage inside a block: told together and followed by one marker. */
export interface MarkedGroup {
  readonly marker: number;
  readonly sentences: readonly EvidenceSentence[];
  /** False when the next (unframed) paragraph opens with the same passage: its marker then stands once, after both. */
  readonly showMarker: boolean;
}

export interface LaidOutBlock extends Omit<PlanBlock, 'sentences'> {
  readonly groups: readonly MarkedGroup[];
}

/**
 * Markers and citations for a plan: one marker per passage, numbered by first use; consecutive sentences of a passage
 * share one marker placed after the last of them. Each citation carries the spans of the sentences used (document
 * offsets, in order, inside the passage) and the passage's aligned rendering when it has one.
 */
export function layOut(plan: AnswerPlan): { blocks: LaidOutBlock[]; citations: Citation[] } {
  const markers = new Map<string, number>();
  const used = new Map<string, { chunk: ChunkRecord; indexes: Set<number> }>();
  const blocks = plan.blocks
    .filter((block) => block.sentences.length > 0)
    .map((block): LaidOutBlock => {
      const groups: { marker: number; sentences: EvidenceSentence[]; showMarker: boolean }[] = [];
      for (const sentence of block.sentences) {
        const { chunk } = sentence;
        let marker = markers.get(chunk.chunkId);
        if (marker === undefined) {
          marker = markers.size + 1;
          markers.set(chunk.chunkId, marker);
          used.set(chunk.chunkId, { chunk, indexes: new Set() });
        }
        for (const index of sentence.indexes) used.get(chunk.chunkId)?.indexes.add(index);
        const last = groups[groups.length - 1];
        if (last && last.marker === marker) last.sentences.push(sentence);
        else groups.push({ marker, sentences: [sentence], showMarker: true });
      }
      const { sentences: _sentences, ...rest } = block;
      return { ...rest, groups };
    });
  blocks.forEach((block, index) => {
    const last = block.groups[block.groups.length - 1] as { showMarker: boolean; marker: number } | undefined;
    const next = blocks[index + 1];
    // A framed paragraph ("这个例子说明的是：", "The article's own summary:") is not adjacent: both keep their marker.
    if (last && next && next.role !== 'context' && next.role !== 'summary' && next.groups[0]?.marker === last.marker)
      last.showMarker = false;
  });
  const citations = [...used.values()].map(({ chunk, indexes }): Citation => {
    const spans = passageSentenceSpans(chunk);
    const ordered = [...indexes].sort((left, right) => left - right);
    const aligned = alignedRendering(chunk);
    const citation = citationFromChunk(chunk, markers.get(chunk.chunkId) as number);
    const { sentences: _whole, ...rendering } = citation.translation ?? {};
    const translation = citation.translation && {
      ...rendering,
      language: citation.translation.language,
      text: citation.translation.text,
      // The wire contract: one rendering per cited span, in the order of `spans`.
      ...(aligned ? { sentences: ordered.map((index) => aligned[index] ?? '') } : {}),
    };
    return {
      ...citation,
      spans: ordered.map((index) => ({ ...(spans[index] as { start: number; end: number }) })),
      ...(translation ? { translation } : {}),
    };
  });
  return { blocks, citations };
}

/** A sentence ends with its own punctuation; one that does not (a list item) is followed by a line break. */
export const endsSentence = (text: string): boolean => /[。！？；…!?.;」”"）)]$/.test(text.trim());

/**
 * A list item of the article that is a line, not a sentence ("- 如果是…,使用微调"): no end punctuation of its own. It is
 * told as a Markdown list item ("- …"), so the article's bullets stay bullets instead of running on as bare lines.
 */
export const isListLine = (original: string): boolean =>
  /^\s*(?:[-*•]|\d+[.)])\s+/.test(original) && !endsSentence(original.replace(/\*\*/g, ''));

/**
 * Told pieces of a block in order (each a sentence and whether it is a list line): a list line on a line of its own
 * with its bullet, a sentence after a list line on a new line, other sentences run on (`space` between them, or a line
 * break after a sentence without end punctuation).
 */
export function joinTold(pieces: readonly { readonly text: string; readonly listed: boolean }[], space: string): string {
  // A passage opens at its first list item without the bullet ("如果是…,使用微调 - 如果是…"): a line without end
  // punctuation next to a list line is an item of the same list.
  const listed = pieces.map((piece) => piece.listed);
  for (let index = listed.length - 1; index >= 0; index -= 1)
    if (!listed[index] && !endsSentence(pieces[index]?.text ?? '') && (listed[index + 1] || listed[index - 1])) listed[index] = true;
  let text = '';
  let afterList = false;
  for (const [index, piece] of pieces.entries()) {
    const item = listed[index] === true;
    const said = item ? `- ${piece.text}` : piece.text;
    if (text === '') text = said;
    else if (item || afterList || !endsSentence(text)) text += `\n${said}`;
    else text += `${space}${said}`;
    afterList = item;
  }
  return text;
}

/** The marker written after a group: `[n]`, or nothing when the next paragraph carries it. */
export const markerOf = (group: MarkedGroup, spaced = false): string => (group.showMarker ? `${spaced ? ' ' : ''}[${group.marker}]` : '');

/** The answer in the pieces it is streamed in: each sentence group with its marker, and each line of the frame. */
export function answerPieces(answer: string): string[] {
  return answer.match(/[^\n]*?\[\d+\]|[^\n[]+\n*|\n+|[\s\S]/g) ?? [answer];
}
