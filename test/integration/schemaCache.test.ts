import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { postgresDb } from '../../src/db/postgres.ts';
import type { SchemaInfo } from '../../src/domain/types.ts';
import {
  type KeyValueStore,
  kvSchemaLayer,
  loadSchema,
  memorySchemaLayer,
  refreshSchema,
  type SchemaCacheLayer,
  schemaKey,
} from '../../src/pipeline/schema.ts';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '../helpers/services.ts';

let database: TestDatabase;
let redis: TestRedis;
let db: Db;
let kv: KeyValueStore;

/** A durable layer as the memory code provides it, kept in a map here. */
function storeLayer(): SchemaCacheLayer & { saved: Map<string, SchemaInfo> } {
  const saved = new Map<string, SchemaInfo>();
  return {
    name: 'store',
    saved,
    async get(label) {
      return saved.get(label) ?? null;
    },
    async set(label, schema) {
      saved.set(label, schema);
    },
  };
}

const redisKey = (label: string) => redis.prefix + schemaKey(label);

beforeAll(async () => {
  database = await createTestDatabase();
  redis = await createTestRedis();
  db = postgresDb(database.url);
  await db.exec(`CREATE TABLE customers (id integer PRIMARY KEY, country text NOT NULL);
    CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer NOT NULL, total numeric(12,2));`);
  kv = {
    get: (key) => redis.redis.get(redis.prefix + key),
    set: async (key, value, ttlSeconds) => {
      await redis.redis.set(redis.prefix + key, value, 'EX', ttlSeconds);
    },
  };
});

afterAll(async () => {
  await db?.close();
  await redis?.cleanup();
  await database?.drop();
});

describe('loadSchema through cache layers', () => {
  it('discovers on a cold cache and fills every layer, Redis under schema:<db>:tables for an hour', async () => {
    const memory = memorySchemaLayer();
    const store = storeLayer();
    const loaded = await loadSchema(db, [memory, kvSchemaLayer(kv), store]);
    expect(loaded.source).toBe('discovered');
    expect(loaded.ms).toBeGreaterThan(0);
    expect(loaded.schema.tables.map((t) => t.key)).toEqual(['public.customers', 'public.orders']);
    expect(await memory.get(db.label)).toBe(loaded.schema);
    expect(store.saved.get(db.label)).toBe(loaded.schema);
    const stored = JSON.parse((await redis.redis.get(redisKey(db.label)))!);
    expect(stored.schema).toEqual(loaded.schema);
    const ttl = await redis.redis.ttl(redisKey(db.label));
    expect(ttl).toBeGreaterThan(3590);
    expect(ttl).toBeLessThanOrEqual(3600);
  });

  it('answers from the first layer that has the schema and fills the faster ones', async () => {
    const first = await loadSchema(db, [kvSchemaLayer(kv)]);
    const memory = memorySchemaLayer();
    const fromKv = await loadSchema(db, [memory, kvSchemaLayer(kv)]);
    expect(fromKv.source).toBe('kv');
    expect(fromKv.schema).toEqual(first.schema);
    const fromMemory = await loadSchema(db, [memory, kvSchemaLayer(kv)]);
    expect(fromMemory.source).toBe('memory');
    expect(fromMemory.schema).toBe(fromKv.schema);
  });

  it('reports a durable layer as the store and fills memory and Redis from it', async () => {
    await redis.redis.del(redisKey(db.label));
    const store = storeLayer();
    const known = (await loadSchema(db, [])).schema;
    await store.set(db.label, known);
    const memory = memorySchemaLayer();
    const loaded = await loadSchema(db, [memory, kvSchemaLayer(kv), store]);
    expect(loaded.source).toBe('store');
    expect(await memory.get(db.label)).toBe(known);
    expect(JSON.parse((await redis.redis.get(redisKey(db.label)))!).schema).toEqual(known);
  });

  it('treats an unreadable or outdated Redis value as a miss and reports it', async () => {
    const errors: string[] = [];
    await redis.redis.set(redisKey(db.label), '{not json', 'EX', 60);
    const broken = await loadSchema(db, [kvSchemaLayer(kv)], { onCacheError: (layer) => errors.push(layer) });
    expect(broken.source).toBe('discovered');
    expect(errors).toEqual(['kv']);
    await redis.redis.set(redisKey(db.label), JSON.stringify({ format: 0, schema: broken.schema }), 'EX', 60);
    expect((await loadSchema(db, [kvSchemaLayer(kv)])).source).toBe('discovered');
  });

  it('goes on without a layer that fails', async () => {
    const failing: SchemaCacheLayer = {
      name: 'kv',
      get: () => Promise.reject(new Error('connection refused')),
      set: () => Promise.reject(new Error('connection refused')),
    };
    const errors: string[] = [];
    const loaded = await loadSchema(db, [failing], { onCacheError: (layer) => errors.push(layer) });
    expect(loaded.source).toBe('discovered');
    expect(errors).toEqual(['kv', 'kv']);
  });

  it('refreshSchema rediscovers a changed database and overwrites every layer', async () => {
    const memory = memorySchemaLayer();
    const layers = [memory, kvSchemaLayer(kv)];
    const old = (await loadSchema(db, layers)).schema;
    await db.exec('ALTER TABLE orders ADD COLUMN placed_at timestamptz');
    expect((await loadSchema(db, layers)).schema).toBe(old);
    const refreshed = await refreshSchema(db, layers);
    expect(refreshed.source).toBe('discovered');
    expect(refreshed.schema.fingerprint).not.toBe(old.fingerprint);
    expect(await memory.get(db.label)).toBe(refreshed.schema);
    const fromKv = await loadSchema(db, [kvSchemaLayer(kv)]);
    expect(fromKv.schema.fingerprint).toBe(refreshed.schema.fingerprint);
  });

  it('keeps each database under its own label', async () => {
    const other = await createTestDatabase();
    const otherDb = postgresDb(other.url);
    try {
      const memory = memorySchemaLayer();
      await loadSchema(db, [memory, kvSchemaLayer(kv)]);
      const loaded = await loadSchema(otherDb, [memory, kvSchemaLayer(kv)]);
      expect(loaded.source).toBe('discovered');
      expect(loaded.schema.tables).toEqual([]);
      expect(await redis.redis.exists(redisKey(otherDb.label))).toBe(1);
    } finally {
      await otherDb.close();
      await other.drop();
    }
  });
});
