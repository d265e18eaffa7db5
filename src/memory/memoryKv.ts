import type { Kv } from './kv.ts';

// The in-process Kv for the embedded default: one process, nothing to install. Expiry follows
// Redis: a key past its deadline is gone for every command, TTL rounds to whole seconds.

interface Entry {
  value: string | string[];
  /** Epoch milliseconds; absent for keys that never expire. */
  expiresAt?: number;
}

const WRONG_TYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

export interface MemoryKvOptions {
  /** Clock in epoch milliseconds; tests pass their own to move time. */
  now?: () => number;
}

export function memoryKv(options: MemoryKvOptions = {}): Kv {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  let writesSinceSweep = 0;

  function live(key: string): Entry | undefined {
    const e = entries.get(key);
    if (e?.expiresAt !== undefined && e.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return e;
  }

  /** Expired keys nobody reads again would stay forever; drop them now and then. */
  function sweepSometimes(): void {
    if (++writesSinceSweep < 1000) return;
    writesSinceSweep = 0;
    for (const key of entries.keys()) live(key);
  }

  function put(key: string, value: string | string[], ttlSeconds?: number): void {
    sweepSometimes();
    entries.set(key, { value, expiresAt: ttlSeconds === undefined ? undefined : now() + ttlSeconds * 1000 });
  }

  function text(key: string): string | null {
    const e = live(key);
    if (!e) return null;
    if (typeof e.value !== 'string') throw new Error(WRONG_TYPE);
    return e.value;
  }

  function list(key: string): string[] | undefined {
    const e = live(key);
    if (e && typeof e.value === 'string') throw new Error(WRONG_TYPE);
    return e?.value as string[] | undefined;
  }

  return {
    durable: false,
    async get(key) {
      return text(key);
    },
    async getAndExpire(key, ttlSeconds) {
      const value = text(key);
      if (value !== null) entries.get(key)!.expiresAt = now() + ttlSeconds * 1000;
      return value;
    },
    async set(key, value, ttlSeconds) {
      put(key, value, ttlSeconds);
    },
    async setIfAbsent(key, value, ttlSeconds) {
      if (live(key)) return false;
      put(key, value, ttlSeconds);
      return true;
    },
    async del(key) {
      return live(key) !== undefined && entries.delete(key);
    },
    async delIfEquals(key, value) {
      return text(key) === value && entries.delete(key);
    },
    async expire(key, ttlSeconds) {
      const e = live(key);
      if (!e) return false;
      e.expiresAt = now() + ttlSeconds * 1000;
      return true;
    },
    async ttl(key) {
      const e = live(key);
      if (!e) return -2;
      if (e.expiresAt === undefined) return -1;
      return Math.round((e.expiresAt - now()) / 1000);
    },
    async incr(key, ttlSeconds, by = 1) {
      const current = text(key);
      if (current !== null && !/^-?\d+$/.test(current))
        throw new Error('ERR value is not an integer or out of range');
      const next = Number(current ?? 0) + by;
      if (current === null) put(key, String(next), ttlSeconds);
      else entries.get(key)!.value = String(next);
      return next;
    },
    async listPush(key, value) {
      const items = list(key);
      if (items) return items.push(value);
      put(key, [value]);
      return 1;
    },
    async listHead(key) {
      return list(key)?.[0] ?? null;
    },
    async listShift(key) {
      const items = list(key);
      const head = items?.shift() ?? null;
      if (items?.length === 0) entries.delete(key);
      return head;
    },
    async listLength(key) {
      return list(key)?.length ?? 0;
    },
    async close() {
      entries.clear();
    },
  };
}
