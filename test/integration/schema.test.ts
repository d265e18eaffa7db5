import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { postgresDb } from '../../src/db/postgres.ts';
import type { SchemaInfo, TableInfo } from '../../src/domain/types.ts';
import { readCatalog } from '../../src/pipeline/schema/catalog.ts';
import { readSamples, sampleTargets } from '../../src/pipeline/schema/samples.ts';
import { discoverSchema } from '../../src/pipeline/schema.ts';
import { createTestDatabase, TEST_PG_ADMIN_URL, type TestDatabase, uniqueName } from '../helpers/services.ts';

// A hand-made schema with every kind of relation and identifier discovery must handle. Tables
// are created before their rows and with autovacuum off, so they stay never-analyzed until a
// test runs ANALYZE itself.
const WIDE_COLUMNS = Array.from({ length: 499 }, (_, i) => `c${i + 1}`);
const FIXTURE = `
  CREATE TYPE order_status AS ENUM ('pending', 'shipped', 'delivered', 'returned');
  CREATE DOMAIN email_address AS text;
  CREATE TABLE customers (
    id serial PRIMARY KEY,
    name text NOT NULL,
    email email_address NOT NULL,
    country text NOT NULL,
    segment varchar(20) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  ) WITH (autovacuum_enabled = false);
  COMMENT ON TABLE customers IS 'People who buy';
  COMMENT ON COLUMN customers.country IS 'Billing country';
  CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers(id),
    status order_status NOT NULL,
    total numeric(12,2) NOT NULL,
    placed_on date NOT NULL,
    paid boolean NOT NULL DEFAULT false,
    details jsonb,
    tracking uuid,
    weight real
  ) WITH (autovacuum_enabled = false);
  CREATE INDEX orders_customer_status_idx ON orders (customer_id, status);
  CREATE UNIQUE INDEX orders_tracking_idx ON orders (lower(tracking::text));
  CREATE TABLE "OrderLines" (
    "LineID" serial PRIMARY KEY,
    "orderId" bigint NOT NULL REFERENCES orders(id),
    "productName" text NOT NULL,
    quantity smallint NOT NULL
  ) WITH (autovacuum_enabled = false);
  CREATE TABLE shipments (
    order_id bigint NOT NULL, line_no integer NOT NULL, carrier text, PRIMARY KEY (order_id, line_no)
  );
  CREATE TABLE shipment_events (
    id serial PRIMARY KEY, order_id bigint NOT NULL, line_no integer NOT NULL, happened_at timestamp,
    FOREIGN KEY (line_no, order_id) REFERENCES shipments (line_no, order_id)
  );
  CREATE TABLE reviews (id serial PRIMARY KEY, customer_id integer NOT NULL, stars smallint NOT NULL);
  CREATE TABLE "group" (id integer PRIMARY KEY, name text NOT NULL);
  CREATE TABLE "user" (id serial PRIMARY KEY, "group" text NOT NULL, "order" integer, group_id integer)
    WITH (autovacuum_enabled = false);
  CREATE VIEW big_orders AS SELECT id, customer_id, total FROM orders WHERE total > 100;
  COMMENT ON VIEW big_orders IS 'Orders over 100';
  CREATE MATERIALIZED VIEW order_totals AS SELECT customer_id, sum(total) AS total FROM orders GROUP BY 1;
  CREATE TABLE page_views (viewed_on date NOT NULL, path text) PARTITION BY RANGE (viewed_on);
  CREATE TABLE page_views_2024 PARTITION OF page_views FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
  CREATE TABLE big_log (id integer PRIMARY KEY, level text NOT NULL, message text NOT NULL)
    WITH (autovacuum_enabled = false);
  CREATE TABLE wide (id integer PRIMARY KEY, ${WIDE_COLUMNS.map((c) => `${c} text`).join(', ')});
  CREATE SCHEMA billing;
  CREATE TABLE billing.invoices (id serial PRIMARY KEY, customer_id integer NOT NULL, amount numeric(10,2));
  CREATE TABLE billing.payments (id serial PRIMARY KEY, invoice_id integer REFERENCES billing.invoices(id));
  CREATE SCHEMA scratch;
  CREATE TABLE scratch.notes (id integer);

  -- Countries 16/12/8/4 and segments 30/10, so "most common first" has one right answer.
  INSERT INTO customers (name, email, country, segment)
    SELECT 'Customer ' || g, 'c' || g || '@example.com',
           CASE WHEN g <= 16 THEN 'Germany' WHEN g <= 28 THEN 'France' WHEN g <= 36 THEN 'Japan' ELSE 'Brazil' END,
           CASE WHEN g % 4 = 0 THEN 'business' ELSE 'consumer' END
    FROM generate_series(1, 40) g;
  INSERT INTO orders (customer_id, status, total, placed_on)
    SELECT 1 + g % 40, CASE WHEN g % 6 = 0 THEN 'returned' WHEN g % 2 = 0 THEN 'shipped' ELSE 'delivered' END::order_status,
           g * 2.5, DATE '2024-01-01' + g
    FROM generate_series(1, 120) g;
  INSERT INTO "user" ("group", "order") SELECT (ARRAY['admins', 'staff', 'staff', 'guests'])[1 + g % 4], g
    FROM generate_series(1, 12) g;
  INSERT INTO page_views SELECT DATE '2024-03-01' + g % 30, '/p/' || g FROM generate_series(1, 25) g;
  -- About 3 MB: too big to read for samples before ANALYZE.
  INSERT INTO big_log SELECT g, (ARRAY['info', 'warn'])[1 + g % 2], repeat(md5(g::text), 2)
    FROM generate_series(1, 30000) g;
`;

