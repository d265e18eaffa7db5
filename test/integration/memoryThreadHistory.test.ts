// A thread as the query history records it, on a real PostgreSQL: the lookups behind the
// thread marker and the session when Redis has lost them, and the session rebuilt from them
// into a real Redis (under this file's key prefix).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isQuarryThread } from '../../src/bot/threads.ts';
import type { Db } from '../../src/db/client.ts';
import type { QueryPlan } from '../../src/domain/types.ts';
import { createLogger } from '../../src/log.ts';
import { recordQuery } from '../../src/memory/queryHistory.ts';
import { redisKv } from '../../src/memory/redisKv.ts';
import { loadSession, type SessionRef, sessionKey } from '../../src/memory/sessions.ts';
import { threadTurns, threadWasAnswered } from '../../src/memory/threadHistory.ts';
import { loadThreadSession } from '../../src/pipeline/threadSession.ts';
import { openMemoryTestDb } from '../helpers/memoryDatabase.ts';
import { createTestRedis, type TestRedis, unreachableRedis } from '../helpers/services.ts';

let db: Db;
let redis: TestRedis;
const log = createLogger('silent');
const DAY = 86_400;

beforeAll(async () => {
  [db, redis] = await Promise.all([openMemoryTestDb({ max: 4 }), createTestRedis()]);
});

afterAll(async () => {
  await Promise.all([db?.close(), redis?.cleanup()]);
});

const totalSales: QueryPlan = {
  baseTable: 'public.orders',
  measures: [
    { agg: 'sum', expr: { kind: 'column', ref: { table: 'public.orders', column: 'total' } }, as: 'sales' },
  ],
  dimensions: [],
  filters: [{ ref: { table: 'public.orders', column: 'status' }, op: '=', value: 'paid' }],
};
const byCategory: QueryPlan = {
  ...totalSales,
  dimensions: [{ ref: { table: 'public.products', column: 'category' }, as: 'category' }],
};

const secondsAgo = (s: number) => new Date(Date.now() - s * 1000).toISOString();

function asked(
  ref: SessionRef,
  question: string,
  options: { plan?: QueryPlan; success?: boolean; ago?: number; userId?: string; teamId?: string } = {},
) {
  return recordQuery(db, {
    teamId: options.teamId ?? ref.teamId,
    userId: options.userId ?? 'U1',
    answerId: randomUUID(),
    sessionId: 'S1',
    thread: { channelId: ref.channelId, threadTs: ref.threadTs },
    question,
    plan: options.plan ?? null,
    sql: options.plan ? 'SELECT 1' : null,
    source: options.plan ? 'rules' : null,
    success: options.success ?? true,
    errorKind: options.success === false ? 'not_understood' : null,
    askedAt: secondsAgo(options.ago ?? 60),
  });
}

describe('thread history lookups', () => {
  it('find a thread by workspace, channel and thread, and no other', async () => {
    const ref = { teamId: 'TA', channelId: 'C1', threadTs: '1700000000.000100' };
    await asked(ref, 'total sales');
    await asked({ ...ref, teamId: 'TB', threadTs: '1700000000.000200' }, 'elsewhere');
    await recordQuery(db, {
      teamId: 'TA',
      userId: 'U1',
      answerId: randomUUID(),
      question: 'cli',
      success: true,
    });

    expect(await threadWasAnswered(db, ref, DAY)).toBe(true);
    // The same channel and thread in another workspace is another thread.
    expect(await threadWasAnswered(db, { ...ref, teamId: 'TB' }, DAY)).toBe(false);
    expect(await threadWasAnswered(db, { ...ref, channelId: 'C2' }, DAY)).toBe(false);
    expect(await threadWasAnswered(db, { ...ref, threadTs: '1700000000.000300' }, DAY)).toBe(false);
    expect(
      (await threadTurns(db, { ...ref, teamId: 'TB' }, { limit: 20, activeWithinSeconds: DAY })).length,
    ).toBe(0);
  });

  it('give the latest turns oldest first, and nothing once the thread has been quiet past the window', async () => {
    const ref = { teamId: 'TA', channelId: 'C1', threadTs: '1700000001.000100' };
    await asked(ref, 'q1', { ago: 2 * DAY });
    await asked(ref, 'q2', { ago: 300, plan: totalSales });
    await asked(ref, 'q3', { ago: 200, success: false });
    await asked(ref, 'q4', { ago: 100, plan: byCategory });

    const turns = await threadTurns(db, ref, { limit: 3, activeWithinSeconds: DAY });
    expect(turns.map((t) => t.question)).toEqual(['q2', 'q3', 'q4']);
    expect(turns[0]).toMatchObject({ userId: 'U1', sessionId: 'S1', plan: totalSales, success: true });
    expect(turns[1]).toMatchObject({ success: false, errorKind: 'not_understood', plan: null });

    const quiet = { ...ref, threadTs: '1700000001.000200' };
    await asked(quiet, 'long ago', { ago: 2 * DAY, plan: totalSales });
    expect(await threadTurns(db, quiet, { limit: 20, activeWithinSeconds: DAY })).toEqual([]);
    expect(await threadWasAnswered(db, quiet, DAY)).toBe(false);
  });
});

