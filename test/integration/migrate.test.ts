import { readdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteDb } from '../../src/db/pglite.ts';
import { postgresDb } from '../../src/db/postgres.ts';
import { MemoryUnavailable } from '../../src/errors.ts';
import { localEmbedder } from '../../src/memory/localEmbedder.ts';
import { MIGRATIONS_DIR, migrate } from '../../src/memory/migrate.ts';
import { findSimilarPatterns, upsertPattern } from '../../src/memory/patterns.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/services.ts';

const MEMORY_TABLES = [
  'answer_feedback',
  'digest_runs',
  'digest_schedules',
  'knowledge_definitions',
  'query_embeddings',
  'schema_cache',
  'schema_migrations',
  'slack_installations',
  'system_learnings',
  'team_definitions',
  'usual_pins',
  'user_profiles',
  'user_query_history',
  'verified_answers',
].sort();

async function migrationNames(): Promise<string[]> {
  return (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
}

async function tablesOf(db: { query: <R>(sql: string) => Promise<R[]> }): Promise<string[]> {
  const rows = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
  );
  // Sorted here: the servers' collations order underscores differently.
  return rows.map((r) => r.table_name).sort();
}

describe('migrate on PostgreSQL', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    // No extension created beforehand: the migrations install pgvector themselves.
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('applies every migration once, and nothing the second time', async () => {
    const db = postgresDb(database.url, { max: 2 });
    try {
      const first = await migrate(db);
      expect(first.applied).toEqual(await migrationNames());
      expect(await tablesOf(db)).toEqual(MEMORY_TABLES);
      const second = await migrate(db);
      expect(second.applied).toEqual([]);
    } finally {
      await db.close();
    }
  });
});

describe('two replicas migrating at once', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('take turns: one applies everything, the other nothing, no error', async () => {
    const a = postgresDb(database.url, { max: 1 });
    const b = postgresDb(database.url, { max: 1 });
    try {
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      const applied = [...ra.applied, ...rb.applied].sort();
      expect(applied).toEqual(await migrationNames());
      expect([ra.applied.length, rb.applied.length]).toContain(0);
      const [row] = await a.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
      expect(row!.n).toBe(applied.length);
      expect(await tablesOf(a)).toEqual(MEMORY_TABLES);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('migrate on the embedded PGlite', () => {
  it('creates the same tables with the vector extension, and a pattern search works', async () => {
    const db = pgliteDb(new PGlite({ extensions: { vector } }));
    try {
      expect((await migrate(db)).applied).toEqual(await migrationNames());
      expect((await migrate(db)).applied).toEqual([]);
      expect(await tablesOf(db)).toEqual(MEMORY_TABLES);
      const [idx] = await db.query<{ indexdef: string }>(
        `SELECT indexdef FROM pg_indexes WHERE indexname = 'query_embeddings_embedding'`,
      );
      expect(idx!.indexdef).toContain('hnsw');
      const embedder = localEmbedder();
      const [stored, asked] = await embedder.embed([
        'total sales last month',
        "last month's revenue in total",
      ]);
      const id = await upsertPattern(db, {
        teamId: 'T1',
        userId: 'U1',
        question: 'total sales last month',
        embedding: stored!,
        embedder: embedder.id,
        plan: { baseTable: 'public.orders', measures: [], dimensions: [], filters: [] },
        sqlTemplate: null,
        schemaFingerprint: 'fp',
        success: true,
      });
      const found = await findSimilarPatterns(db, {
        teamId: 'T1',
        userId: 'U1',
        embedding: asked!,
        embedder: embedder.id,
      });
      expect(found.map((p) => [p.id, p.owner])).toEqual([[id, 'user']]);
      expect(found[0]!.similarity).toBeGreaterThan(0.85);
    } finally {
      await db.close();
    }
  });

  it('says how to add pgvector when the extension is missing', async () => {
    const db = pgliteDb(new PGlite());
    try {
      const error = await migrate(db).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MemoryUnavailable);
      expect((error as MemoryUnavailable).userMessage).toMatch(/pgvector/);
      expect((error as MemoryUnavailable).userMessage).toMatch(/extensions: \{ vector \}/);
      expect(await tablesOf(db)).toEqual([]);
    } finally {
      await db.close();
    }
  });
});

describe('an unreachable memory database', () => {
  it('is reported as MemoryUnavailable', async () => {
    // Port 1 on the loopback refuses connections.
    const db = postgresDb('postgres://postgres@127.0.0.1:1/quarry', { max: 1 });
    try {
      await expect(migrate(db)).rejects.toBeInstanceOf(MemoryUnavailable);
    } finally {
      await db.close();
    }
  });
});
