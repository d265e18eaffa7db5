// The acceptance journey (docs/architecture.md#the-acceptance-journey) end to end on real
// PostgreSQL + pgvector and real Redis: cold start, a follow-up in the same thread, a new thread
// the next day, and an experienced user answered from memory. Keys, TTLs and row counts are
// checked after each phase.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/domain/types.ts';
import { executeReadOnly } from '../../src/pipeline/execute.ts';
import { type AskContext, answer } from '../../src/pipeline/index.ts';
import type { Runtime } from '../../src/runtime.ts';
import { type DemoRuntime, openDemoRuntime } from '../helpers/demoRuntime.ts';
import type { TestRedis } from '../helpers/services.ts';

const TEAM = 'T-seed';
const USER = 'U-analyst';

describe('the seed journey', () => {
  let demo: DemoRuntime;
  let redis: TestRedis;
  let runtime: Runtime;

  const count = async (table: string) =>
    Number(
      (
        await runtime.memoryDb.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE team_id = $1`, [
          TEAM,
        ])
      )[0]!.n,
    );
  /** Learning is written after the reply; wait for it rather than racing it. */
  const settled = async (table: string, n: number) => {
    for (let i = 0; i < 100 && (await count(table)) < n; i++) await new Promise((r) => setTimeout(r, 50));
    return count(table);
  };
  const ask = (question: string, thread: string, extra: Partial<AskContext> = {}): Promise<Answer> =>
    answer(
      question,
      { teamId: TEAM, userId: USER, session: { teamId: TEAM, channelId: 'C1', threadTs: thread }, ...extra },
      runtime.pipeline,
    );

  beforeAll(async () => {
    demo = await openDemoRuntime({ redis: true });
    runtime = demo.runtime;
    redis = demo.redis!;
  }, 120_000);

  afterAll(() => demo?.close());

  it('phase 1, cold start: defaults, session, cached schema and one row of each memory table', async () => {
    const a = await ask('Show me total sales for last month', 'th-1');
    expect(a.error).toBeNull();
    expect(a.source).toBe('rules');
    expect(a.sql).toContain("orders.created_at >= date_trunc('month', now()) - interval '1 month'");
    expect(a.sql).toContain("orders.created_at < date_trunc('month', now())");
    const gold = await executeReadOnly(
      runtime.target,
      "SELECT SUM(total) FROM orders WHERE created_at >= date_trunc('month', now() - interval '1 month') AND created_at < date_trunc('month', now())",
      [],
      { timeoutMs: 5000, maxRows: 10 },
    );
    expect(a.rows).toEqual(gold.rows);

    const [profile] = await runtime.memoryDb.query<{ preferences: Record<string, unknown> }>(
      'SELECT preferences FROM user_profiles WHERE team_id = $1 AND user_id = $2',
      [TEAM, USER],
    );
    expect(profile?.preferences).toEqual({
      default_limit: 100,
      preferred_charts: ['table'],
      timezone: 'UTC',
      date_format: 'YYYY-MM-DD',
    });

    const sessionTtl = await redis.redis.ttl(`${redis.prefix}session:${TEAM}:C1:th-1`);
    expect(sessionTtl).toBeGreaterThan(86_000);
    expect(sessionTtl).toBeLessThanOrEqual(86_400);
    const schemaTtl = await redis.redis.ttl(`${redis.prefix}schema:${runtime.target.label}:tables`);
    expect(schemaTtl).toBeGreaterThan(3500);
    expect(await count('schema_cache')).toBe(0); // the target's schema is shared by the deployment
    expect(
      Number((await runtime.memoryDb.query<{ n: string }>('SELECT count(*) AS n FROM schema_cache'))[0]!.n),
    ).toBe(1);

    expect(await settled('user_query_history', 1)).toBe(1);
    expect(await settled('query_embeddings', 1)).toBe(1);
    expect(await settled('system_learnings', 1)).toBe(1);
  });

  it('phase 2, same thread: the follow-up edits the last plan and sums are not fanned out', async () => {
    const a = await ask('Now break that down by product category', 'th-1');
    expect(a.error).toBeNull();
    expect(a.source).toBe('followup');
    expect(a.sql).toContain('SUM(order_items.price * order_items.quantity)');
    const gold = await executeReadOnly(
      runtime.target,
      `SELECT p.category, SUM(oi.price * oi.quantity) FROM order_items oi JOIN orders o ON o.id = oi.order_id
       JOIN products p ON p.id = oi.product_id
       WHERE o.created_at >= date_trunc('month', now() - interval '1 month') AND o.created_at < date_trunc('month', now())
       GROUP BY p.category ORDER BY 2 DESC`,
      [],
      { timeoutMs: 5000, maxRows: 100 },
    );
    expect(a.rows).toEqual(gold.rows);
    // The category sums add up to the month's total: nothing counted twice.
    const total = a.rows.reduce((s, r) => s + Number(r[1]), 0);
    const phase1 = await ask('Show me total sales for last month', 'th-check');
    expect(total).toBeCloseTo(Number(phase1.rows[0]![0]), 2);
    // A follow-up is history, not a reusable pattern: its words mean nothing outside the thread.
    expect(await settled('user_query_history', 3)).toBe(3);
    expect(await count('query_embeddings')).toBe(1);
    expect(a.timings.schema).toBeDefined();
  });

  it('phase 3, next day in a new thread: the profile limit applies and memory is consulted', async () => {
    const a = await ask('What were our top selling products last week?', 'th-2');
    expect(a.error).toBeNull();
    expect(a.sql).toMatch(/LIMIT 100$/);
    expect(a.sql).toContain("date_trunc('week', now()) - interval '1 week'");
    expect(a.timings.recall).toBeGreaterThanOrEqual(0);
    const sessionKeys = await redis.redis.keys(`${redis.prefix}session:${TEAM}:*`);
    expect(sessionKeys.length).toBe(3);
  });

  it('phase 4, an experienced user: a repeated question is answered from memory with fresh dates', async () => {
    for (let i = 0; i < 3; i++) await ask('Show me total sales for last month', `th-repeat-${i}`);
    const a = await ask('Show me the total sales for last month', 'th-4');
    expect(a.error).toBeNull();
    expect(a.source).toBe('memory');
    expect(a.sql).toContain("date_trunc('month', now())");
    // A different period is not the same question, however close the words.
    const other = await ask('Show me total sales for this month', 'th-5');
    expect(other.source).toBe('rules');
  });

  it('keeps memory per team and user', async () => {
    const a = await answer(
      'Show me total sales for last month',
      { teamId: 'T-other', userId: USER, session: { teamId: 'T-other', channelId: 'C1', threadTs: 'x' } },
      runtime.pipeline,
    );
    expect(a.source).toBe('rules');
  });
});
