// Real services for integration tests: each caller gets its own PostgreSQL database and its
// own Redis key prefix, and removes them afterwards. The shared servers are never stopped.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Kv } from '../../src/memory/kv.ts';
import { redisKv } from '../../src/memory/redisKv.ts';

export const TEST_PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function uniqueName(prefix = 'quarry_test'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

function urlFor(database: string): string {
  const u = new URL(TEST_PG_ADMIN_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Creates an empty database (with pgvector when `vector` is true) for one test file. */
export async function createTestDatabase(options: { vector?: boolean } = {}): Promise<TestDatabase> {
  const name = uniqueName();
  const admin = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = urlFor(name);
  if (options.vector) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query('CREATE EXTENSION IF NOT EXISTS vector');
    } finally {
      await c.end();
    }
  }
  return {
    name,
    url,
    async drop() {
      const a = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
      await a.connect();
      try {
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

export interface TestRedis {
  prefix: string;
  redis: Redis;
  /** Quarry's Kv over this connection, every key under the prefix. */
  kv: Kv;
  cleanup(): Promise<void>;
}

/** A client of a Redis that is down (nothing listens on port 1 of the loopback) that fails at
 *  once instead of queueing commands or reconnecting. Disconnect it when done. */
export function unreachableRedis(): Redis {
  const client = new Redis('redis://127.0.0.1:1', {
    lazyConnect: true,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // Without a listener the refused connection would be an unhandled 'error' event.
  client.on('error', () => {});
  return client;
}

/** A Redis connection and a key prefix owned by one test file; cleanup deletes its keys. */
export async function createTestRedis(): Promise<TestRedis> {
  const prefix = `${uniqueName()}:`;
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  return {
    prefix,
    redis,
    kv: redisKv(redis, prefix),
    async cleanup() {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      redis.disconnect();
    },
  };
}
