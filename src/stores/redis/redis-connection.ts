import { Redis, type RedisOptions } from 'ioredis';
import { TutorError } from '../../errors/tutor-error.js';
import type { Logger } from '../../support/logger.js';

/**
 * Tracks whether Redis answers, so that an outage is logged once when it starts and once when it ends, however many
 * requests run into it in between.
 */
export interface RedisHealth {
  /** False from the first failed command or lost connection until the connection is ready again or a probe answers. */
  isAvailable(): boolean;
  /**
   * Runs one Redis command and records its outcome; rejects with the command's own error, or at once with a
   * STORE_UNAVAILABLE TutorError while Redis is marked down.
   */
  run<T>(command: () => Promise<T>): Promise<T>;
  reportFailure(error: unknown): void;
  reportSuccess(): void;
  /** Stops background probing (on shutdown). */
  stop(): void;
}

export interface RedisConnections {
  /** Commands (conversations, rate limits). Fails fast while Redis is down: no offline queue, short command timeout. */
  readonly client: Redis;
  /** The socket.io adapter's publishing connection; its `publish` never rejects (a lost broadcast is logged at debug). */
  readonly publisher: Redis;
  /** The socket.io adapter's subscribing connection; it waits for Redis and subscribes again after a reconnect. */
  readonly subscriber: Redis;
  readonly health: RedisHealth;
  /** The URL without user name or password, for logs. */
  readonly description: string;
  /** Closes all three connections; safe to call while Redis is down. */
  close(): Promise<void>;
}

export interface RedisConnectionOptions {
  /** e.g. `redis://redis.internal:6379/0`, or `rediss://` for TLS. */
  readonly url: string;
  readonly logger: Logger;
  /** A command that gets no reply within this is failed (the answer then goes on without history). @default 1000 */
  readonly commandTimeoutMs?: number;
  /** A connection attempt that takes longer is abandoned and retried. @default 2000 */
  readonly connectTimeoutMs?: number;
  /** Reconnection backs off exponentially from 100 ms up to this. @default 2000 */
  readonly maxReconnectDelayMs?: number;
  /** How long `connectRedis` waits for a first connection before going on without Redis (retrying behind). @default 3000 */
  readonly initialWaitMs?: number;
}

/** `redis://user:secret@host:6379/0` -> `redis://host:6379/0`. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return 'redis (unparsable URL)';
  }
}

export interface RedisHealthOptions {
  readonly logger: Logger;
  readonly description: string;
  /** A cheap round trip (PING) tried in the background while Redis is marked down. */
  readonly probe: () => Promise<unknown>;
  /** Time between two background probes while down. @default 1000 */
  readonly probeIntervalMs?: number;
}

/**
 * A small circuit breaker: after a failure (lost connection, command timeout) every command fails at once instead of
 * each request waiting for a timeout, until the connection is ready again or a background probe gets an answer.
 */
export function createRedisHealth(options: RedisHealthOptions): RedisHealth {
  const { logger, description } = options;
  const probeIntervalMs = options.probeIntervalMs ?? 1000;
  let state: 'connecting' | 'up' | 'down' = 'connecting';
  let downSince = 0;
  let probeTimer: NodeJS.Timeout | undefined;

  function scheduleProbe(): void {
    if (probeTimer || state !== 'down') return;
    probeTimer = setTimeout(() => {
      void options.probe().then(
        () => {
          probeTimer = undefined;
          reportSuccess();
        },
        () => {
          probeTimer = undefined;
          scheduleProbe();
        },
      );
    }, probeIntervalMs);
    probeTimer.unref();
  }

  function reportFailure(error: unknown): void {
    if (state === 'down') return;
    const wasUp = state === 'up';
    state = 'down';
    downSince = Date.now();
    logger.warn(
      { err: error, redis: description },
      `Redis at ${description} is ${wasUp ? 'unreachable' : 'not reachable yet'}: answering without conversation history and ` +
        'counting rate limits per node until it is back',
    );
    scheduleProbe();
  }

  function reportSuccess(): void {
    if (state === 'up') return;
    if (state === 'down') {
      logger.info(
        { redis: description, outageMs: Date.now() - downSince },
        `Redis at ${description} is reachable again: conversations and rate limits are shared again`,
      );
    } else {
      logger.info({ redis: description }, `Connected to Redis at ${description}`);
    }
    state = 'up';
  }

  return {
    isAvailable: () => state === 'up',
    async run(command) {
      if (state === 'down') {
        throw new TutorError('STORE_UNAVAILABLE', `Redis at ${description} is unavailable; not waiting for it`);
      }
      try {
        const result = await command();
        reportSuccess();
        return result;
      } catch (error) {
        // An error reply (wrong type, script error) means Redis is there and answering.
        if ((error as { name?: unknown } | null)?.name === 'ReplyError') reportSuccess();
        else reportFailure(error);
        throw error;
      }
    },
    reportFailure,
    reportSuccess,
    stop() {
      clearTimeout(probeTimer);
      probeTimer = undefined;
    },
  };
}

