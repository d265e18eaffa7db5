// Creates and fills the demo shop in a target database (`quarry demo load`, the embedded demo).
// One transaction drops and recreates the four tables, so loading twice leaves the same shop
// and a failed load leaves the previous one. Rows go in as arrays through unnest(): one round
// trip per batch instead of one per row.

import type { Db, DbSession } from '../db/client.ts';
import { ConfigError } from '../errors.ts';
import { type DemoSpec, generateDemo } from './generate.ts';
import type { CustomerRow, OrderItemRow, OrderRow, ProductRow } from './rows.ts';
import { COMMENTS, CREATE_KEYS_AND_INDEXES, CREATE_TABLES, DEMO_TABLE_MARK, DEMO_TABLES } from './schema.ts';

const BATCH_SIZE = 5000;

export interface DemoCounts {
  customers: number;
  products: number;
  orders: number;
  orderItems: number;
}

/** Rows written so far; an `orders` batch carries its order lines with it. */
export interface DemoProgress {
  table: 'customers' | 'products' | 'orders';
  done: number;
  total: number;
}

export interface LoadDemoOptions extends DemoSpec {
  onProgress?: (progress: DemoProgress) => void;
}

const MS = `timestamptz 'epoch' + created_ms * interval '1 millisecond'`;

const INSERT_CUSTOMERS = `
INSERT INTO customers (id, name, email, country, city, segment, created_at)
SELECT id, name, email, country, city, segment, ${MS}
FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])
  AS t(id, name, email, country, city, segment, created_ms)`;

const INSERT_PRODUCTS = `
INSERT INTO products (id, name, category, price, created_at)
SELECT id, name, category, cents / 100.0, ${MS}
FROM unnest($1::int[], $2::text[], $3::text[], $4::bigint[], $5::bigint[])
  AS t(id, name, category, cents, created_ms)`;

const INSERT_ORDERS = `
INSERT INTO orders (id, customer_id, status, total, created_at)
SELECT id, customer_id, status, cents / 100.0, ${MS}
FROM unnest($1::int[], $2::int[], $3::text[], $4::bigint[], $5::bigint[])
  AS t(id, customer_id, status, cents, created_ms)`;

const INSERT_ORDER_ITEMS = `
INSERT INTO order_items (id, order_id, product_id, quantity, price)
SELECT id, order_id, product_id, quantity, cents / 100.0
FROM unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::bigint[])
  AS t(id, order_id, product_id, quantity, cents)`;

export async function loadDemo(db: Db, options: LoadDemoOptions): Promise<DemoCounts> {
  const shop = generateDemo(options);
  const report = options.onProgress ?? (() => {});
  const counts: DemoCounts = { customers: 0, products: 0, orders: 0, orderItems: 0 };

  await db.session(async (s) => {
    await s.exec('BEGIN');
    try {
      await refuseForeignTables(s);
      await s.exec(`DROP TABLE IF EXISTS ${[...DEMO_TABLES].reverse().join(', ')} CASCADE`);
      await s.exec(CREATE_TABLES);

      for (const rows of chunks(shop.customers, BATCH_SIZE)) {
        await s.query(INSERT_CUSTOMERS, columnsOf(rows, CUSTOMER_COLUMNS));
        counts.customers += rows.length;
        report({ table: 'customers', done: counts.customers, total: shop.customers.length });
      }
      for (const rows of chunks(shop.products, BATCH_SIZE)) {
        await s.query(INSERT_PRODUCTS, columnsOf(rows, PRODUCT_COLUMNS));
        counts.products += rows.length;
        report({ table: 'products', done: counts.products, total: shop.products.length });
      }
      for (const batch of shop.orderBatches(BATCH_SIZE)) {
        await s.query(INSERT_ORDERS, columnsOf(batch.orders, ORDER_COLUMNS));
        await s.query(INSERT_ORDER_ITEMS, columnsOf(batch.items, ORDER_ITEM_COLUMNS));
        counts.orders += batch.orders.length;
        counts.orderItems += batch.items.length;
        report({ table: 'orders', done: counts.orders, total: shop.orderCount });
      }

      await s.exec(CREATE_KEYS_AND_INDEXES);
      await s.exec(COMMENTS);
      await s.exec('COMMIT');
    } catch (e) {
      await s.exec('ROLLBACK');
      throw e;
    }
  });
  // Fresh statistics, so schema discovery sees row counts and common values at once.
  await db.exec(`ANALYZE ${DEMO_TABLES.join(', ')}`);
  return counts;
}

/** Never drops a company's own `orders` table: only tables the demo created may be replaced. */
async function refuseForeignTables(s: DbSession): Promise<void> {
  const foreign = await s.query<{ name: string }>(
    `SELECT c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relname = ANY($1::text[])
        AND coalesce(obj_description(c.oid, 'pg_class'), '') NOT LIKE $2
      ORDER BY 1`,
    [DEMO_TABLES, `${DEMO_TABLE_MARK}%`],
  );
  if (foreign.length > 0) {
    const names = foreign.map((t) => t.name).join(', ');
    throw new ConfigError(
      `This database already has tables named ${names} that are not Quarry's demo shop, so the demo was not loaded. Load it into an empty database instead.`,
    );
  }
}

function* chunks<T>(rows: T[], size: number): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/** The rows as one array per column, in the order of the INSERT's `unnest` parameters. */
function columnsOf<T>(rows: T[], keys: readonly (keyof T)[]): unknown[] {
  return keys.map((k) => rows.map((r) => r[k]));
}

const CUSTOMER_COLUMNS: readonly (keyof CustomerRow)[] = [
  'id',
  'name',
  'email',
  'country',
  'city',
  'segment',
  'createdAt',
];
const PRODUCT_COLUMNS: readonly (keyof ProductRow)[] = ['id', 'name', 'category', 'priceCents', 'createdAt'];
const ORDER_COLUMNS: readonly (keyof OrderRow)[] = ['id', 'customerId', 'status', 'totalCents', 'createdAt'];
const ORDER_ITEM_COLUMNS: readonly (keyof OrderItemRow)[] = [
  'id',
  'orderId',
  'productId',
  'quantity',
  'priceCents',
];