let database: TestDatabase;
let db: Db;
let schema: SchemaInfo;

const table = (s: SchemaInfo, key: string): TableInfo => {
  const t = s.tables.find((x) => x.key === key);
  if (!t) throw new Error(`no table ${key}`);
  return t;
};
const column = (s: SchemaInfo, key: string, name: string) => {
  const c = table(s, key).columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${key}.${name}`);
  return c;
};

beforeAll(async () => {
  database = await createTestDatabase();
  db = postgresDb(database.url);
  await db.exec(FIXTURE);
  schema = await discoverSchema(db, { excludeSchemas: ['scratch'] });
});

afterAll(async () => {
  await db?.close();
  await database?.drop();
});

describe('discoverSchema on PostgreSQL', () => {
  it('names the database, the search path and the discovery time', () => {
    expect(schema.database).toBe(database.name);
    expect(schema.searchPath).toEqual(['public']);
    expect(new Date(schema.discoveredAt).toISOString()).toBe(schema.discoveredAt);
    expect(schema.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lists every readable relation once, partitions and excluded schemas left out', () => {
    expect(schema.tables.map((t) => `${t.key}:${t.kind}`)).toEqual([
      'billing.invoices:table',
      'billing.payments:table',
      'public.OrderLines:table',
      'public.big_log:table',
      'public.big_orders:view',
      'public.customers:table',
      'public.group:table',
      'public.order_totals:materialized_view',
      'public.orders:table',
      'public.page_views:partitioned_table',
      'public.reviews:table',
      'public.shipment_events:table',
      'public.shipments:table',
      'public.user:table',
      'public.wide:table',
    ]);
  });

  it('includes other schemas unless excluded, never the system ones', async () => {
    const all = await discoverSchema(db, { sampleValues: false });
    const schemas = new Set(all.tables.map((t) => t.schema));
    expect([...schemas].sort()).toEqual(['billing', 'public', 'scratch']);
    const onlyPublic = await discoverSchema(db, {
      excludeSchemas: ['billing', 'scratch'],
      sampleValues: false,
    });
    expect(new Set(onlyPublic.tables.map((t) => t.schema))).toEqual(new Set(['public']));
  });

  it('reads a table whole: columns, types, kinds, nullability, comments, keys, indexes, samples', () => {
    expect(table(schema, 'public.customers')).toEqual({
      key: 'public.customers',
      schema: 'public',
      name: 'customers',
      kind: 'table',
      comment: 'People who buy',
      rowEstimate: 40,
      primaryKey: ['id'],
      indexes: [{ name: 'customers_pkey', unique: true, columns: ['id'] }],
      columns: [
        { name: 'id', type: 'integer', kind: 'number', nullable: false, isPrimaryKey: true },
        {
          name: 'name',
          type: 'text',
          kind: 'text',
          nullable: false,
          isPrimaryKey: false,
          distinctEstimate: 40,
        },
        {
          name: 'email',
          type: 'email_address',
          kind: 'text',
          nullable: false,
          isPrimaryKey: false,
          distinctEstimate: 40,
        },
        {
          name: 'country',
          type: 'text',
          kind: 'text',
          nullable: false,
          isPrimaryKey: false,
          comment: 'Billing country',
          distinctEstimate: 4,
          sampleValues: ['Germany', 'France', 'Japan', 'Brazil'],
        },
        {
          name: 'segment',
          type: 'character varying(20)',
          kind: 'text',
          nullable: false,
          isPrimaryKey: false,
          distinctEstimate: 2,
          sampleValues: ['consumer', 'business'],
        },
        {
          name: 'created_at',
          type: 'timestamp with time zone',
          kind: 'timestamp',
          nullable: false,
          isPrimaryKey: false,
        },
      ],
    });
  });

  it('maps every type family to its kind and keeps enum labels in declaration order', () => {
    const orders = table(schema, 'public.orders');
    expect(orders.columns.map((c) => [c.name, c.type, c.kind, c.nullable])).toEqual([
      ['id', 'bigint', 'number', false],
      ['customer_id', 'integer', 'number', false],
      ['status', 'order_status', 'text', false],
      ['total', 'numeric(12,2)', 'number', false],
      ['placed_on', 'date', 'date', false],
      ['paid', 'boolean', 'boolean', false],
      ['details', 'jsonb', 'json', true],
      ['tracking', 'uuid', 'text', true],
      ['weight', 'real', 'number', true],
    ]);
    expect(column(schema, 'public.orders', 'status').enumValues).toEqual([
      'pending',
      'shipped',
      'delivered',
      'returned',
    ]);
    expect(column(schema, 'public.orders', 'status').sampleValues).toEqual([
      'delivered',
      'shipped',
      'returned',
    ]);
    expect(column(schema, 'public.orders', 'total').enumValues).toBeUndefined();
  });

  it('reads composite primary keys, multi-column and expression indexes', () => {
    expect(table(schema, 'public.shipments').primaryKey).toEqual(['order_id', 'line_no']);
    expect(column(schema, 'public.shipments', 'line_no').isPrimaryKey).toBe(true);
    expect(table(schema, 'public.orders').indexes).toEqual([
      { name: 'orders_customer_status_idx', unique: false, columns: ['customer_id', 'status'] },
      { name: 'orders_pkey', unique: true, columns: ['id'] },
      { name: 'orders_tracking_idx', unique: true, columns: ['lower(tracking::text)'] },
    ]);
    expect(table(schema, 'public.big_orders').primaryKey).toEqual([]);
  });

  it('reads declared foreign keys with their column order', () => {
    expect(schema.foreignKeys.filter((fk) => !fk.inferred)).toEqual([
      {
        fromTable: 'billing.payments',
        fromColumns: ['invoice_id'],
        toTable: 'billing.invoices',
        toColumns: ['id'],
        inferred: false,
      },
      {
        fromTable: 'public.OrderLines',
        fromColumns: ['orderId'],
        toTable: 'public.orders',
        toColumns: ['id'],
        inferred: false,
      },
      {
        fromTable: 'public.orders',
        fromColumns: ['customer_id'],
        toTable: 'public.customers',
        toColumns: ['id'],
        inferred: false,
      },
      {
        fromTable: 'public.shipment_events',
        fromColumns: ['line_no', 'order_id'],
        toTable: 'public.shipments',
        toColumns: ['line_no', 'order_id'],
        inferred: false,
      },
    ]);
  });

  it('infers keys by name where none is declared, across schemas, without duplicates', () => {
    const inferred = schema.foreignKeys
      .filter((fk) => fk.inferred)
      .map((fk) => `${fk.fromTable}.${fk.fromColumns} -> ${fk.toTable}.${fk.toColumns}`);
    expect(inferred.sort()).toEqual([
      'billing.invoices.customer_id -> public.customers.id',
      'public.order_totals.customer_id -> public.customers.id',
      'public.reviews.customer_id -> public.customers.id',
      'public.shipments.order_id -> public.orders.id',
      'public.user.group_id -> public.group.id',
    ]);
  });

  it('keeps mixed-case and reserved-word identifiers verbatim', () => {
    expect(table(schema, 'public.OrderLines').columns.map((c) => c.name)).toEqual([
      'LineID',
      'orderId',
      'productName',
      'quantity',
    ]);
    expect(table(schema, 'public.OrderLines').primaryKey).toEqual(['LineID']);
    expect(table(schema, 'public.user').columns.map((c) => c.name)).toEqual([
      'id',
      'group',
      'order',
      'group_id',
    ]);
    expect(column(schema, 'public.user', 'group').sampleValues).toEqual(['staff', 'admins', 'guests']);
  });

  it('describes views, materialized views and partitioned tables', () => {
    expect(table(schema, 'public.big_orders')).toMatchObject({ comment: 'Orders over 100', rowEstimate: 0 });
    expect(table(schema, 'public.big_orders').columns.map((c) => c.name)).toEqual([
      'id',
      'customer_id',
      'total',
    ]);
    expect(table(schema, 'public.order_totals').columns.map((c) => `${c.name}:${c.kind}`)).toEqual([
      'customer_id:number',
      'total:number',
    ]);
    expect(table(schema, 'public.page_views').columns.map((c) => `${c.name}:${c.kind}`)).toEqual([
      'viewed_on:date',
      'path:text',
    ]);
  });

  it('reads a 500-column table in column order', () => {
    const wide = table(schema, 'public.wide');
    expect(wide.columns).toHaveLength(500);
    expect(wide.columns.map((c) => c.name)).toEqual(['id', ...WIDE_COLUMNS]);
    expect(wide.rowEstimate).toBe(0);
    expect(table(schema, 'public.page_views').rowEstimate).toBe(0);
  });

  it('leaves big never-analyzed tables unread: no samples, row estimate 0', () => {
    expect(table(schema, 'public.big_log').rowEstimate).toBe(0);
    expect(column(schema, 'public.big_log', 'level').sampleValues).toBeUndefined();
  });

  it('reads no values at all when asked not to', async () => {
    const bare = await discoverSchema(db, { sampleValues: false, excludeSchemas: ['scratch'] });
    expect(bare.tables.flatMap((t) => t.columns).filter((c) => c.sampleValues)).toEqual([]);
    expect(bare.fingerprint).toBe(schema.fingerprint);
  });

  it('caps values per column', async () => {
    const capped = await discoverSchema(db, { maxSampleValues: 2, excludeSchemas: ['scratch'] });
    expect(column(capped, 'public.customers', 'country').sampleValues).toEqual(['Germany', 'France']);
  });

  it('lists only what a restricted role may read', async () => {
    const role = uniqueName('quarry_reader');
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE ${role} NOLOGIN`);
      await admin.query(`GRANT SELECT ON customers TO ${role}`);
      await admin.query(`GRANT SELECT (id, customer_id, total) ON orders TO ${role}`);
      const url = new URL(database.url);
      url.searchParams.set('options', `-c role=${role}`);
      const restricted = postgresDb(url.toString());
      try {
        const seen = await discoverSchema(restricted);
        expect(seen.tables.map((t) => t.key)).toEqual(['public.customers', 'public.orders']);
        expect(table(seen, 'public.orders').columns.map((c) => c.name)).toEqual([
          'id',
          'customer_id',
          'total',
        ]);
        expect(seen.foreignKeys.map((fk) => `${fk.fromTable}->${fk.toTable}`)).toEqual([
          'public.orders->public.customers',
        ]);
      } finally {
        await restricted.close();
      }
    } finally {
      await admin.query(`DROP OWNED BY ${role}`);
      await admin.end();
      const cluster = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
      await cluster.connect();
      await cluster.query(`DROP ROLE ${role}`).finally(() => cluster.end());
    }
  });

  it('goes on while another session holds an exclusive lock on a table', async () => {
    const locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE "user" IN ACCESS EXCLUSIVE MODE');
      const during = await discoverSchema(db, { excludeSchemas: ['scratch'] });
      expect(column(during, 'public.user', 'group').sampleValues).toBeUndefined();
      expect(column(during, 'public.customers', 'country').sampleValues).toEqual([
        'Germany',
        'France',
        'Japan',
        'Brazil',
      ]);
      expect(during.fingerprint).toBe(schema.fingerprint);

      // A lock taken between the catalog read and the sampling: the sampling gives up.
      const catalog = await readCatalog(db, { excludeSchemas: [], maxCommonValues: 5 });
      const unlocked = catalog.relations.map((r) =>
        r.name === 'user' ? { ...r, unanalyzedBytes: 8192 } : r,
      );
      const targets = sampleTargets(unlocked);
      expect(targets.map((t) => t.relation.name)).toContain('user');
      expect((await readSamples(db, targets, 5)).size).toBe(0);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
  });

  // Runs last: ANALYZE turns the remaining facts over to pg_stats.
  it('after ANALYZE takes row estimates, distinct counts and common values from the statistics', async () => {
    await db.exec('ANALYZE');
    const analyzed = await discoverSchema(db, { excludeSchemas: ['scratch'] });
    expect(table(analyzed, 'public.customers').rowEstimate).toBe(40);
    expect(table(analyzed, 'public.big_log').rowEstimate).toBe(30000);
    expect(table(analyzed, 'public.page_views').rowEstimate).toBe(25);
    expect(column(analyzed, 'public.customers', 'country')).toMatchObject({
      distinctEstimate: 4,
      sampleValues: ['Germany', 'France', 'Japan', 'Brazil'],
    });
    expect(column(analyzed, 'public.customers', 'id')).toMatchObject({ distinctEstimate: 40 });
    expect(column(analyzed, 'public.customers', 'name').sampleValues).toBeUndefined();
    expect(column(analyzed, 'public.big_log', 'level')).toMatchObject({
      distinctEstimate: 2,
      sampleValues: expect.arrayContaining(['info', 'warn']),
    });
    expect(column(analyzed, 'public.big_log', 'message').sampleValues).toBeUndefined();
    expect(column(analyzed, 'public.orders', 'status').sampleValues).toEqual([
      'delivered',
      'shipped',
      'returned',
    ]);
    expect(analyzed.fingerprint).toBe(schema.fingerprint);
  });
});
