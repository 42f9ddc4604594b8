/**
 * Which conversation goes when the store is full, so that one address creating thousands of conversations pushes
 * out its own and never a learner's who stays within the limits: the victim is taken from the addresses holding more
 * than their fair share (`maxConversations / addresses holding any`), or, when none does, from those holding the most;
 * among those, the least recently active conversation goes first (idle before active). The same rule runs in Redis
 * (redis-conversation-store.ts, as a Lua script).
 */
export interface OwnerHoldings {
  /** Conversations the owner holds now. */
  readonly count: number;
  /** When its least recently active conversation was last active (ms). */
  readonly oldestTouchedAt: number;
}

/** The owner to evict from, or undefined when nobody holds anything. */
export function pickEvictionOwner<Owner>(holdings: Iterable<[Owner, OwnerHoldings]>, maxConversations: number): Owner | undefined {
  const all = [...holdings].filter(([, holding]) => holding.count > 0);
  if (all.length === 0) return undefined;
  const fairShare = maxConversations / all.length;
  let candidates = all.filter(([, holding]) => holding.count > fairShare);
  if (candidates.length === 0) {
    const most = Math.max(...all.map(([, holding]) => holding.count));
    candidates = all.filter(([, holding]) => holding.count === most);
  }
  let chosen = candidates[0] as [Owner, OwnerHoldings];
  for (const candidate of candidates) if (candidate[1].oldestTouchedAt < chosen[1].oldestTouchedAt) chosen = candidate;
  return chosen[0];
}
