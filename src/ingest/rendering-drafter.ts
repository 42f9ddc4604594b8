import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { TutorError } from '../errors/tutor-error.js';
import type { CorpusDocument } from './chunk-types.js';
import { type MarkdownBlock, readMarkdownBlocks } from './markdown-blocks.js';
import type { RenderedBlockText } from './rendering-template.js';
import { splitSentences } from './sentence-splitter.js';

const SYSTEM_PROMPT = [
  'You translate a Chinese article about fine-tuning (微调) and tuning (调教) of large models into English for learners.',
  'Translate faithfully, sentence by sentence, as a careful human translator would: natural English, nothing added, nothing left out.',
  'Keep Markdown emphasis (**...**) where the source has it. Keep the terms recognisable: fine-tuning for 微调, tuning for 调教.',
  'Do not use abbreviations that end in a full stop (write "for example", not "e.g.") and do not join or split sentences.',
  'Reply with JSON only: {"sentences": ["...", "..."]}, exactly one English string per source sentence, in order.',
].join(' ');

/** The drafted rendering of every block of a document, by block id, with notes where the reviewer must look. */
export interface DraftedRendering {
  readonly blocks: ReadonlyMap<string, RenderedBlockText>;
  /** Block ids whose draft does not align sentence by sentence (a review note says why). */
  readonly needsReview: readonly string[];
}

export interface RenderingDrafter {
  /** Drafts every block in order, one model call per block; a failing call is a MODEL_FAILED error (nothing is kept). */
  draft(document: CorpusDocument, onBlock?: (done: number, total: number) => void): Promise<DraftedRendering>;
}

/** Drafts renderings with a chat model, for a maintainer to review (`npm run translate`), never at request time. */
export function createRenderingDrafter(deps: { readonly chatModel: BaseChatModel }): RenderingDrafter {
  async function draftBlock(document: CorpusDocument, block: MarkdownBlock): Promise<RenderedBlockText> {
    const sources = block.kind === 'heading' ? [block.text] : block.sentences.map((span) => document.content.slice(span.start, span.end));
    const request = {
      kind: block.kind === 'heading' ? 'heading (one sentence, no full stop)' : block.kind,
      sentences: sources,
    };
    let reply: string;
    try {
      const message = await deps.chatModel.invoke([new SystemMessage(SYSTEM_PROMPT), new HumanMessage(JSON.stringify(request))]);
      reply =
        typeof message.content === 'string' ? message.content : message.content.map((part) => ('text' in part ? part.text : '')).join('');
    } catch (error) {
      throw new TutorError('MODEL_FAILED', `The chat model failed while drafting block ${block.id} of ${document.documentId}`, {
        cause: error,
      });
    }
    const sentences = parseSentences(reply);
    if (sentences === undefined) {
      return { text: block.text, reviewNote: `the model's reply was not the JSON asked for; the original text is kept here` };
    }
    if (sentences.length !== sources.length) {
      return {
        text: sentences.join(' '),
        reviewNote: `${sources.length} sentence(s) in the original, ${sentences.length} drafted: align them one to one`,
      };
    }
    if (block.kind === 'heading') return { text: sentences.join(' ') };
    // One line per sentence when the sentences, run together, would not split back into the same count.
    const joined = sentences.join(' ');
    if (splitSentences(joined).length === sources.length) return { text: joined };
    const lines = sentences.join('\n');
    if (splitSentences(lines).length === sources.length) return { text: lines };
    return { text: joined, reviewNote: `a drafted sentence splits in two (an abbreviation or ";"?): the counts differ` };
  }

  return {
    async draft(document, onBlock) {
      const blocks = readMarkdownBlocks(document.content);
      const drafted = new Map<string, RenderedBlockText>();
      const needsReview: string[] = [];
      for (const [index, block] of blocks.entries()) {
        const rendered = await draftBlock(document, block);
        drafted.set(block.id, rendered);
        if (rendered.reviewNote !== undefined) needsReview.push(block.id);
        onBlock?.(index + 1, blocks.length);
      }
      return { blocks: drafted, needsReview };
    },
  };
}

/** The `sentences` array of a JSON reply (a code fence around it is tolerated); undefined when there is none. */
function parseSentences(reply: string): string[] | undefined {
  const start = reply.indexOf('{');
  const end = reply.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  try {
    const parsed = JSON.parse(reply.slice(start, end + 1)) as { sentences?: unknown };
    const sentences = parsed.sentences;
    if (!Array.isArray(sentences) || sentences.length === 0 || !sentences.every((item) => typeof item === 'string')) return undefined;
    const cleaned = sentences.map((sentence) => sentence.replace(/\s+/g, ' ').trim());
    return cleaned.some((sentence) => sentence === '') ? undefined : cleaned;
  } catch {
    return undefined;
  }
}