/**
 * Opens the three connections a node needs and waits briefly for the first one. A node whose Redis is down keeps
 * serving: commands fail at once (the callers degrade), ioredis reconnects with backoff forever, and the outage is
 * logged once by {@link RedisHealth}.
 */
export async function connectRedis(options: RedisConnectionOptions): Promise<RedisConnections> {
  const { logger } = options;
  const description = describeRedisUrl(options.url);
  const maxDelay = options.maxReconnectDelayMs ?? 2000;
  let closing = false;

  const base: RedisOptions = {
    connectionName: 'tutor',
    // Fail fast instead of queueing while disconnected: a request must not wait for Redis to come back.
    enableOfflineQueue: false,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => (closing ? null : Math.min(100 * 2 ** Math.min(attempt - 1, 10), maxDelay)),
  };
  const client = new Redis(options.url, base);
  const health = createRedisHealth({ logger, description, probe: () => client.ping() });
  client.on('ready', () => health.reportSuccess());
  client.on('error', (error) => health.reportFailure(error));
  client.on('close', () => {
    if (!closing) health.reportFailure(new Error('the connection to Redis was closed'));
  });

  const publisher = client.duplicate();
  const publish = publisher.publish.bind(publisher) as (channel: string, message: string | Buffer) => Promise<number>;
  // The socket.io adapter does not catch its publish promises; a rejected one would be an unhandled rejection.
  (publisher as unknown as { publish: typeof publish }).publish = (channel, message) =>
    publish(channel, message).catch((error: unknown) => {
      logger.debug({ err: error }, 'socket.io broadcast through Redis lost');
      return 0;
    });
  // The adapter subscribes once, at start, and ignores the outcome: those commands must wait for Redis however long it
  // takes (ioredis subscribes again by itself after a reconnect).
  const subscriber = client.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined });
  for (const method of ['subscribe', 'psubscribe'] as const) {
    const original = (subscriber[method] as (...args: unknown[]) => Promise<unknown>).bind(subscriber);
    // ioredis writes (P)SUBSCRIBE at once while a connection is still in its handshake ("connect" status, before the
    // ready check), and the ready check then fails in subscriber mode, losing the subscriptions: wait for "ready".
    const whenReady = async (...args: unknown[]): Promise<unknown> => {
      try {
        if (subscriber.status !== 'ready') await new Promise((resolve) => subscriber.once('ready', resolve));
        return await original(...args);
      } catch (error) {
        if (!closing)
          logger.warn({ err: error }, 'socket.io could not subscribe to Redis; messages between nodes are lost until a restart');
        return 0;
      }
    };
    (subscriber as unknown as Record<typeof method, typeof whenReady>)[method] = whenReady;
  }
  for (const [name, connection] of [
    ['publisher', publisher],
    ['subscriber', subscriber],
  ] as const) {
    // Outages are reported once through the command connection; these would only repeat it.
    connection.on('error', (error) => logger.debug({ err: error, connection: name }, 'Redis connection error'));
  }

  await waitUntilReady(client, options.initialWaitMs ?? 3000);
  if (client.status !== 'ready')
    health.reportFailure(new Error(`no connection to ${description} within ${options.initialWaitMs ?? 3000} ms`));

  return {
    client,
    publisher,
    subscriber,
    health,
    description,
    async close() {
      closing = true;
      health.stop();
      await Promise.all([client, publisher, subscriber].map(closeConnection));
    },
  };
}

function waitUntilReady(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      client.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    client.once('ready', done);
  });
}

/** QUIT when connected (replies in flight arrive first), else just drop the socket and stop reconnecting. */
async function closeConnection(connection: Redis): Promise<void> {
  if (connection.status === 'ready') {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([connection.quit().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, 1000)))]);
    clearTimeout(timer);
  }
  connection.disconnect(false);
}
