// Objects a user made in the target that share names with PostgreSQL's own: a public.lower(int)
// and public.abs(text) that take an advisory lock, an operator ###, a function over a table's
// row type (p.audit), a domain whose CHECK calls a function, views over a volatile function,
// over denied columns and over a schema outside QUARRY_ALLOW_SCHEMAS. None of them runs or
// leaks: reads run with only pg_catalog on the search path and views are checked by what
// PostgreSQL recorded they depend on. No lock outlives an answer on the pooled connection.
// The objects and the statements that reach for them are in hostileSqlCases.ts, shared with
// the MCP server's run_query test.
import { describe, expect, it } from 'vitest';
import { expectHarmless, expectRefused, throwawayShopForFile } from '../helpers/throwawayShop.ts';
import { CATALOG_DENIED_SQL, CATALOG_OBJECTS, CATALOG_TRAP, CATALOG_TRAP_SQL } from './hostileSqlCases.ts';

const fixture = throwawayShopForFile({ env: { QUARRY_ALLOW_SCHEMAS: 'public' } }, async (shop) => {
  await shop.admin.exec(CATALOG_OBJECTS);
});

async function advisoryLocks(): Promise<number> {
  const [row] = await fixture.shop.admin.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'",
  );
  return row!.n;
}

describe('only PostgreSQL’s own functions, operators and types are reached', () => {
  it.each(CATALOG_TRAP_SQL)('never runs the user’s object ($refusal): $sql', async ({ sql, refusal }) => {
    const a = await fixture.shop.runSql(sql);
    await expectRefused(fixture, a, refusal);
    expect(JSON.stringify(a)).not.toContain(CATALOG_TRAP);
    expect(await advisoryLocks()).toBe(0);
  });

  it('leaves no advisory lock or setting on the pooled connection for the next question', async () => {
    const a = await fixture.shop.runSql(
      "SELECT pg_catalog.count(*) FROM orders WHERE pg_catalog.abs(1) = 1 AND 'x' <> 'y'",
    );
    expect(a.error).toBeNull();
    expect(await advisoryLocks()).toBe(0);
  });

  it('still reads views over tables without denied columns, calling PostgreSQL’s own functions', async () => {
    const a = await fixture.shop.runSql('SELECT total FROM order_totals ORDER BY id LIMIT 2');
    expect(a.error).toBeNull();
    expect(a.rows).toHaveLength(2);
  });
});

describe('access rules hold under PostgreSQL’s own grammar', () => {
  it.each(CATALOG_DENIED_SQL)('is refused: $sql', async ({ sql, refusal }) => {
    const a = await fixture.shop.runSql(sql);
    await expectRefused(fixture, a, refusal);
    expect(JSON.stringify(a)).not.toMatch(/example\.(com|test)|123456/);
  });

  it('answers a question about the view over a denied column without the column', async () => {
    await expectHarmless(fixture, await fixture.shop.ask('list customer contacts'));
  });

  it('refuses placeholders the model wrote instead of sending them to fail at the server', async () => {
    const a = await fixture.shop.runSql('SELECT count(*) FROM orders WHERE id = $1');
    await expectRefused(fixture, a);
    expect(a.error!.message).toMatch(/placeholder \(\$1\)/);
  });
});
