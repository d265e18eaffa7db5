// Hostile raw-SQL plans (QueryPlan.sql, what a model may write, whatever a question or a data
// value told it) pushed through runPlan, the same path a model's plan takes: guard, access
// rules, READ ONLY execution. Each is refused with a plain message or is harmless, and the
// canary and the rest of the target are unchanged. The cases live in hostileSqlCases.ts, shared
// with the MCP server's run_query test.
import { describe, expect, it } from 'vitest';
import { expectHarmless, expectRefused, throwawayShopForFile } from '../helpers/throwawayShop.ts';
import { HARMLESS_SQL, HOSTILE_SQL } from './hostileSqlCases.ts';

const fixture = throwawayShopForFile({
  env: { QUARRY_STATEMENT_TIMEOUT_MS: '1500', QUARRY_MAX_RESULT_BYTES: '1000000' },
});

describe('hostile raw-SQL plans through runPlan', () => {
  it.each(HOSTILE_SQL)('is refused ($refusal): $sql', async ({ sql, refusal }) => {
    await expectRefused(fixture, await fixture.shop.runSql(sql), refusal);
  });

  it.each(HARMLESS_SQL)('is harmless: %s', async (sql) => {
    await expectHarmless(fixture, await fixture.shop.runSql(sql));
  });

  it('cuts a result larger than the size cap and says so', async () => {
    const a = await fixture.shop.runSql("SELECT repeat('x', 400000) AS big FROM generate_series(1, 5)");
    expect(a.error).toBeNull();
    expect(a.rows).toHaveLength(2);
    expect(a.truncated).toBe(true);
    expect(a.notes.join(' ')).toMatch(/larger than 1 MB, so I kept only the first 2 rows/);
    expect(await fixture.shop.digest()).toBe(fixture.digest);
  });

  it('stops a runaway read at the statement timeout with a clear message', async () => {
    const a = await fixture.shop.runSql('SELECT count(*) FROM generate_series(1, 100000000000)');
    expect(a.error?.kind).toBe('timeout');
    expect(a.error?.message).toMatch(/took longer than 1.5 s and was stopped/);
    expect(await fixture.shop.digest()).toBe(fixture.digest);
  });
});
