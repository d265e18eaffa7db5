// The red-team's hostile SQL sent by an agent through `quarry mcp`'s run_query, over stdio with
// the SDK's own Client, against the throwaway shop (canary, denied table and column, trap
// function). Each statement is refused as a tool error with the very message the pipeline gives
// the same statement as a raw-SQL plan, the target is unchanged, and the server keeps serving.
import { afterAll, describe, expect, it } from 'vitest';
import { type QuarryMcp, startQuarryMcp, textOf } from '../helpers/quarryMcp.ts';
import { DENY, leakedSecrets, throwawayShopForFile } from '../helpers/throwawayShop.ts';
import { HARMLESS_SQL, HOSTILE_SQL } from './hostileSqlCases.ts';

const LIMITS = { QUARRY_STATEMENT_TIMEOUT_MS: '1500', QUARRY_MAX_RESULT_BYTES: '1000000' };

let mcp: QuarryMcp;
const fixture = throwawayShopForFile({ env: LIMITS }, async (shop) => {
  mcp = await startQuarryMcp('stdio', {
    DATABASE_URL: shop.targetUrl,
    MEMORY_DATABASE_URL: shop.memoryUrl,
    QUARRY_DENY: DENY,
    ...LIMITS,
  });
});

// Closed before the shop (registered after it, so vitest runs this hook first).
afterAll(async () => {
  await mcp?.close();
});

const runQuery = (sql: string) => mcp.call('run_query', { sql });

describe('hostile SQL through the MCP run_query tool', () => {
  it.each(HOSTILE_SQL)('is refused ($refusal): $sql', async ({ sql, refusal }) => {
    const reference = await fixture.shop.runSql(sql);
    expect(reference.error?.kind).toBe(refusal);
    const r = await runQuery(sql);
    expect(r.isError, textOf(r)).toBe(true);
    expect(textOf(r)).toBe(reference.error!.message);
    expect(await fixture.shop.digest()).toBe(fixture.digest);
  });

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
    expect(mcp.stderr()).not.toMatch(/^\s+at /m);
  });
});
