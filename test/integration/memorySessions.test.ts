import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryPlan } from '../../src/domain/types.ts';
import {
  loadSession,
  recordTurn,
  SESSION_MAX_TURNS,
  SESSION_TTL_SECONDS,
  type SessionRef,
  type SessionTurn,
  sessionKey,
} from '../../src/memory/sessions.ts';
import { createTestRedis, type TestRedis } from '../helpers/services.ts';

let redis: TestRedis;

beforeAll(async () => {
  redis = await createTestRedis();
});

afterAll(async () => {
  await redis.cleanup();
});

const ref: SessionRef = { teamId: 'T1', channelId: 'C1', threadTs: '1717000000.000100' };
const plan: QueryPlan = { baseTable: 'public.orders', measures: [], dimensions: [], filters: [] };

function turn(question: string, success = true): SessionTurn {
  return { question, source: 'rules', sql: 'SELECT 1', summary: 'ok', success, at: new Date().toISOString() };
}

describe('sessions', () => {
  it('live under session:<team>:<channel>:<thread_ts> with a day-long TTL', async () => {
    const session = await recordTurn(redis.kv, ref, 'U1', turn('total sales last month'), {
      last_plan: plan,
      last_tables: ['public.orders'],
      last_question: 'total sales last month',
    });
    expect(sessionKey(ref)).toBe('session:T1:C1:1717000000.000100');
    expect(await redis.redis.ttl(`${redis.prefix}${sessionKey(ref)}`)).toBe(SESSION_TTL_SECONDS);
    expect(session).toMatchObject({
      team_id: 'T1',
      user_id: 'U1',
      current_context: { last_plan: plan, last_tables: ['public.orders'], last_entities: [] },
    });
    expect(session.session_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a read restarts the TTL', async () => {
    const key = `${redis.prefix}${sessionKey(ref)}`;
    await redis.redis.expire(key, 100);
    const loaded = await loadSession(redis.kv, ref);
    expect(loaded?.conversation_history.map((t) => t.question)).toEqual(['total sales last month']);
    expect(await redis.redis.ttl(key)).toBe(SESSION_TTL_SECONDS);
  });

  it('a failed turn is kept in the history but leaves the context as it was', async () => {
    const session = await recordTurn(redis.kv, ref, 'U1', turn('gibberish', false), { last_plan: null });
    expect(session.conversation_history).toHaveLength(2);
    expect(session.current_context.last_plan).toEqual(plan);
  });

  it('keeps only the last turns', async () => {
    const other: SessionRef = { ...ref, threadTs: '1717000000.000200' };
    for (let i = 0; i < SESSION_MAX_TURNS + 5; i++) await recordTurn(redis.kv, other, 'U1', turn(`q${i}`));
    const session = await loadSession(redis.kv, other);
    expect(session?.conversation_history).toHaveLength(SESSION_MAX_TURNS);
    expect(session?.conversation_history[0]?.question).toBe('q5');
  });

  it('a thread of another team or channel is another session', async () => {
    expect(await loadSession(redis.kv, { ...ref, teamId: 'T2' })).toBeNull();
    expect(await loadSession(redis.kv, { ...ref, channelId: 'C2' })).toBeNull();
  });
});
