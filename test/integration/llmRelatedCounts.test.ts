// Counts of related rows planned by the model, inside the pipeline: the demo shop in a real
// PostgreSQL, Redis for the token budget, and a local server speaking the OpenAI protocol that
// plays the model. The rules decline these words ("loyal", "basket depth"), so the model is
// asked, and its plan says what the rules' plans say: a count of each row's related rows, kept
// by a threshold or averaged; a count that runs the wrong way is sent back to be repaired.

import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { answer, type PipelineServices } from '../../src/pipeline/index.ts';
import { memorySchemaLayer } from '../../src/pipeline/schema/cacheLayers.ts';
import { fakeModelServices } from '../helpers/fakeModel.ts';
import { useModelPlannerShop } from '../helpers/modelPlannerShop.ts';

const shop = useModelPlannerShop();
let userSeq = 0;

const services = (): PipelineServices => ({
  target: shop.db,
  schemaLayers: [memorySchemaLayer()],
  limits: { statementTimeoutMs: 5000, maxRows: 1000 },
  log: createLogger('silent'),
  model: fakeModelServices(shop.fake, shop.redis.kv),
});
const ask = (question: string) => answer(question, { teamId: 'T', userId: `U${++userSeq}` }, services());
const planReply = (plan: unknown) => ({
  tool: { action: 'plan', explanation: 'A count of related rows.', assumptions: [], plan, expect_rows: true },
});
const count = async (sql: string) => Number((await shop.db.query<{ n: string }>(sql))[0]!.n);

const loyal = {
  baseTable: 'customers',
  measures: [{ agg: 'count', expr: { kind: 'rows', table: 'customers' }, as: 'customers' }],
  dimensions: [],
  filters: [],
  relatedCounts: [{ table: 'orders', op: '>=', value: 2 }],
};

describe('counts of related rows planned by the model', () => {
  it('keeps the customers with at least two orders', async () => {
    shop.fake.script(planReply(loyal));
    const a = await ask('How many loyal customers do we have?');
    expect(a.error).toBeNull();
    expect(a.source).toBe('llm');
    expect(a.sql).toContain(
      'WHERE (SELECT count(*) FROM orders WHERE orders.customer_id = customers.id) >= 2',
    );
    expect(a.rows).toEqual([
      [
        await count(
          'SELECT count(*) AS n FROM customers c WHERE (SELECT count(*) FROM orders o WHERE o.customer_id = c.id) >= 2',
        ),
      ],
    ]);
    expect(a.summary).toMatch(/^Customers with at least 2 orders: /);
  });

  it('averages each order’s lines over every order', async () => {
    shop.fake.script(
      planReply({
        baseTable: 'orders',
        measures: [
          { agg: 'avg', expr: { kind: 'related', table: 'orders', rows: 'order_items' }, as: 'depth' },
        ],
        dimensions: [],
        filters: [],
      }),
    );
    const a = await ask('What is our typical basket depth?');
    expect(a.error).toBeNull();
    const lines = await count('SELECT count(*) AS n FROM order_items');
    const orders = await count('SELECT count(*) AS n FROM orders');
    expect(Number(a.rows[0]?.[0])).toBeCloseTo(lines / orders, 6);
  });

  it('sends back a count that runs the wrong way, and runs the repaired plan', async () => {
    shop.fake.script(
      planReply({
        ...loyal,
        baseTable: 'orders',
        measures: [{ agg: 'count', expr: { kind: 'rows', table: 'orders' }, as: 'orders' }],
        relatedCounts: [{ table: 'customers', op: '>=', value: 2 }],
      }),
      planReply(loyal),
    );
    const a = await ask('How many loyal customers are there?');
    expect(a.error).toBeNull();
    const repair = JSON.stringify(shop.fake.requests[1]);
    expect(repair).toContain('no rows of public.customers refer to a row of public.orders');
  });
});
