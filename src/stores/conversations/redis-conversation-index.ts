import type { Redis, Result } from 'ioredis';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** Registers a new conversation and returns the ids evicted to make room for it (see CREATE_SCRIPT). */
    tutorConversationCreate(
      index: string,
      ownerOf: string,
      owners: string,
      id: string,
      owner: string,
      now: number,
      ttlMs: number,
      maxConversations: number,
      maxPerOwner: number,
      ownedPrefix: string,
    ): Result<string[], Context>;
    /** Marks a conversation active now (in the index and in its owner's set), if it is indexed. */
    tutorConversationTouch(index: string, ownerOf: string, id: string, now: number, ownedPrefix: string): Result<number, Context>;
  }
}

/**
 * The fair-eviction rule of fair-eviction.ts, in Lua so that every node applies it atomically to one shared index:
 * a sorted set of every conversation by last activity, a hash id → owner, a sorted set of owners by conversations held,
 * and one sorted set per owner. Expired entries (their conversation keys are gone by TTL) are pruned first; then the
 * creating owner's own oldest go while it holds its share; then, while the store is full, the least recently active
 * conversation of the owners over their fair share (or of those holding the most). The index keys share one hash tag,
 * so the script runs in one slot of a Redis Cluster; the evicted conversations' own keys are deleted by the caller.
 */
const CREATE_SCRIPT = `
local index, ownerOf, owners = KEYS[1], KEYS[2], KEYS[3]
local id, owner, now, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local maxConversations, maxPerOwner, ownedPrefix = tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7]
local evicted = {}
local function drop(victim, report)
  local holder = redis.call('HGET', ownerOf, victim)
  redis.call('ZREM', index, victim)
  redis.call('HDEL', ownerOf, victim)
  if holder then
    redis.call('ZREM', ownedPrefix .. holder, victim)
    if tonumber(redis.call('ZINCRBY', owners, -1, holder)) <= 0 then redis.call('ZREM', owners, holder) end
  end
  if report then table.insert(evicted, victim) end
end
for _, victim in ipairs(redis.call('ZRANGEBYSCORE', index, '-inf', now - ttl, 'LIMIT', 0, 500)) do drop(victim, false) end
if redis.call('HEXISTS', ownerOf, id) == 1 then drop(id, false) end
while redis.call('ZCARD', ownedPrefix .. owner) >= maxPerOwner do
  drop(redis.call('ZRANGE', ownedPrefix .. owner, 0, 0)[1], true)
end
while redis.call('ZCARD', index) >= maxConversations do
  local holders = redis.call('ZCARD', owners)
  if holders == 0 then break end
  local fairShare = maxConversations / holders
  local candidates = redis.call('ZRANGEBYSCORE', owners, '(' .. fairShare, '+inf', 'LIMIT', 0, 50)
  if #candidates == 0 then
    local top = redis.call('ZREVRANGE', owners, 0, 0, 'WITHSCORES')
    candidates = redis.call('ZRANGEBYSCORE', owners, top[2], top[2], 'LIMIT', 0, 50)
  end
  local victim, oldest = nil, nil
  for _, candidate in ipairs(candidates) do
    local first = redis.call('ZRANGE', ownedPrefix .. candidate, 0, 0, 'WITHSCORES')
    if first[1] and (oldest == nil or tonumber(first[2]) < oldest) then victim, oldest = first[1], tonumber(first[2]) end
  end
  if victim == nil then break end
  drop(victim, true)
end
redis.call('ZADD', index, now, id)
redis.call('HSET', ownerOf, id, owner)
redis.call('ZADD', ownedPrefix .. owner, now, id)
redis.call('ZINCRBY', owners, 1, owner)
return evicted
`;

const TOUCH_SCRIPT = `
local owner = redis.call('HGET', KEYS[2], ARGV[1])
if not owner then return 0 end
redis.call('ZADD', KEYS[1], 'XX', ARGV[2], ARGV[1])
redis.call('ZADD', ARGV[3] .. owner, 'XX', ARGV[2], ARGV[1])
return 1
`;

export interface RedisConversationIndex {
  /** Registers the conversation; resolves with the ids evicted for it (their keys must be deleted). */
  register(conversationId: string, owner: string): Promise<string[]>;
  touch(conversationId: string): Promise<void>;
}

export function createRedisConversationIndex(options: {
  readonly client: Redis;
  /** e.g. `tutor:` */
  readonly keyPrefix: string;
  readonly ttlMs: number;
  readonly maxConversations: number;
  readonly maxPerOwner: number;
}): RedisConversationIndex {
  const { client } = options;
  if (typeof client.tutorConversationCreate !== 'function') {
    client.defineCommand('tutorConversationCreate', { numberOfKeys: 3, lua: CREATE_SCRIPT });
    client.defineCommand('tutorConversationTouch', { numberOfKeys: 2, lua: TOUCH_SCRIPT });
  }
  const base = `${options.keyPrefix}conversations{index}`;
  const [index, ownerOf, owners, ownedPrefix] = [base, `${base}:owner-of`, `${base}:owners`, `${base}:owned:`];
  return {
    register: (conversationId, owner) =>
      client.tutorConversationCreate(
        index,
        ownerOf,
        owners,
        conversationId,
        owner,
        Date.now(),
        options.ttlMs,
        options.maxConversations,
        options.maxPerOwner,
        ownedPrefix,
      ),
    touch: async (conversationId) => {
      await client.tutorConversationTouch(index, ownerOf, conversationId, Date.now(), ownedPrefix);
    },
  };
}
