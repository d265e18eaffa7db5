// The fast, expiring store behind sessions, caches, de-duplication markers and locks
// (docs/architecture.md#the-short-term-store). Redis in production; an in-process map with the
// same TTL semantics when REDIS_URL is not set. Values are strings; callers keep JSON in them.

export interface Kv {
  /** Whether values outlive this process (Redis), so a retry queue may be kept here. */
  readonly durable: boolean;
  get(key: string): Promise<string | null>;
  /** Reads a value and restarts its expiry in one step (Redis GETEX). */
  getAndExpire(key: string, ttlSeconds: number): Promise<string | null>;
  /** Stores a value; without `ttlSeconds` it never expires. */
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  /** Stores only when the key is absent (SET NX): true when this call stored it. */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  del(key: string): Promise<boolean>;
  /** Deletes the key only while it still holds `value` (releasing a lock one still owns). */
  delIfEquals(key: string, value: string): Promise<boolean>;
  /** Sets a new expiry; false when the key does not exist. */
  expire(key: string, ttlSeconds: number): Promise<boolean>;
  /** Seconds left (rounded as Redis does); -1 when the key never expires; -2 when it is absent. */
  ttl(key: string): Promise<number>;
  /** Adds `by` (default one); a key created by this call gets `ttlSeconds` when given. */
  incr(key: string, ttlSeconds?: number, by?: number): Promise<number>;
  /** Appends to the tail of a list; returns its new length. */
  listPush(key: string, value: string): Promise<number>;
  /** The head of a list, left in place. */
  listHead(key: string): Promise<string | null>;
  /** Removes and returns the head of a list. */
  listShift(key: string): Promise<string | null>;
  listLength(key: string): Promise<number>;
  close(): Promise<void>;
}

/** Reads a JSON value; a value that no longer parses counts as absent. */
export async function getJson<T>(kv: Kv, key: string, refreshTtlSeconds?: number): Promise<T | null> {
  const raw =
    refreshTtlSeconds === undefined ? await kv.get(key) : await kv.getAndExpire(key, refreshTtlSeconds);
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}

export function setJson(kv: Kv, key: string, value: unknown, ttlSeconds?: number): Promise<void> {
  return kv.set(key, JSON.stringify(value), ttlSeconds);
}
