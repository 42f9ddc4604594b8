import { cleanHeading, HEADING_LINE, LIST_ITEM_MARKER, QUOTE_MARKER } from './markdown-blocks.js';

/**
 * The line that marks a rendered block with the id of the original block it renders (see corpus/README.md):
 * `<!-- align: 3f2a9c1b -->`, alone on its line, directly before the block.
 */
export const ALIGN_MARKER = /^\s*<!--\s*align:\s*([^\s>]*)\s*-->\s*$/;

/** Any other HTML comment line (a reviewer's note in a draft): not rendering text. */
const COMMENT_LINE = /^\s*<!--.*-->\s*$/;

/** One block of a rendering as written under its align marker. */
export interface RenderedBlock {
  /** The id the marker names (not yet checked against the original). */
  readonly id: string;
  readonly kind: 'heading' | 'text';
  /** The block's text without heading `#`s, list markers or quote markers; lines of a multi-line block stay separate lines. */
  readonly text: string;
  /** 1-based line of the marker in the rendering file, for warnings. */
  readonly line: number;
}

export interface ParsedRenderingBody {
  readonly blocks: readonly RenderedBlock[];
  /** What in the body could not be read as an aligned block, for warnings. */
  readonly problems: readonly string[];
}

/**
 * Reads the aligned blocks of a rendering's body (the part after its front matter); `firstLine` is the file line the
 * body starts on, so that warnings name lines of the file.
 */
export function parseRenderingBody(body: string, firstLine = 1): ParsedRenderingBody {
  const blocks: RenderedBlock[] = [];
  const problems: string[] = [];
  let current: { id: string; line: number; lines: string[] } | undefined;
  let unmarkedLine: number | undefined;

  const finish = (): void => {
    if (!current) return;
    const lines = current.lines.map((line) => line.trim()).filter((line) => line !== '');
    if (lines.length === 0) {
      problems.push(`the align marker for ${current.id || '(no id)'} on line ${current.line} has no text under it`);
    } else {
      const heading = lines.length === 1 ? HEADING_LINE.exec(lines[0] as string) : null;
      const text = heading
        ? cleanHeading(heading[2] as string)
        : lines.map((line) => line.replace(QUOTE_MARKER, '').replace(LIST_ITEM_MARKER, '')).join('\n');
      blocks.push({ id: current.id, kind: heading ? 'heading' : 'text', text, line: current.line });
    }
    current = undefined;
  };

  body.split('\n').forEach((line, index) => {
    const marker = ALIGN_MARKER.exec(line);
    if (marker) {
      finish();
      current = { id: marker[1] as string, line: index + firstLine, lines: [] };
      return;
    }
    if (COMMENT_LINE.test(line)) return;
    if (current) current.lines.push(line);
    else if (line.trim() !== '' && unmarkedLine === undefined) unmarkedLine = index + firstLine;
  });
  finish();
  if (unmarkedLine !== undefined) problems.push(`text from line ${unmarkedLine} comes before any align marker and is not aligned`);
  return { blocks, problems };
}
