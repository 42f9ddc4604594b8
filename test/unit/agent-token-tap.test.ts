import type { AIMessageChunk } from '@langchain/core/messages';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { describe, expect, it } from 'vitest';
import { createPieceQueue, withTokenTap } from '../../src/tutor/llm/agent-token-tap.js';

describe('agent token tap', () => {
  it("streams each model call's chunks to its own answer only, with one id per call", async () => {
    const model = new FakeListChatModel({ responses: ['微调', '调教'] });
    const first: Array<[string, string]> = [];
    const second: Array<[string, string]> = [];
    const tappedFirst = withTokenTap(model, (chunk: AIMessageChunk, id) => first.push([String(chunk.content), id]));
    const tappedSecond = withTokenTap(model, (chunk: AIMessageChunk, id) => second.push([String(chunk.content), id]));
    const bound = tappedFirst.bindTools?.([]);
    await bound?.invoke('问题一');
    await bound?.invoke('问题二');
    expect(first.map(([text]) => text).join('')).toBe('微调调教');
    // Two calls, two ids; each call's chunks share one.
    expect(new Set(first.map(([, id]) => id)).size).toBe(2);
    expect(first[0]?.[1]).toBe(first[1]?.[1]);
    // Another answer's view of the same model hears nothing of this answer's calls.
    expect(second).toEqual([]);
    expect(tappedSecond.bindTools).toBeTypeOf('function');
  });

  it('gives every piece pushed before the end, then the error that ended it', async () => {
    const queue = createPieceQueue<string>();
    const read = (async () => {
      const seen: string[] = [];
      try {
        for await (const piece of queue) seen.push(piece);
      } catch (error) {
        return { seen, error };
      }
      return { seen, error: undefined };
    })();
    queue.push('a');
    await Promise.resolve();
    queue.push('b');
    queue.end(new Error('model failed'));
    queue.push('late');
    const { seen, error } = await read;
    expect(seen).toEqual(['a', 'b']);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('model failed');
  });
});
