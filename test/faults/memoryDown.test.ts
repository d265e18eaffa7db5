// The memory PostgreSQL down for a while (about 3 s here, to keep the test short; nothing in
// the code depends on how long), then back: answers keep coming with a note, and every
// learning made meanwhile is applied once it is back — counted in rows, nothing lost and
// nothing doubled. Target, memory and Redis are this file's own servers.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { postgresDb } from '../../src/db/postgres.ts';
import { answer } from '../../src/pipeline/index.ts';
import type { Runtime } from '../../src/runtime.ts';
import { openTestRuntime } from '../helpers/testRuntime.ts';
import { demoDatabasesOn } from '../helpers/throwawayDemo.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../helpers/throwawayPostgres.ts';
import { startThrowawayRedis, type ThrowawayRedis } from '../helpers/throwawayRedis.ts';

const DOWN_FOR_MS = 3000;
const QUESTIONS_WHILE_DOWN = [
  'total sales last month',
  'how many orders by status',
  'top 5 products by revenue',
  'number of customers by country',
];
let targetServer: ThrowawayPostgres;
let memoryServer: ThrowawayPostgres;
let redis: ThrowawayRedis;
let memory: Db;
let runtime: Runtime;

const ask = (question: string, threadTs: string) =>
  answer(
    question,
    { teamId: 'T', userId: 'U', session: { teamId: 'T', channelId: 'C', threadTs } },
    runtime.pipeline,
  );

async function counts() {
  const [row] = await memory.query<{ history: number; answers: number; patterns: number; runs: number }>(
    `SELECT (SELECT count(*)::int FROM user_query_history) AS history,
            (SELECT count(DISTINCT answer_id)::int FROM user_query_history) AS answers,
            (SELECT count(*)::int FROM query_embeddings) AS patterns,
            (SELECT coalesce(sum(success_count + failure_count), 0)::int FROM query_embeddings) AS runs`,
  );
  return row!;
}

beforeAll(async () => {
  [targetServer, memoryServer, redis] = await Promise.all([
    startThrowawayPostgres(),
    startThrowawayPostgres(),
    startThrowawayRedis(),
  ]);
  const databases = await demoDatabasesOn(targetServer, memoryServer);
  memory = postgresDb(databases.MEMORY_DATABASE_URL, { max: 1 });
  runtime = await openTestRuntime({ ...databases, REDIS_URL: redis.url });
}, 120_000);

afterAll(async () => {
  await runtime?.close();
  await memory?.close();
  await Promise.all([targetServer?.destroy(), memoryServer?.destroy(), redis?.stop()]);
});

describe('memory database down, then back', () => {
  it('answers meanwhile and applies every learning exactly once when it is back', async () => {
    const first = await ask('how many orders', 'before');
    expect(first.error).toBeNull();
    expect(await counts()).toMatchObject({ history: 1, answers: 1 });

    await memoryServer.stop();
    const downSince = Date.now();
    for (const [i, question] of QUESTIONS_WHILE_DOWN.entries()) {
      const a = await ask(question, `down-${i}`);
      expect(a.error, question).toBeNull();
      expect(a.rows.length).toBeGreaterThan(0);
      expect(a.notes.join(' ')).toMatch(/long-term memory is unavailable right now/);
    }
    expect(await runtime.learnQueue.pending()).toBe(QUESTIONS_WHILE_DOWN.length);
    await new Promise((r) => setTimeout(r, Math.max(0, DOWN_FOR_MS - (Date.now() - downSince))));
    await memoryServer.start();

    const report = await runtime.learnQueue.drain();
    expect(report).toMatchObject({ applied: QUESTIONS_WHILE_DOWN.length, failed: 0, remaining: 0 });
    const after = await counts();
    expect(after).toMatchObject({
      history: 1 + QUESTIONS_WHILE_DOWN.length,
      answers: 1 + QUESTIONS_WHILE_DOWN.length,
    });
    expect(after.runs).toBe(after.history);

    // Draining again, or answering again, doubles nothing.
    expect(await runtime.learnQueue.drain()).toMatchObject({ applied: 0, remaining: 0 });
    expect(await counts()).toEqual(after);
    const back = await ask('how many orders', 'after');
    expect(back.notes).toEqual([]);
    expect((await counts()).history).toBe(after.history + 1);
  }, 60_000);
});
