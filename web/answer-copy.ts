import type { CitationPayload } from '../src/shared/chat-protocol.js';
import { toSpokenText } from './render-answer.js';

/**
 * The text the copy button puts on the clipboard: the answer as plain text (Markdown punctuation removed, citation
 * markers kept so the sources below stay meaningful), then one line per cited source.
 */
export function answerAsText(answer: string, citations: readonly CitationPayload[], sourcesLabel: string): string {
  const body = answer
    .replace(/[*_`~]+/g, '')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/[ \t]+\n/g, '\n')
    .trim();
  if (citations.length === 0) return body;
  const lines = citations.map((citation) => {
    const quote = toSpokenText(citation.text).replace(/\s+/g, ' ');
    const source = citation.source.trim() === '' ? '' : ` (${citation.source.trim()})`;
    return `[${citation.marker}] ${citation.title}${source}: ${quote.length > 160 ? `${quote.slice(0, 160)}…` : quote}`;
  });
  return `${body}\n\n${sourcesLabel}:\n${lines.join('\n')}`;
}
