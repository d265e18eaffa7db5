// The red-team's hostile SQL sent by an agent through `quarry mcp`'s run_query, over stdio with
// the SDK's own Client, against the throwaway shop (canary, denied table and column, trap
// functions and views). Each statement is refused as a tool error with the very message the
// pipeline gives the same statement as a raw-SQL plan, the target is unchanged, and the server
// keeps serving.
import { afterAll, describe, expect, it } from 'vitest';
import { type QuarryMcp, startQuarryMcp, textOf } from '../helpers/quarryMcp.ts';
import { DENY, leakedSecrets, type ShopFixture, throwawayShopForFile } from '../helpers/throwawayShop.ts';
import {
  CATALOG_DENIED_SQL,
  CATALOG_OBJECTS,
  CATALOG_TRAP_SQL,
  HARMLESS_SQL,
  HOSTILE_SQL,
  type HostileSql,
} from './hostileSqlCases.ts';

/** A shop for the enclosing describe, and `quarry mcp` on it with the same configuration. */
function mcpOnShop(env: Record<string, string>, plant?: string) {
  const server = {} as { mcp: QuarryMcp };
  const fixture = throwawayShopForFile({ env }, async (shop) => {
    if (plant) await shop.admin.exec(plant);
    server.mcp = await startQuarryMcp('stdio', {
      DATABASE_URL: shop.targetUrl,
      MEMORY_DATABASE_URL: shop.memoryUrl,
      QUARRY_DENY: DENY,
      ...env,
    });
  });
  // Registered after the shop's, so it runs first: the server goes before its database.
  afterAll(async () => {
    await server.mcp?.close();
  });
  const runQuery = (sql: string) => server.mcp.call('run_query', { sql });
  return { fixture, server, runQuery };
}

/** Refused through run_query exactly as the pipeline refuses it, and the target unchanged. */
async function expectSameRefusal(
  fixture: ShopFixture,
  runQuery: (sql: string) => ReturnType<QuarryMcp['call']>,
  { sql, refusal }: HostileSql,
) {
  const reference = await fixture.shop.runSql(sql);
  expect(reference.error?.kind).toBe(refusal);
  const r = await runQuery(sql);
  expect(r.isError, textOf(r)).toBe(true);
  expect(textOf(r)).toBe(reference.error!.message);
  expect(await fixture.shop.digest()).toBe(fixture.digest);
}

describe('hostile SQL through the MCP run_query tool', () => {
  const { fixture, server, runQuery } = mcpOnShop({
    QUARRY_STATEMENT_TIMEOUT_MS: '1500',
    QUARRY_MAX_RESULT_BYTES: '1000000',
  });

  it.each(HOSTILE_SQL)('is refused ($refusal): $sql', (c) => expectSameRefusal(fixture, runQuery, c));

  it.each(HARMLESS_SQL)('is harmless: %s', async (sql) => {
    const reference = await fixture.shop.runSql(sql);
    const r = await runQuery(sql);
    if (reference.error) {
      expect(r.isError).toBe(true);
      expect(textOf(r)).toBe(reference.error.message);
    } else {
      expect(r.isError, textOf(r)).toBeFalsy();
      expect(leakedSecrets(reference)).toEqual([]);
      expect(JSON.parse(textOf(r)).rows).toEqual(reference.rows);
    }
    expect(await fixture.shop.digest()).toBe(fixture.digest);
  });

  it('still answers a good query after all of them, and the canary is as it was', async () => {
    const r = await runQuery('SELECT id, note FROM canary ORDER BY id');
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(JSON.parse(textOf(r)).rows).toEqual([
      [1, 'alpha'],
      [2, 'beta'],
      [3, 'gamma'],
    ]);
    expect(await fixture.shop.digest()).toBe(fixture.digest);
    expect(server.mcp.stderr()).not.toMatch(/^\s+at /m);
  });
});

describe('user objects shadowing PostgreSQL’s own, through the MCP run_query tool', () => {
  const { fixture, server, runQuery } = mcpOnShop({ QUARRY_ALLOW_SCHEMAS: 'public' }, CATALOG_OBJECTS);

  it.each([...CATALOG_TRAP_SQL, ...CATALOG_DENIED_SQL])('is refused ($refusal): $sql', (c) =>
    expectSameRefusal(fixture, runQuery, c),
  );

  it('still answers a good query through a view over its own functions', async () => {
    const r = await runQuery('SELECT total FROM order_totals ORDER BY id LIMIT 2');
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(JSON.parse(textOf(r)).rows).toHaveLength(2);
    expect(await fixture.shop.digest()).toBe(fixture.digest);
    expect(server.mcp.stderr()).not.toMatch(/^\s+at /m);
  });
});
