import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { postgresDb } from '../../src/db/postgres.ts';
import type { QueryPlan } from '../../src/domain/types.ts';
import type { AnswerLearning } from '../../src/memory/applyLearning.ts';
import type { Kv } from '../../src/memory/kv.ts';
import { createLearnQueue } from '../../src/memory/learnQueue.ts';
import { localEmbedder } from '../../src/memory/localEmbedder.ts';
import { migrate } from '../../src/memory/migrate.ts';
import { frequentPlans } from '../../src/memory/queryHistory.ts';
import { redisKv } from '../../src/memory/redisKv.ts';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
  unreachableRedis,
} from '../helpers/services.ts';

// Learnings written while the memory database is down wait in Redis or, with Redis down too,
// in the journal; draining against the real database applies each exactly once.

const embedder = localEmbedder();
const salesPlan: QueryPlan = { baseTable: 'public.orders', measures: [], dimensions: [], filters: [] };

let database: TestDatabase;
let redis: TestRedis;
let db: Db;
let downDb: Db;
let kv: Kv;
let offlineRedis: Redis;
let downKv: Kv;
let dataDir: string;

async function learning(question: string, userId = 'U1'): Promise<AnswerLearning> {
  return {
    answerId: randomUUID(),
    teamId: 'T1',
    userId,
    query: { question, plan: salesPlan, sql: 'SELECT 1', source: 'rules', success: true, rowCount: 1 },
    pattern: {
      question,
      embedding: (await embedder.embed([question]))[0]!,
      embedder: embedder.id,
      plan: salesPlan,
      sqlTemplate: 'SELECT 1',
      schemaFingerprint: 'fp',
      success: true,
    },
    learnings: [{ type: 'term_mapping', data: { word: 'sales', column: 'public.orders.total' } }],
    usage: { 'chart:table': 1 },
  };
}

async function totals() {
  const [row] = await db.query<{ history: number; success: number; frequency: number; usage: number }>(
    `SELECT (SELECT count(*)::int FROM user_query_history WHERE team_id = 'T1') AS history,
            (SELECT coalesce(sum(success_count), 0)::int FROM query_embeddings WHERE team_id = 'T1') AS success,
            (SELECT coalesce(sum(frequency_count), 0)::int FROM system_learnings WHERE team_id = 'T1') AS frequency,
            (SELECT coalesce(sum((usage_patterns ->> 'chart:table')::int), 0)::int FROM user_profiles WHERE team_id = 'T1') AS usage`,
  );
  return row!;
}

beforeAll(async () => {
  database = await createTestDatabase({ vector: true });
  redis = await createTestRedis();
  db = postgresDb(database.url, { max: 4 });
  await migrate(db);
  // Port 1 on the loopback refuses connections: a memory database that is down.
  downDb = postgresDb('postgres://postgres@127.0.0.1:1/quarry', { max: 1 });
  kv = redisKv(redis.redis, redis.prefix);
  offlineRedis = unreachableRedis();
  downKv = redisKv(offlineRedis, redis.prefix);
  dataDir = await mkdtemp(join(tmpdir(), 'quarry-learn-'));
});

afterAll(async () => {
  await db.close();
  await downDb.close();
  offlineRedis.disconnect();
  await database.drop();
  await redis.cleanup();
  await rm(dataDir, { recursive: true, force: true });
});

describe('learn queue', () => {
  const submitted: AnswerLearning[] = [];
  let queuedBy = 0;

  it('queues in Redis while the memory database is down', async () => {
    const queue = createLearnQueue({ db: downDb, kv, dataDir });
    for (const q of ['total sales last month', 'total sales last month', 'revenue by category']) {
      const l = await learning(q);
      submitted.push(l);
      expect(await queue.submit(l)).toBe('queued');
    }
    expect(await kv.listLength('learn:pending')).toBe(3);
    expect(await queue.pending()).toBe(3);
    queuedBy = Date.now();
  });

  it('falls back to the journal when Redis is down too', async () => {
    const queue = createLearnQueue({ db: downDb, kv: downKv, dataDir });
    const l = await learning('top products', 'U2');
    submitted.push(l);
    expect(await queue.submit(l)).toBe('queued');
    const journal = await readFile(join(dataDir, 'learn-queue.jsonl'), 'utf8');
    expect(
      journal
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).answerId),
    ).toEqual([l.answerId]);
    expect(await queue.drain()).toEqual({ applied: 0, duplicates: 0, failed: 0, remaining: 1 });
  });

  it('drains everything exactly once against the real database, even replayed items', async () => {
    // A drain that died after applying but before dequeuing leaves the item to be read again.
    await kv.listPush('learn:pending', JSON.stringify(submitted[0]));
    await new Promise((r) => setTimeout(r, 20));
    const queue = createLearnQueue({ db, kv, dataDir });
    expect(await queue.drain()).toEqual({ applied: 4, duplicates: 1, failed: 0, remaining: 0 });
    const expected = { history: 4, success: 4, frequency: 4, usage: 4 };
    expect(await totals()).toEqual(expected);
    // The same question twice is one pattern with two successes.
    const [pattern] = await db.query<{ success_count: number }>(
      `SELECT success_count FROM query_embeddings WHERE team_id = 'T1' AND question = 'total sales last month'`,
    );
    expect(pattern!.success_count).toBe(2);
    // Queued learnings keep the time they were asked, not the time they were applied.
    const [history] = await db.query<{ created_at: Date }>(
      'SELECT created_at FROM user_query_history WHERE answer_id = $1',
      [submitted[0]!.answerId],
    );
    expect(history!.created_at.getTime()).toBeLessThanOrEqual(queuedBy);

    expect(await queue.drain()).toEqual({ applied: 0, duplicates: 0, failed: 0, remaining: 0 });
    expect(await queue.submit(submitted[1]!)).toBe('duplicate');
    expect(await totals()).toEqual(expected);
  });

  it('two replicas draining the same queue apply each learning once', async () => {
    const down = createLearnQueue({ db: downDb, kv, dataDir });
    for (let i = 0; i < 6; i++) await down.submit(await learning(`question ${i}`, 'U3'));
    const other = postgresDb(database.url, { max: 2 });
    try {
      const reports = await Promise.all([
        createLearnQueue({ db, kv, dataDir }).drain(),
        createLearnQueue({ db: other, kv, dataDir }).drain(),
      ]);
      expect(reports.reduce((n, r) => n + r.applied, 0)).toBe(6);
      expect(await kv.listLength('learn:pending')).toBe(0);
      expect((await totals()).history).toBe(10);
    } finally {
      await other.close();
    }
  });

  it('sets aside, and does not retry, a learning the database rejects', async () => {
    const bad = await learning('a question');
    // Not a source the history table accepts.
    (bad.query as { source: string }).source = 'guesswork';
    const queue = createLearnQueue({ db, kv, dataDir });
    expect(await queue.submit(bad)).toBe('failed');
    expect(await queue.pending()).toBe(0);
    const failed = await readFile(join(dataDir, 'learn-failed.jsonl'), 'utf8');
    expect(JSON.parse(failed.trim()).answerId).toBe(bad.answerId);
    expect((await totals()).history).toBe(10);
  });

  it('feeds /usual with the learned patterns and their success rates', async () => {
    const usual = await frequentPlans(db, { teamId: 'T1', userId: 'U1' });
    expect(usual).toHaveLength(1);
    expect(usual[0]).toMatchObject({ times: 3, successRate: 1 });
    expect(usual[0]!.patternId).toEqual(expect.any(Number));
  });
});
