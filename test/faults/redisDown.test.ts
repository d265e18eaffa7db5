// Redis stopped, and Redis flushed, in the middle of a thread: the answers still come; a thread
// Redis lost is rebuilt from the query history, and when the history lacks it too, the answer
// says it went on without it. Redis and both databases are this file's own servers.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../../src/pipeline/index.ts';
import type { Runtime } from '../../src/runtime.ts';
import { openTestRuntime } from '../helpers/testRuntime.ts';
import { demoDatabasesOn } from '../helpers/throwawayDemo.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../helpers/throwawayPostgres.ts';
import { startThrowawayRedis, type ThrowawayRedis } from '../helpers/throwawayRedis.ts';

const NO_CONTEXT = /this thread's earlier questions/;
let server: ThrowawayPostgres;
let redis: ThrowawayRedis;
let runtime: Runtime;

/** The first question of a thread, or (`reply`) a later one, as the surfaces mark them. */
const ask = (question: string, threadTs: string, reply = false) =>
  answer(
    question,
    { teamId: 'T', userId: 'U', session: { teamId: 'T', channelId: 'C', threadTs }, threadReply: reply },
    runtime.pipeline,
  );

async function untilRedisAnswers(): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await runtime.kv.get('probe');
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Waits until the learn stage has written the thread's questions to the query history. */
async function untilRecorded(threadTs: string, questions: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const [row] = await runtime.memoryDb.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM user_query_history WHERE thread_ts = $1',
      [threadTs],
    );
    if (row!.n >= questions) return;
    if (Date.now() > deadline) throw new Error(`${threadTs}: not recorded in time`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  [server, redis] = await Promise.all([startThrowawayPostgres(), startThrowawayRedis()]);
  runtime = await openTestRuntime({ ...(await demoDatabasesOn(server)), REDIS_URL: redis.url });
}, 120_000);

afterAll(async () => {
  await runtime?.close();
  await Promise.all([server?.destroy(), redis?.stop()]);
});

describe('Redis faults mid-conversation', () => {
  it('goes on without the thread while Redis is down, and says so', async () => {
    expect((await ask('total sales last month', 'down')).error).toBeNull();
    const followUp = await ask('now break that down by product category', 'down', true);
    expect(followUp.source).toBe('followup');

    await redis.stop();
    const started = performance.now();
    const a = await ask('now only for Germany', 'down', true);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(a.error?.kind).not.toBe('internal');
    expect(a.notes.join(' ')).toMatch(NO_CONTEXT);
    expect(a.summary).toBeTruthy();

    await redis.start();
    await untilRedisAnswers();
    const fresh = await ask('how many orders', 'after-restart');
    expect(fresh.error).toBeNull();
    expect(fresh.notes).toEqual([]);
  }, 60_000);

  it('rebuilds the thread from the query history when Redis lost it (flushed)', async () => {
    expect((await ask('total sales last month', 'flushed')).error).toBeNull();
    expect((await ask('now break that down by product category', 'flushed', true)).source).toBe('followup');
    await untilRecorded('flushed', 2);
    await redis.flushAll();
    const a = await ask('now only for Germany', 'flushed', true);
    expect(a.source).toBe('followup');
    expect(a.sql).toContain('GROUP BY products.category');
    expect(a.notes).toEqual([]);
    // The thread goes on from here.
    expect((await ask('now by month', 'flushed', true)).notes).toEqual([]);
  }, 60_000);

  it('says it went on without the thread when neither Redis nor the history has it', async () => {
    const a = await ask('now only for Germany', 'never-recorded', true);
    expect(a.error?.kind).not.toBe('internal');
    expect(a.notes.join(' ')).toMatch(
      /no longer have this thread's earlier questions .* answered this one on its own/,
    );
  }, 60_000);
});
