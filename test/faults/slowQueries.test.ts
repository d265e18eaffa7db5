// Reads slower than the statement timeout, on a server of this file's own: a view too costly
// to finish and a table locked by a migration. Each answer says what happened and what to
// try; after K timeouts in a row that person's questions are paused for T seconds (others
// still answered), then reads go through again.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { postgresDb } from '../../src/db/postgres.ts';
import type { Answer } from '../../src/domain/types.ts';
import { answer } from '../../src/pipeline/index.ts';
import type { Runtime } from '../../src/runtime.ts';
import { openTestRuntime } from '../helpers/testRuntime.ts';
import { demoDatabasesOn } from '../helpers/throwawayDemo.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../helpers/throwawayPostgres.ts';

const TIMEOUT_MS = 500;
let server: ThrowawayPostgres;
let owner: Db;
let runtime: Runtime;

async function timedAsk(question: string): Promise<{ a: Answer; ms: number }> {
  const started = performance.now();
  const a = await answer(question, { teamId: 'T', userId: 'U' }, runtime.pipeline);
  return { a, ms: performance.now() - started };
}

beforeAll(async () => {
  server = await startThrowawayPostgres();
  const databases = await demoDatabasesOn(server);
  owner = postgresDb(databases.DATABASE_URL, { max: 2 });
  await owner.exec(
    `CREATE VIEW nightly_reports AS SELECT g AS id, now() AS created_at FROM generate_series(1, 2000000000) AS g;
     COMMENT ON VIEW nightly_reports IS 'one row per nightly report run'`,
  );
  runtime = await openTestRuntime({
    ...databases,
    QUARRY_STATEMENT_TIMEOUT_MS: String(TIMEOUT_MS),
    QUARRY_BREAKER_FAILURES: '3',
    QUARRY_BREAKER_SECONDS: '2',
  });
  // Warm the schema, so every later question reaches execution.
  expect((await timedAsk('how many orders')).a.error).toBeNull();
}, 120_000);

afterAll(async () => {
  await runtime?.close();
  await owner?.close();
  await server?.destroy();
});

describe('slow queries', () => {
  it('stops a read that runs past the timeout and says what to try', async () => {
    const { a, ms } = await timedAsk('how many nightly reports');
    expect(a.error?.kind).toBe('timeout');
    expect(a.error?.message).toBe(
      'The query took longer than 0.5 s and was stopped. Try a shorter time range or fewer groupings.',
    );
    expect(a.sql).toMatch(/FROM nightly_reports/);
    expect(ms).toBeLessThan(TIMEOUT_MS + 1500);
  });

  it('stops a read waiting on a table a migration has locked', async () => {
    await owner.session(async (s) => {
      await s.exec('BEGIN; LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');
      try {
        const { a } = await timedAsk('how many orders');
        expect(a.error?.kind).toBe('timeout');
      } finally {
        await s.exec('ROLLBACK');
      }
    });
    expect((await timedAsk('how many orders')).a.error).toBeNull();
  });

  it('pauses the person after three of their own timeouts in a row, not everyone, then answers again', async () => {
    for (let i = 0; i < 3; i++)
      expect((await timedAsk('how many nightly reports')).a.error?.kind).toBe('timeout');
    const { a, ms } = await timedAsk('how many orders');
    expect(a.error?.kind).toBe('timeout');
    expect(a.error?.message).toMatch(
      /^Your last 3 questions took too long .* pausing your questions for 2 s/,
    );
    expect(ms).toBeLessThan(200);
    const other = await answer('how many orders', { teamId: 'T2', userId: 'U2' }, runtime.pipeline);
    expect(other.error).toBeNull();
    await new Promise((r) => setTimeout(r, 2100));
    expect((await timedAsk('how many orders')).a.error).toBeNull();
  }, 30_000);
});