describe('a thread Redis lost', () => {
  it('gets its session back from the history, with the last plan that worked, and cached again', async () => {
    const ref = { teamId: 'TA', channelId: 'C9', threadTs: '1700000002.000100' };
    await asked(ref, 'total sales', { ago: 300, plan: totalSales, userId: 'U_ANA' });
    await asked(ref, 'now by category', { ago: 200, plan: byCategory, userId: 'U_BEA' });
    await asked(ref, 'gibberish', { ago: 100, success: false, userId: 'U_BEA' });
    expect(await loadSession(redis.kv, ref)).toBeNull();

    const session = await loadThreadSession({ db, kv: redis.kv }, ref, 'U_CAL', log);
    expect(session).toMatchObject({
      session_id: 'S1',
      team_id: 'TA',
      user_id: 'U_ANA',
      current_context: {
        last_plan: byCategory,
        last_question: 'now by category',
        last_tables: ['public.orders', 'public.products'],
        last_entities: ['paid'],
      },
    });
    expect(session.conversation_history.map((t) => [t.question, t.success])).toEqual([
      ['total sales', true],
      ['now by category', true],
      ['gibberish', false],
    ]);
    expect(await loadSession(redis.kv, ref)).toEqual(session);
  });

  it('starts a new thread afresh', async () => {
    const ref = { teamId: 'TA', channelId: 'C9', threadTs: '1700000002.000200' };
    const session = await loadThreadSession({ db, kv: redis.kv }, ref, 'U_CAL', log);
    expect(session).toMatchObject({
      user_id: 'U_CAL',
      conversation_history: [],
      current_context: { last_plan: null },
    });
    expect(await redis.redis.exists(`${redis.prefix}${sessionKey(ref)}`)).toBe(0);
  });

  it("is still Quarry's thread: the marker comes back from the history, even with Redis down", async () => {
    const ref = { teamId: 'TA', channelId: 'C9', threadTs: '1700000002.000100' };
    const thread = { teamId: ref.teamId, channel: ref.channelId, threadTs: ref.threadTs };
    const markerKey = `${redis.prefix}thread:TA:C9:1700000002.000100`;
    expect(await redis.redis.exists(markerKey)).toBe(0);
    expect(await isQuarryThread(redis.kv, db, thread)).toBe(true);
    expect(await redis.redis.exists(markerKey)).toBe(1);
    expect(await isQuarryThread(redis.kv, db, { ...thread, threadTs: '1700000002.000300' })).toBe(false);

    const down = unreachableRedis();
    try {
      const kv = redisKv(down);
      expect(await isQuarryThread(kv, db, thread)).toBe(true);
      expect(await isQuarryThread(kv, db, { ...thread, teamId: 'TB' })).toBe(false);
    } finally {
      down.disconnect();
    }
  });
});
