import { describe, expect, it } from 'vitest';
import { pickEvictionOwner } from '../../src/stores/conversations/fair-eviction.js';
import { createInMemoryModelAnswerBudget } from '../../src/stores/model-budget/model-answer-budget.js';
import { createSlidingWindowLimiter, retryAfterSeconds } from '../../src/support/sliding-window-limiter.js';

describe('sliding-window limiter', () => {
  it('allows `limit` hits per window and says exactly when the oldest hit leaves it', () => {
    let now = 1_000_000;
    const limiter = createSlidingWindowLimiter({ limit: 3, windowMs: 60_000, now: () => now });
    expect([limiter.tryTake('a'), limiter.tryTake('a')].map((verdict) => verdict.allowed)).toEqual([true, true]);
    now += 20_000;
    expect(limiter.tryTake('a')).toEqual({ allowed: true, remaining: 0 });
    now += 6_000;
    const refused = limiter.tryTake('a');
    expect(refused).toEqual({ allowed: false, retryAfterMs: 34_000 });
    expect(retryAfterSeconds(refused as { retryAfterMs: number })).toBe(34);
    // A refusal records nothing; other keys have windows of their own.
    expect(limiter.count('a')).toBe(3);
    expect(limiter.tryTake('b').allowed).toBe(true);
    now += 34_000;
    expect(limiter.tryTake('a').allowed).toBe(true);
    expect(limiter.count('a')).toBe(2);
  });

  it('counts larger hits recorded with add (spent tokens) and says when enough of them leave the window', () => {
    let now = 0;
    const limiter = createSlidingWindowLimiter({ limit: 100, windowMs: 1_000, now: () => now });
    limiter.add('a', 60);
    now = 300;
    limiter.add('a', 50);
    limiter.add('a', 0);
    expect(limiter.count('a')).toBe(110);
    expect(limiter.tryTake('a')).toEqual({ allowed: false, retryAfterMs: 700 });
    now = 1_000;
    expect(limiter.count('a')).toBe(50);
    expect(limiter.tryTake('a')).toEqual({ allowed: true, remaining: 49 });
  });

  it('refuses every hit with a limit of 0', () => {
    const limiter = createSlidingWindowLimiter({ limit: 0, windowMs: 5_000 });
    expect(limiter.tryTake('a')).toEqual({ allowed: false, retryAfterMs: 5_000 });
  });

  it('windows model uses and tokens for the in-memory model answer budget', async () => {
    let now = 0;
    const budget = createInMemoryModelAnswerBudget({ answersPerWindow: 3, tokensPerWindow: 1_000, windowMs: 10_000, now: () => now });
    expect(await budget.tryConsume('c')).toBe(true);
    await budget.recordTokens('c', 999.5);
    // 1000 tokens spent: no new use starts, and a refusal takes no use.
    expect(await budget.tryConsume('c')).toBe(false);
    expect(await budget.tryConsume('other')).toBe(true);
    now = 10_000;
    expect([await budget.tryConsume('c'), await budget.tryConsume('c'), await budget.tryConsume('c')]).toEqual([true, true, true]);
    expect(await budget.tryConsume('c')).toBe(false);
  });

  it('stays bounded in keys, forgetting the least recently hit first', () => {
    const limiter = createSlidingWindowLimiter({ limit: 1, maxKeys: 3 });
    for (const key of ['a', 'b', 'c', 'd']) limiter.tryTake(key);
    expect(limiter.size()).toBe(3);
    expect(limiter.count('a')).toBe(0);
    expect(limiter.count('d')).toBe(1);
    limiter.forget('d');
    expect(limiter.tryTake('d').allowed).toBe(true);
  });
});

describe('fair eviction', () => {
  it('takes from owners over their share, the least recently active first, never from one within it', () => {
    const holdings = new Map([
      ['learner', { count: 2, oldestTouchedAt: 1 }],
      ['flooder', { count: 90, oldestTouchedAt: 50 }],
      ['second-flooder', { count: 8, oldestTouchedAt: 40 }],
    ]);
    // Share: 100 / 3 owners = 33.3; only the flooder is over it, though the learner's conversation is older.
    expect(pickEvictionOwner(holdings, 100)).toBe('flooder');
    // Nobody over the share: those holding the most, idle before active.
    const even = new Map([
      ['a', { count: 5, oldestTouchedAt: 30 }],
      ['b', { count: 5, oldestTouchedAt: 10 }],
      ['c', { count: 4, oldestTouchedAt: 1 }],
    ]);
    expect(pickEvictionOwner(even, 15)).toBe('b');
    expect(pickEvictionOwner(new Map(), 10)).toBeUndefined();
  });
});
