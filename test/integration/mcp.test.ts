// `quarry mcp` driven as an agent's client drives it: the SDK's own Client spawns the real binary
// and speaks MCP over its stdio, or over Streamable HTTP with a bearer token, against a throwaway
// demo shop in real PostgreSQL.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresDb } from '../../src/db/postgres.ts';
import { loadDemoShop } from '../helpers/demoShop.ts';
import { httpClient, MCP_TOKEN, type QuarryMcp, startQuarryMcp, textOf } from '../helpers/quarryMcp.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/services.ts';

describe.each(['stdio', 'http'] as const)('quarry mcp over %s', (kind) => {
  let shop: TestDatabase;
  let memory: TestDatabase;
  let mcp: QuarryMcp;
  let client: Client;
  let url = '';

  const call = (name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> =>
    mcp.call(name, args);
  const orderCount = async () => {
    const db = postgresDb(shop.url, { max: 1 });
    try {
      return (await db.query<{ n: string }>('SELECT count(*)::text AS n FROM orders'))[0]!.n;
    } finally {
      await db.close();
    }
  };

  beforeAll(async () => {
    [shop, memory] = await Promise.all([createTestDatabase(), createTestDatabase({ vector: true })]);
    await loadDemoShop(shop.url, 0.05);
    mcp = await startQuarryMcp(kind, {
      DATABASE_URL: shop.url,
      MEMORY_DATABASE_URL: memory.url,
      QUARRY_DENY: 'customers.email',
    });
    client = mcp.client;
    url = mcp.url;
  }, 120_000);

  afterAll(async () => {
    await mcp?.close();
    await Promise.all([shop?.drop(), memory?.drop()]);
  });

  it('lists its tools, each with a description and an input schema', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['ask', 'describe_schema', 'run_query', 'usual']);
    for (const t of tools) {
      expect(t.description?.length).toBeGreaterThan(20);
      expect(t.inputSchema.type).toBe('object');
    }
    expect(Object.keys(tools.find((t) => t.name === 'ask')!.inputSchema.properties ?? {})).toEqual([
      'question',
      'thread',
    ]);
  });

  it('answers a question, and a follow-up in the same thread edits it', async () => {
    const first = await call('ask', { question: 'Show me total sales for last month' });
    expect(first.isError).toBeFalsy();
    const a = JSON.parse(textOf(first));
    expect(a.source).toBe('rules');
    expect(a.rows.length).toBe(1);
    expect(a.sql).toMatch(/^SELECT/i);
    expect(typeof a.thread).toBe('string');

    const next = await call('ask', { question: 'Now break that down by product category', thread: a.thread });
    const b = JSON.parse(textOf(next));
    expect(b.source).toBe('followup');
    expect(b.sql).toContain('products.category');
    expect(b.rows.length).toBeGreaterThan(1);

    // Without the thread the same words have nothing to follow.
    const alone = JSON.parse(
      textOf(await call('ask', { question: 'Now break that down by product category' })),
    );
    expect(alone.source).not.toBe('followup');
  }, 60_000);

  it("shows the caller's usual dashboard: the questions it asked, run afresh, with rows", async () => {
    // Learning is written after the answer returns, so the panel shows up shortly after.
    const usual = async () => {
      const r = await call('usual');
      expect(r.isError).toBeFalsy();
      return JSON.parse(textOf(r));
    };
    await expect.poll(async () => (await usual()).panels.length, { timeout: 10_000 }).toBeGreaterThan(0);
    const dashboard = await usual();
    const total = dashboard.panels.find((p: { question: string }) => /total sales/i.test(p.question));
    expect(total).toBeDefined();
    expect(total.error).toBeNull();
    expect(total.sql).toMatch(/^SELECT/i);
    expect(total.rows.length).toBe(1);
    expect(total.headline.length).toBeGreaterThan(0);
    // Two kinds of question is too few for a full dashboard: it says so and suggests more.
    expect(dashboard.notes.join(' ')).toMatch(/30 days/);

    const none = JSON.parse(textOf(await call('usual', { topic: 'refunds' })));
    expect(none.panels).toEqual([]);
  }, 30_000);

  it('describes the schema without the denied column', async () => {
    const r = await call('describe_schema');
    expect(r.isError).toBeFalsy();
    const text = textOf(r);
    expect(text).toMatch(/^public\.customers\b/m);
    expect(text).toMatch(/^\s+country\b/m);
    expect(text).not.toMatch(/\bemail\b/);
  });

  it('runs a guarded SELECT and returns its rows', async () => {
    const r = await call('run_query', { sql: 'SELECT status, count(*) AS n FROM orders GROUP BY status' });
    expect(r.isError).toBeFalsy();
    const result = JSON.parse(textOf(r));
    expect(result.columns).toEqual(['status', 'n']);
    expect(result.rows.length).toBeGreaterThan(1);
    expect(result.truncated).toBe(false);

    // More rows than QUARRY_MAX_ROWS (1,000): cut at the cap, and said so.
    const many = JSON.parse(textOf(await call('run_query', { sql: 'SELECT id FROM orders' })));
    expect(many.rows.length).toBe(1000);
    expect(many.truncated).toBe(true);
    expect(many.truncated_by).toBe('rows');
  });

  it('refuses a DELETE, a denied column and garbage as tool errors, and the data is unchanged', async () => {
    const before = await orderCount();
    const del = await call('run_query', { sql: 'DELETE FROM orders' });
    expect(del.isError).toBe(true);
    expect(textOf(del)).toMatch(/only|read|DELETE/i);
    const hidden = await call('run_query', { sql: 'SELECT email FROM customers' });
    expect(hidden.isError).toBe(true);
    const garbage = await call('run_query', { sql: 'SELEC nothing' });
    expect(garbage.isError).toBe(true);
    expect(textOf(garbage)).toMatch(/couldn't read/);
    expect(await orderCount()).toBe(before);
    expect(Number(before)).toBeGreaterThan(0);
    // Still serving after the refusals.
    expect((await call('run_query', { sql: 'SELECT 1 AS one' })).isError).toBeFalsy();
    expect(mcp.stderr()).not.toMatch(/^\s+at /m);
  });
  it.runIf(kind === 'http')('refuses a missing or wrong bearer token with 401', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const none = await fetch(url, { method: 'POST', headers, body });
    expect(none.status).toBe(401);
    const wrong = await fetch(url, {
      method: 'POST',
      headers: { ...headers, authorization: 'Bearer not-the-token-at-all' },
      body,
    });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.message).toMatch(/QUARRY_MCP_TOKEN/);
  });

  it.runIf(kind === 'http')('answers a garbage POST with a protocol error and keeps serving', async () => {
    const headers = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${MCP_TOKEN}`,
    };
    const garbage = await fetch(url, { method: 'POST', headers, body: '{"this is": not json' });
    expect(garbage.status).toBeGreaterThanOrEqual(400);
    expect(garbage.status).toBeLessThan(500);
    expect((await garbage.json()).error.code).toBeLessThan(0);
    const notInit = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(notInit.status).toBe(400);
    // The connected client, and a second new one, are still served.
    expect((await call('run_query', { sql: 'SELECT 1 AS one' })).isError).toBeFalsy();
    const other = await httpClient(url, 'quarry-test-2');
    expect((await other.listTools()).tools.length).toBe(4);
    await other.close();
  });
});
