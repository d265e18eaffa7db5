// Entities by their label on a real database: a customer by first and last name together (two
// customers who share a name stay two rows), orders by the names of their tags through the link
// table, and ids printed as stored, never as quantities.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerText } from '../../src/cli/printAnswer.ts';
import type { Db } from '../../src/db/client.ts';
import { postgresDb } from '../../src/db/postgres.ts';
import { createLogger } from '../../src/log.ts';
import { answer, type PipelineServices } from '../../src/pipeline/index.ts';
import { memorySchemaLayer } from '../../src/pipeline/schema/cacheLayers.ts';
import { TAGGED_SHOP_SQL } from '../fixtures/taggedShopSchema.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/services.ts';

const ROWS = `
INSERT INTO customers VALUES
  (10211, 'Ada', 'Lovelace', 'ada@example.com', now() - interval '30 days'),
  (10212, 'Ada', 'Lovelace', 'ada.l@example.com', now() - interval '20 days'),
  (10213, 'Grace', 'Hopper', 'grace@example.com', now() - interval '10 days');
INSERT INTO orders VALUES
  (50001, 10211, 100.00, now() - interval '9 days'),
  (50002, 10212, 40.00, now() - interval '8 days'),
  (50003, 10213, 300.00, now() - interval '7 days'),
  (50004, 10213, 20.00, now() - interval '6 days');
INSERT INTO tags VALUES (1, 'gift'), (2, 'express'), (3, 'wholesale');
INSERT INTO order_tags VALUES (50001, 1), (50002, 1), (50003, 2), (50003, 3), (50004, 2);
`;

let database: TestDatabase;
let target: Db;
let services: PipelineServices;

const ask = async (question: string) => {
  const a = await answer(question, { teamId: 'T', userId: 'U' }, services);
  expect(a.error, question).toBeNull();
  return a;
};

beforeAll(async () => {
  database = await createTestDatabase();
  target = postgresDb(database.url);
  await target.session((s) => s.exec(`${TAGGED_SHOP_SQL}${ROWS}`));
  services = {
    target,
    schemaLayers: [memorySchemaLayer()],
    limits: { statementTimeoutMs: 15_000, maxRows: 1000 },
    log: createLogger('silent'),
  };
}, 60_000);

afterAll(async () => {
  await target?.close();
  await database?.drop();
});

describe('entities by their label', () => {
  it('shows a customer by first and last name, keeping namesakes apart', async () => {
    const a = await ask('top customers by sales');
    expect(a.columns.map((c) => c.name)).toEqual(['name', 'sales']);
    expect(a.rows).toEqual([
      ['Grace Hopper', 320],
      ['Ada Lovelace', 100],
      ['Ada Lovelace', 40],
    ]);
    expect(a.summary).toBe('Sales by customer: 3 customers; top: Grace Hopper with $320.00 sales');
  });

  it('counts orders by the names of their tags, not by the link table’s ids', async () => {
    const a = await ask('number of orders per order tag');
    expect(a.rows).toEqual(
      expect.arrayContaining([
        ['gift', 2],
        ['express', 2],
        ['wholesale', 1],
      ]),
    );
    expect(a.rows).toHaveLength(3);
  });

  it('prints ids as stored in the table and the headline', async () => {
    const a = await ask('newest orders');
    const text = answerText(a);
    expect(text).toContain('50004');
    expect(text).not.toMatch(/50,00\d/);
    expect(a.summary).toMatch(/^Orders, newest first: 4 orders; first: 50004 \(/);
  });
});
