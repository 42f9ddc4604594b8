/**
 * Keeps a model's reasoning trace out of the answer. Reasoning models send it in two ways: a separate
 * `reasoning_content` delta (DeepSeek's reasoner, Qwen3 in thinking mode on DashScope, vLLM with a reasoning parser),
 * which LangChain keeps in `additional_kwargs` and never in the text; or inline, as `<think>…</think>` inside `content`
 * (Ollama's and llama.cpp's older templates, vLLM without a parser). This filter removes the inline form from a stream:
 * `push` returns only the text outside think blocks, however the tags are split across deltas (a possible unfinished
 * tag is held back until it is decided), so the citation guard, the leak check and the length budget see the answer
 * alone.
 */

const OPEN_TAGS = ['<think>', '<thinking>'] as const;
const CLOSE_TAGS = ['</think>', '</thinking>'] as const;

export interface ReasoningFilter {
  /** Feeds model text; returns the part that is answer (possibly empty). */
  push(text: string): string;
  /** Ends the text: a held-back partial tag is answer text; an unclosed think block is dropped. */
  flush(): string;
  /** Characters of reasoning dropped so far. */
  readonly reasoningChars: number;
}

/** @param onReasoning receives each dropped piece of reasoning (for a debug log), never shown to the learner */
export function createReasoningFilter(onReasoning?: (text: string) => void): ReasoningFilter {
  let inside = false;
  let pending = '';
  let reasoningChars = 0;

  const dropReasoning = (text: string): void => {
    if (text === '') return;
    reasoningChars += text.length;
    onReasoning?.(text);
  };

  /** Index of the first complete tag of `tags` in `text` (case-insensitive) and its length. */
  const findTag = (text: string, tags: readonly string[]): { index: number; length: number } | undefined => {
    const lower = text.toLowerCase();
    let found: { index: number; length: number } | undefined;
    for (const tag of tags) {
      const index = lower.indexOf(tag);
      if (index >= 0 && (found === undefined || index < found.index)) found = { index, length: tag.length };
    }
    return found;
  };

  /** Length of the longest suffix of `text` that is a proper prefix of one of `tags`. */
  const partialTagLength = (text: string, tags: readonly string[]): number => {
    const lower = text.toLowerCase();
    let longest = 0;
    for (const tag of tags) {
      for (let length = Math.min(tag.length - 1, lower.length); length > longest; length -= 1) {
        if (tag.startsWith(lower.slice(lower.length - length))) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  };

  return {
    push(text) {
      pending += text;
      let out = '';
      for (;;) {
        const tags = inside ? CLOSE_TAGS : OPEN_TAGS;
        const tag = findTag(pending, tags);
        if (tag !== undefined) {
          const before = pending.slice(0, tag.index);
          if (inside) dropReasoning(before);
          else out += before;
          pending = pending.slice(tag.index + tag.length);
          inside = !inside;
          continue;
        }
        const held = partialTagLength(pending, tags);
        const decided = pending.slice(0, pending.length - held);
        if (inside) dropReasoning(decided);
        else out += decided;
        pending = pending.slice(pending.length - held);
        return out;
      }
    },
    flush() {
      const rest = pending;
      pending = '';
      if (inside) {
        dropReasoning(rest);
        return '';
      }
      return rest;
    },
    get reasoningChars() {
      return reasoningChars;
    },
  };
}
