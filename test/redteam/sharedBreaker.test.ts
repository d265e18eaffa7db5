// One person's hostile or slow questions must not pause the database for everyone: placeholders
// a model wrote are refused before they reach the server, a protocol error the server answers
// with is the query's fault, and timeouts pause only the person who asked.
import { describe, expect, it } from 'vitest';
import { executeReadOnly } from '../../src/pipeline/execute.ts';
import { throwawayShopForFile } from '../helpers/throwawayShop.ts';

const fixture = throwawayShopForFile({
  env: { QUARRY_BREAKER_FAILURES: '2', QUARRY_BREAKER_SECONDS: '30', QUARRY_STATEMENT_TIMEOUT_MS: '300' },
});

const someoneElse = { teamId: 'T-other', userId: 'U-other' };

describe('the breaker is not everyone’s to trip', () => {
  it.each(['SELECT count(*) FROM orders WHERE id = $1', 'SELECT $1::int', 'SELECT * FROM orders LIMIT $2'])(
    'refuses model-written placeholders and leaves others answered: %s',
    async (sql) => {
      for (let i = 0; i < 3; i++) expect((await fixture.shop.runSql(sql)).error?.kind).toBe('unsafe_sql');
      const other = await fixture.shop.runSql('SELECT count(*) FROM orders', someoneElse);
      expect(other.error).toBeNull();
    },
  );

  it('takes a protocol error (08P01) for the query’s, not for a lost connection', async () => {
    const target = fixture.shop.runtime.pipeline.target;
    for (let i = 0; i < 3; i++) {
      const e = await executeReadOnly(target, 'SELECT $1::int', [], { timeoutMs: 2000, maxRows: 5 }).catch(
        (x: unknown) => x,
      );
      expect((e as { kind?: string }).kind).toBe('query_failed');
    }
    expect((await fixture.shop.runSql('SELECT 1', someoneElse)).error).toBeNull();
  });

  it('pauses the person whose reads time out, and nobody else', async () => {
    const slow = 'SELECT count(*) FROM generate_series(1, 100000000000)';
    for (let i = 0; i < 2; i++) expect((await fixture.shop.runSql(slow)).error?.kind).toBe('timeout');
    const paused = await fixture.shop.runSql('SELECT 1');
    expect(paused.error?.message).toMatch(/^Your last 2 questions took too long/);
    expect((await fixture.shop.runSql('SELECT 1', someoneElse)).error).toBeNull();
  });
});
