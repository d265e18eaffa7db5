import { Redis, ReplyError } from 'ioredis';
import { MemoryUnavailable } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Kv } from './kv.ts';
import { outageLog, watchRedis } from './redisOutages.ts';

// Kv on Redis. A Redis that is down or hung must cost an answer milliseconds, not a hang:
// commands are not queued while disconnected, retried once, and time out after two seconds;
// every such failure is a MemoryUnavailable the caller can shrug off.

const INCR_WITH_TTL = `local created = redis.call('EXISTS', KEYS[1]) == 0
local v = redis.call('INCRBY', KEYS[1], ARGV[2])
if created and ARGV[1] ~= '' then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return v`;

const DEL_IF_EQUALS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const FAIL_FAST = {
  connectTimeout: 2000,
  commandTimeout: 2000,
  maxRetriesPerRequest: 1,
  enableOfflineQueue: false,
  // Keep reconnecting in the background, at most every 5 s, so Redis coming back is noticed.
  retryStrategy: (times: number) => Math.min(times * 250, 5000),
} as const;

function unavailable(e: unknown): unknown {
  // A reply error is Redis answering (wrong type…): a bug to see, not an outage.
  if (e instanceof ReplyError) return e;
  return new MemoryUnavailable(
    "Quarry's short-term memory (Redis) is not reachable right now.",
    e instanceof Error ? e.message : String(e),
  );
}

/** A Kv over an existing client; every key gets `prefix` (one client may serve several). */
export function redisKv(redis: Redis, prefix = ''): Kv {
  const k = (key: string) => prefix + key;
  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw unavailable(e);
    }
  };
  return {
    durable: true,
    get: (key) => call(() => redis.get(k(key))),
    getAndExpire: (key, ttl) => call(() => redis.getex(k(key), 'EX', ttl)),
    set: (key, value, ttl) =>
      call(async () => {
        if (ttl === undefined) await redis.set(k(key), value);
        else await redis.set(k(key), value, 'EX', ttl);
      }),
    setIfAbsent: (key, value, ttl) =>
      call(async () => (await redis.set(k(key), value, 'EX', ttl, 'NX')) === 'OK'),
    del: (key) => call(async () => (await redis.del(k(key))) > 0),
    delIfEquals: (key, value) => call(async () => (await redis.eval(DEL_IF_EQUALS, 1, k(key), value)) === 1),
    expire: (key, ttl) => call(async () => (await redis.expire(k(key), ttl)) === 1),
    ttl: (key) => call(() => redis.ttl(k(key))),
    incr: (key, ttl, by = 1) =>
      call(async () => Number(await redis.eval(INCR_WITH_TTL, 1, k(key), ttl ?? '', by))),
    listPush: (key, value) => call(() => redis.rpush(k(key), value)),
    listHead: (key) => call(() => redis.lindex(k(key), 0)),
    listShift: (key) => call(() => redis.lpop(k(key))),
    listLength: (key) => call(() => redis.llen(k(key))),
    async close() {
      redis.disconnect();
    },
  };
}

/** Connects to REDIS_URL with fail-fast settings; MemoryUnavailable when it cannot. Once
 *  connected, a later outage is logged to `log` once, and its end. */
export async function connectRedisKv(
  url: string,
  options: { prefix?: string; log?: Logger } = {},
): Promise<Kv> {
  const redis = new Redis(url, { ...FAIL_FAST, lazyConnect: true, enableAutoPipelining: true });
  // Without a listener an unreachable server would be reported as an unhandled 'error' event;
  // a first connection that fails is the caller's to report.
  const silent = () => {};
  redis.on('error', silent);
  try {
    await redis.connect();
  } catch (e) {
    redis.disconnect();
    throw unavailable(e);
  }
  if (options.log) {
    redis.off('error', silent);
    watchRedis(redis, outageLog(options.log, 'short-term memory'));
  }
  return redisKv(redis, options.prefix);
}
