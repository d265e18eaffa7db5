import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { pgliteDb } from '../../src/db/pglite.ts';
import { postgresDb } from '../../src/db/postgres.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { type DemoProgress, loadDemo } from '../../src/demo/load.ts';
import { DEMO_TABLES } from '../../src/demo/schema.ts';
import { ConfigError } from '../../src/errors.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/services.ts';

const QUESTIONS = new URL('../fixtures/demo/questions.dev.jsonl', import.meta.url);
const goldSql: { question: string; gold_sql: string }[] = readFileSync(QUESTIONS, 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line));

const SPEC = { scale: 0.05, seed: 3, now: new Date() };

let testDb: TestDatabase;
let db: Db;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = postgresDb(testDb.url);
});

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

/** One md5 per table over every row in id order, read in UTC so servers compare equal. */
async function tableHashes(target: Db): Promise<Record<string, string>> {
  return target.session(async (s) => {
    await s.exec(`SET TIME ZONE 'UTC'`);
    const hashes: Record<string, string> = {};
    for (const table of DEMO_TABLES) {
      const [row] = await s.query<{ hash: string }>(
        `SELECT md5(string_agg(t::text, E'\\n' ORDER BY t.id)) AS hash FROM ${table} t`,
      );
      hashes[table] = row!.hash;
    }
    return hashes;
  });
}

describe('loadDemo into PostgreSQL', () => {
  it("refuses to replace tables that are not the demo shop's", async () => {
    await db.exec(
      `CREATE TABLE orders (id integer PRIMARY KEY, note text); INSERT INTO orders VALUES (1, 'keep me')`,
    );
    await expect(loadDemo(db, SPEC)).rejects.toBeInstanceOf(ConfigError);
    expect(await db.query('SELECT note FROM orders')).toEqual([{ note: 'keep me' }]);
    await db.exec('DROP TABLE orders');
  });

  it('loads the same shop twice, reporting progress per batch', async () => {
    const progress: DemoProgress[] = [];
    const first = await loadDemo(db, { ...SPEC, onProgress: (p) => progress.push(p) });
    const firstHashes = await tableHashes(db);
    const second = await loadDemo(db, SPEC);
    expect(second).toEqual(first);
    expect(await tableHashes(db)).toEqual(firstHashes);

    const shop = generateDemo(SPEC);
    expect(first.customers).toBe(shop.customers.length);
    expect(first.products).toBe(shop.products.length);
    expect(first.orders).toBe(shop.orderCount);
    const [counts] = await db.query<Record<string, number>>(
      `SELECT (SELECT count(*)::int FROM customers) AS customers, (SELECT count(*)::int FROM products) AS products,
              (SELECT count(*)::int FROM orders) AS orders, (SELECT count(*)::int FROM order_items) AS "orderItems"`,
    );
    expect(counts).toEqual(first);
    expect(progress.at(-1)).toEqual({ table: 'orders', done: first.orders, total: first.orders });
    expect(new Set(progress.map((p) => p.table))).toEqual(new Set(['customers', 'products', 'orders']));
  });

  it('keeps every order total equal to the sum of its lines', async () => {
    const mismatched = await db.query(
      `SELECT o.id FROM orders o JOIN order_items i ON i.order_id = o.id
        GROUP BY o.id, o.total HAVING o.total <> sum(i.price * i.quantity)`,
    );
    expect(mismatched).toEqual([]);
  });

  it('leaves statistics, keys and comments for schema discovery', async () => {
    const stats = await db.query<{ tablename: string }>(
      `SELECT DISTINCT tablename FROM pg_stats WHERE schemaname = 'public' ORDER BY 1`,
    );
    expect(stats.map((s) => s.tablename)).toEqual([...DEMO_TABLES].sort());
    const keys = await db.query<{ conname: string }>(
      `SELECT conname FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace ORDER BY 1`,
    );
    expect(keys.map((k) => k.conname)).toEqual([
      'order_items_order_id_fkey',
      'order_items_product_id_fkey',
      'orders_customer_id_fkey',
    ]);
    const [comment] = await db.query<{ text: string }>(
      `SELECT col_description('orders'::regclass, 5) AS text`, // orders.created_at is column 5
    );
    expect(comment?.text).toBe('time the order was placed');
    const [total] = await db.query<{ text: string }>(`SELECT col_description('orders'::regclass, 4) AS text`);
    expect(total?.text).toMatch(/sum of its order_items price\*quantity/);
  });

  it.each(goldSql)('answers the gold SQL of "$question" with rows', async ({ gold_sql }) => {
    const result = await db.queryArrays(gold_sql);
    expect(result.rows.length).toBeGreaterThan(0);
    expect(result.rows[0]!.every((v) => v !== null)).toBe(true);
  });
});

describe('loadDemo into PGlite', () => {
  it('makes exactly the rows it makes in PostgreSQL', async () => {
    const lite = pgliteDb(await PGlite.create());
    try {
      await loadDemo(lite, SPEC);
      expect(await tableHashes(lite)).toEqual(await tableHashes(db));
    } finally {
      await lite.close();
    }
  }, 60_000);
});
