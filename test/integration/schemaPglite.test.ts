import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { pgliteDb } from '../../src/db/pglite.ts';
import type { SchemaInfo } from '../../src/domain/types.ts';
import { discoverSchema } from '../../src/pipeline/schema.ts';

// The embedded database runs the same catalog statements: the demo shop plus the awkward cases.
const DEMO_SCHEMA = new URL('../fixtures/demo/schema.sql', import.meta.url);
const EXTRA = `
  CREATE TYPE ticket_state AS ENUM ('open', 'closed');
  CREATE TABLE "SupportTickets" (
    id integer PRIMARY KEY, "customerId" integer NOT NULL, state ticket_state NOT NULL, "group" text
  );
  COMMENT ON COLUMN "SupportTickets".state IS 'workflow state';
  CREATE VIEW open_tickets AS SELECT * FROM "SupportTickets" WHERE state = 'open';
  INSERT INTO "SupportTickets" SELECT g, 1 + g % 5, (ARRAY['open', 'closed', 'closed'])[1 + g % 3]::ticket_state,
    (ARRAY['billing', 'tech'])[1 + g % 2] FROM generate_series(1, 30) g;
`;

let db: Db;
let schema: SchemaInfo;

beforeAll(async () => {
  db = pgliteDb(new PGlite(), 'embedded');
  await db.exec(readFileSync(DEMO_SCHEMA, 'utf8'));
  await db.exec(EXTRA);
  schema = await discoverSchema(db);
});

afterAll(async () => {
  await db?.close();
});

describe('discoverSchema on PGlite', () => {
  it('reads the demo shop and the extra relations', () => {
    expect(schema.database).toBe('postgres');
    expect(schema.searchPath).toEqual(['public']);
    expect(schema.tables.map((t) => `${t.key}:${t.kind}`)).toEqual([
      'public.SupportTickets:table',
      'public.customers:table',
      'public.open_tickets:view',
      'public.order_items:table',
      'public.orders:table',
      'public.products:table',
    ]);
    const orders = schema.tables.find((t) => t.name === 'orders')!;
    expect(orders.columns.map((c) => `${c.name}:${c.type}:${c.kind}`)).toEqual([
      'id:integer:number',
      'customer_id:integer:number',
      'status:text:text',
      'total:numeric(12,2):number',
      'created_at:timestamp with time zone:timestamp',
    ]);
    expect(orders.indexes.map((i) => i.name)).toEqual([
      'orders_created_at_idx',
      'orders_customer_id_idx',
      'orders_pkey',
    ]);
    const signup = schema.tables
      .find((t) => t.name === 'customers')!
      .columns.find((c) => c.name === 'created_at');
    expect(signup?.comment).toBe('signup time');
  });

  it('reads declared keys and infers the missing one', () => {
    expect(
      schema.foreignKeys.map((fk) => `${fk.fromTable}.${fk.fromColumns} -> ${fk.toTable} ${fk.inferred}`),
    ).toEqual([
      'public.order_items.order_id -> public.orders false',
      'public.order_items.product_id -> public.products false',
      'public.orders.customer_id -> public.customers false',
      'public.SupportTickets.customerId -> public.customers true',
    ]);
  });

  it('samples a never-analyzed table, then takes the statistics after ANALYZE', async () => {
    const ticketColumns = (s: SchemaInfo) => s.tables.find((t) => t.name === 'SupportTickets')!.columns;
    const state = ticketColumns(schema).find((c) => c.name === 'state')!;
    expect(state).toMatchObject({
      kind: 'text',
      enumValues: ['open', 'closed'],
      sampleValues: ['closed', 'open'],
      comment: 'workflow state',
    });
    expect(ticketColumns(schema).find((c) => c.name === 'group')!.sampleValues).toEqual(['billing', 'tech']);
    expect(schema.tables.find((t) => t.name === 'SupportTickets')!.rowEstimate).toBe(30);

    await db.exec('ANALYZE');
    const analyzed = await discoverSchema(db);
    expect(ticketColumns(analyzed).find((c) => c.name === 'state')).toMatchObject({
      sampleValues: ['closed', 'open'],
      distinctEstimate: 2,
    });
    expect(analyzed.tables.find((t) => t.name === 'SupportTickets')!.rowEstimate).toBe(30);
    expect(analyzed.fingerprint).toBe(schema.fingerprint);
  });
});
