import type { SchemaInfo } from '../../domain/types.ts';

// Places a discovered schema is kept between questions, fastest first. The in-process layer
// hands back the very object it was given (no copy, no parse), which keeps a warm hit far
// under a millisecond even for thousands of tables; callers treat schemas as read-only.

export interface SchemaCacheLayer {
  /** 'memory' (in-process), 'kv' (Redis) or 'store' (Postgres `schema_cache`). */
  name: string;
  get(dbLabel: string): Promise<SchemaInfo | null>;
  set(dbLabel: string, schema: SchemaInfo): Promise<void>;
}

export const SCHEMA_TTL_SECONDS = 3600;

export function memorySchemaLayer(
  options: { ttlSeconds?: number; now?: () => number } = {},
): SchemaCacheLayer {
  const ttlMs = (options.ttlSeconds ?? SCHEMA_TTL_SECONDS) * 1000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { schema: SchemaInfo; expiresAt: number }>();
  return {
    name: 'memory',
    async get(dbLabel) {
      const entry = entries.get(dbLabel);
      if (!entry) return null;
      if (entry.expiresAt > now()) return entry.schema;
      entries.delete(dbLabel);
      return null;
    },
    async set(dbLabel, schema) {
      entries.set(dbLabel, { schema, expiresAt: now() + ttlMs });
    },
  };
}

/** The part of a Redis client the kv layer needs; TTL in seconds. */
export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
}

export const schemaKey = (dbLabel: string) => `schema:${dbLabel}:tables`;

// Bumped when SchemaInfo changes shape, so a deploy never reads what an older one stored.
const STORED_FORMAT = 1;

interface StoredSchema {
  format: number;
  schema: SchemaInfo;
}

export function kvSchemaLayer(kv: KeyValueStore, options: { ttlSeconds?: number } = {}): SchemaCacheLayer {
  const ttlSeconds = options.ttlSeconds ?? SCHEMA_TTL_SECONDS;
  return {
    name: 'kv',
    async get(dbLabel) {
      const text = await kv.get(schemaKey(dbLabel));
      if (text === null) return null;
      const stored = JSON.parse(text) as Partial<StoredSchema>;
      return stored.format === STORED_FORMAT && stored.schema ? stored.schema : null;
    },
    async set(dbLabel, schema) {
      const stored: StoredSchema = { format: STORED_FORMAT, schema };
      await kv.set(schemaKey(dbLabel), JSON.stringify(stored), ttlSeconds);
    },
  };
}
