// A ratio planned by the model, inside the pipeline: the demo shop in a real PostgreSQL, a real
// Redis for the token budget, and a local server speaking the OpenAI protocol that plays the
// model. The rules decline these questions ("rate" means nothing to them), so the model is asked.

import { describe, expect, it } from 'vitest';
import type { Answer } from '../../src/domain/types.ts';
import { createLogger } from '../../src/log.ts';
import { answer, type PipelineServices } from '../../src/pipeline/index.ts';
import { memorySchemaLayer } from '../../src/pipeline/schema/cacheLayers.ts';
import { fakeModelServices } from '../helpers/fakeModel.ts';
import { useModelPlannerShop } from '../helpers/modelPlannerShop.ts';

const shop = useModelPlannerShop();
let userSeq = 0;

function services(withModel: boolean): PipelineServices {
  return {
    target: shop.db,
    schemaLayers: [memorySchemaLayer()],
    limits: { statementTimeoutMs: 5000, maxRows: 1000 },
    log: createLogger('silent'),
    ...(withModel ? { model: fakeModelServices(shop.fake, shop.redis.kv) } : {}),
  };
}

const ask = (question: string, withModel = true) =>
  answer(question, { teamId: 'T', userId: `U${++userSeq}` }, services(withModel));

const orders = (as: string, where?: unknown[]) => ({
  agg: 'count',
  expr: { kind: 'rows', table: 'public.orders' },
  as,
  ...(where ? { where } : {}),
});
const cancelled = { ref: { table: 'orders', column: 'status' }, op: '=', value: 'cancelled' };
const ratioPlan = (extra: Record<string, unknown> = {}) => ({
  baseTable: 'public.orders',
  measures: [orders('cancelled_orders', [cancelled]), orders('all_orders')],
  dimensions: [],
  filters: [],
  ratio: { numerator: 'cancelled_orders', denominator: 'all_orders', as: 'cancellation_rate' },
  ...extra,
});
const planReply = (plan: unknown) => ({
  tool: {
    action: 'plan',
    explanation: 'Cancelled orders divided by all orders.',
    assumptions: ['cancellation rate = orders with status cancelled / all orders'],
    plan,
    expect_rows: true,
  },
});

/** The answer's rows as objects by column name. */
const records = (a: Answer) =>
  a.rows.map((row) => Object.fromEntries(a.columns.map((c, i) => [c.name, row[i]])));

describe('a ratio planned by the model', () => {
  it('is a question the rules decline', async () => {
    for (const question of ['What is the cancellation rate?', 'Cancellation rate of orders per segment']) {
      const a = await ask(question, false);
      expect(a.error?.kind).toBe('not_understood');
    }
  });

  it('runs as two counts, one with its own FILTER (WHERE), and their ratio', async () => {
    shop.fake.script(planReply(ratioPlan()));
    const a = await ask('What is the cancellation rate?');
    expect(a.error).toBeNull();
    expect(a.source).toBe('llm');
    expect(a.sql).toContain("COUNT(*) FILTER (WHERE orders.status = 'cancelled') AS cancelled_orders");
    expect(a.sql).toMatch(/ \/ NULLIF\(COUNT\(\*\), 0\) AS cancellation_rate\b/);
    const [expected] = await shop.db.query<{ cancelled: string; all: string }>(
      `SELECT count(*) FILTER (WHERE status = 'cancelled') AS cancelled, count(*) AS all FROM orders`,
    );
    const [row] = records(a);
    expect(Number(row!.cancelled_orders)).toBe(Number(expected!.cancelled));
    expect(Number(row!.all_orders)).toBe(Number(expected!.all));
    expect(Number(expected!.cancelled)).toBeGreaterThan(0);
    expect(Number(row!.cancellation_rate)).toBeCloseTo(
      Number(expected!.cancelled) / Number(expected!.all),
      10,
    );
  });

  it('groups the ratio and orders the groups by it', async () => {
    const segment = { ref: { table: 'customers', column: 'segment' }, as: 'segment' };
    shop.fake.script(
      planReply(ratioPlan({ dimensions: [segment], orderBy: [{ by: 'cancellation_rate', dir: 'desc' }] })),
    );
    const a = await ask('Cancellation rate of orders per segment');
    expect(a.error).toBeNull();
    expect(a.sql).toContain('FILTER (WHERE');
    expect(a.sql).toContain('ORDER BY cancellation_rate DESC');
    const expected = await shop.db.query<{ segment: string; rate: number }>(
      `SELECT c.segment, (count(*) FILTER (WHERE o.status = 'cancelled'))::float8 / count(*) AS rate
       FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY 1 ORDER BY 2 DESC`,
    );
    const got = records(a).map((r) => [r.segment, Number(r.cancellation_rate)]);
    expect(got.map(([s]) => s)).toEqual(expected.map((r) => r.segment));
    got.forEach(([, rate], i) => {
      expect(rate).toBeCloseTo(Number(expected[i]!.rate), 10);
    });
  });

  it('tells the model when a side of its ratio is not one of its measures, and runs the repair', async () => {
    const wrong = ratioPlan({ ratio: { numerator: 'cancelled_orders', denominator: 'orders', as: 'rate' } });
    shop.fake.script(planReply(wrong), planReply(ratioPlan()));
    const a = await ask('What is the cancellation rate?');
    expect(a.error).toBeNull();
    expect(shop.fake.chatRequests()).toHaveLength(2);
    const messages = shop.fake.chatRequests()[1]!.messages as { content: string }[];
    expect(messages.at(-1)!.content).toContain(
      'ratio refers to "orders", which is not the "as" of a measure',
    );
    expect(a.sql).toMatch(/AS cancellation_rate\b/);
  });
});
