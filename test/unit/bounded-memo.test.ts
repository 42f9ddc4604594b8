import { describe, expect, it } from 'vitest';
import { boundedMemo } from '../../src/support/bounded-memo.js';

describe('boundedMemo', () => {
  it('computes a key once while it is remembered, undefined results included', () => {
    const calls: string[] = [];
    const memo = boundedMemo(2, (key: string) => {
      calls.push(key);
      return key === 'none' ? undefined : key.length;
    });
    expect([memo('ab'), memo('ab'), memo('none'), memo('none')]).toEqual([2, 2, undefined, undefined]);
    expect(calls).toEqual(['ab', 'none']);
  });

  it('forgets the oldest key first once the limit is reached', () => {
    const calls: string[] = [];
    const memo = boundedMemo(2, (key: string) => calls.push(key));
    memo('a');
    memo('b');
    memo('c'); // forgets a
    memo('b');
    memo('a');
    expect(calls).toEqual(['a', 'b', 'c', 'a']);
  });
});
