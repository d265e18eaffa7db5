// The target PostgreSQL restarted in the middle of a query, and down for a while: each answer
// says so plainly, nothing crashes, and answers come again once the server is back. The
// server is this file's own; the shared one is never touched.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/domain/types.ts';
import { type AskContext, answer } from '../../src/pipeline/index.ts';
import type { Runtime } from '../../src/runtime.ts';
import { runRawSqlPlan } from '../helpers/rawSqlPlan.ts';
import { openTestRuntime } from '../helpers/testRuntime.ts';
import { demoDatabasesOn } from '../helpers/throwawayDemo.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../helpers/throwawayPostgres.ts';

const ctx: AskContext = { teamId: 'T', userId: 'U' };
let server: ThrowawayPostgres;
let runtime: Runtime;

const ask = (question: string) => answer(question, ctx, runtime.pipeline);

beforeAll(async () => {
  server = await startThrowawayPostgres();
  runtime = await openTestRuntime({
    ...(await demoDatabasesOn(server)),
    QUARRY_BREAKER_FAILURES: '3',
    QUARRY_BREAKER_SECONDS: '2',
  });
}, 120_000);

afterAll(async () => {
  await runtime?.close();
  await server?.destroy();
});

async function untilAnswered(question: string, timeoutMs = 15_000): Promise<Answer> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const a = await ask(question);
    if (!a.error || Date.now() > deadline) return a;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('target database faults', () => {
  it('answers a query cut by a restart with a clear message, then answers again', async () => {
    expect((await ask('how many orders')).error).toBeNull();
    const running = runRawSqlPlan(
      runtime.pipeline,
      ctx,
      'SELECT count(*) FROM generate_series(1, 1000000000)',
    );
    await new Promise((r) => setTimeout(r, 500));
    await server.restart();
    const cut = await running;
    expect(cut.error?.kind).toBe('target_unavailable');
    expect(cut.error?.message).toMatch(/can't reach the database right now/);
    const again = await untilAnswered('how many orders');
    expect(again.error).toBeNull();
    expect(Number(again.rows[0]![0])).toBeGreaterThan(0);
  }, 60_000);

  it('fails fast with a pause message while the target is down, and recovers when it is back', async () => {
    await server.stop();
    const down: Answer[] = [];
    for (let i = 0; i < 3; i++) down.push(await ask('how many orders'));
    for (const a of down) {
      expect(a.error?.kind).toBe('target_unavailable');
      expect(a.error?.message).toMatch(/can't reach the database/);
    }
    const started = performance.now();
    const paused = await ask('how many orders');
    expect(paused.error?.kind).toBe('target_unavailable');
    expect(paused.error?.message).toMatch(/pausing questions to it for \d s/);
    expect(performance.now() - started).toBeLessThan(1000);
    await server.start();
    await new Promise((r) => setTimeout(r, 2100));
    const back = await untilAnswered('how many orders');
    expect(back.error).toBeNull();
  }, 60_000);
});
