// The LLM planner inside the pipeline, against the demo shop in a real PostgreSQL, a real
// Redis for the token budget, and a local server speaking the OpenAI protocol whose replies
// each test scripts.

import { describe, expect, it } from 'vitest';
import type { Answer } from '../../src/domain/types.ts';
import { reportText, runEval } from '../../src/eval/runEval.ts';
import { createLogger } from '../../src/log.ts';
import { answer, type PipelineServices } from '../../src/pipeline/index.ts';
import type { ModelServices } from '../../src/pipeline/llm/answerWithModel.ts';
import { budgetKey } from '../../src/pipeline/llm/tokenBudget.ts';
import { memorySchemaLayer } from '../../src/pipeline/schema/cacheLayers.ts';
import { fakeModelServices } from '../helpers/fakeModel.ts';
import { useModelPlannerShop } from '../helpers/modelPlannerShop.ts';

// The offline planner declines this one ("two", "consecutive" mean nothing to it).
const QUESTION = 'Which product categories sold in two consecutive months?';
const DECLINE = /I'm not sure what you mean/;

const shop = useModelPlannerShop();
let userSeq = 0;

const log = createLogger('silent');

function services(model: Partial<ModelServices> | null = {}): PipelineServices {
  return {
    target: shop.db,
    schemaLayers: [memorySchemaLayer()],
    limits: { statementTimeoutMs: 5000, maxRows: 1000 },
    log,
    ...(model ? { model: fakeModelServices(shop.fake, shop.redis.kv, model) } : {}),
  };
}

function ask(question = QUESTION, model: Partial<ModelServices> | null = {}, userId = `U${++userSeq}`) {
  return answer(question, { teamId: 'T', userId }, services(model));
}

const ref = (table: string, column: string) => ({ table, column });

const salesByCategoryPlan = {
  baseTable: 'public.order_items',
  measures: [
    {
      agg: 'sum',
      expr: { kind: 'product', refs: [ref('order_items', 'price'), ref('order_items', 'quantity')] },
      as: 'sales',
    },
  ],
  dimensions: [{ ref: ref('products', 'category'), as: 'category' }],
  filters: [],
  orderBy: [{ by: 'category', dir: 'asc' }],
};

const planReply = (plan: unknown, extra: Record<string, unknown> = {}) => ({
  tool: {
    action: 'plan',
    explanation: 'Sales per product category.',
    assumptions: ['sales = order_items.price × quantity, all order statuses'],
    plan,
    expect_rows: true,
    ...extra,
  },
});
const sqlReply = (sql: string) => ({
  tool: { action: 'sql', explanation: 'Counted with SQL.', assumptions: [], sql, expect_rows: true },
});

async function salesByCategory(): Promise<[string, number][]> {
  const r = await shop.db.query<{ category: string; sales: string }>(
    `SELECT p.category, sum(oi.price * oi.quantity) AS sales
     FROM order_items oi JOIN products p ON p.id = oi.product_id GROUP BY 1 ORDER BY 1`,
  );
  return r.map((x) => [x.category, Number(x.sales)]);
}

const numericRows = (a: Answer) => a.rows.map((r) => [String(r[0]), Number(r[1])]);
/** The text of every message sent to the model, in every request. */
const sentText = () => JSON.stringify(shop.fake.chatRequests().map((b) => b.messages));
/** The text the model was given back after its reply in request `i` (a tool result). */
const feedbackIn = (i: number) => {
  const messages = shop.fake.chatRequests()[i]!.messages as { role: string; content: string }[];
  return messages.at(-1)!.content;
};

describe('the LLM planner in the pipeline', () => {
  it('is not asked when no model is configured: the rules decline', async () => {
    const a = await ask(QUESTION, null);
    expect(a.error?.kind).toBe('not_understood');
    expect(a.error?.message).toMatch(DECLINE);
    expect(shop.fake.chatRequests()).toHaveLength(0);
  });

  it('is not asked when the rules answer', async () => {
    const a = await ask('How many orders did we get?');
    expect(a.error).toBeNull();
    expect(a.source).toBe('rules');
    expect(shop.fake.chatRequests()).toHaveLength(0);
  });

  it('runs a structured plan read-only and records source, assumptions and tokens', async () => {
    shop.fake.script({
      ...planReply(salesByCategoryPlan),
      usage: { prompt_tokens: 1200, completion_tokens: 80 },
    });
    const a = await ask();
    expect(a.error).toBeNull();
    expect(a.source).toBe('llm');
    expect(numericRows(a)).toEqual(await salesByCategory());
    expect(a.assumptions).toEqual([
      'Sales per product category.',
      'sales = order_items.price × quantity, all order statuses',
    ]);
    expect(a.tokensUsed).toBe(1280);
    expect(a.plan?.baseTable).toBe('public.order_items');
    expect(a.plan?.dimensions[0]?.ref).toEqual({ table: 'public.products', column: 'category' });
    const [request] = shop.fake.chatRequests();
    expect(request!.model).toBe('test-model');
    expect(request!.tool_choice).toEqual({ type: 'function', function: { name: 'answer_question' } });
    expect(sentText()).toContain(QUESTION);
    expect(sentText()).toContain('public.order_items');
  });

  it('runs raw SQL only after the guard capped it', async () => {
    shop.fake.script(
      sqlReply('SELECT status, count(*) AS orders FROM orders GROUP BY status ORDER BY status'),
    );
    const a = await ask();
    expect(a.error).toBeNull();
    expect(a.source).toBe('llm');
    expect(a.plan?.sql).toContain('GROUP BY status');
    expect(a.plan?.baseTable).toBe('public.orders');
    const expected = await shop.db.query<{ status: string; n: string }>(
      'SELECT status, count(*) AS n FROM orders GROUP BY status ORDER BY status',
    );
    expect(numericRows(a)).toEqual(expected.map((r) => [r.status, Number(r.n)]));
  });

  it('repairs invalid JSON in the next round', async () => {
    shop.fake.script({ toolArguments: '{"action": "plan", "plan": {' }, planReply(salesByCategoryPlan));
    const a = await ask();
    expect(a.error).toBeNull();
    expect(numericRows(a)).toEqual(await salesByCategory());
    expect(shop.fake.chatRequests()).toHaveLength(2);
    expect(feedbackIn(1)).toMatch(/not valid JSON/);
    expect(a.tokensUsed).toBe(2000);
  });

  it('falls back to the rules reply with a note after three unusable replies', async () => {
    const broken = { toolArguments: 'not json at all' };
    shop.fake.script(
      broken,
      { content: 'Sure! Here is the answer.' },
      planReply({ ...salesByCategoryPlan, baseTable: 'sales' }),
    );
    const a = await ask();
    expect(shop.fake.chatRequests()).toHaveLength(3);
    expect(feedbackIn(2)).toMatch(/call.*answer_question|not valid JSON/i);
    expect(a.error?.kind).toBe('not_understood');
    expect(a.error?.message).toMatch(DECLINE);
    expect(a.notes.join(' ')).toMatch(/model's replies could not be used/);
    expect(a.sql).toBeNull();
    expect(a.source).toBeNull();
  });

  it('tells the model which names are not in the schema', async () => {
    const wrong = {
      ...salesByCategoryPlan,
      dimensions: [{ ref: ref('products', 'department'), as: 'category' }],
    };
    shop.fake.script(planReply(wrong), planReply(salesByCategoryPlan));
    const a = await ask();
    expect(a.error).toBeNull();
    expect(feedbackIn(1)).toContain('public.products has no column "department"');
  });

  it('repairs a query the database rejected, telling it the error but no data', async () => {
    shop.fake.script(
      sqlReply('SELECT status, sum(amount) FROM orders GROUP BY status'),
      sqlReply('SELECT status, sum(total) AS total FROM orders GROUP BY status ORDER BY status'),
    );
    const a = await ask();
    expect(a.error).toBeNull();
    expect(a.rows.length).toBeGreaterThan(0);
    expect(feedbackIn(1)).toMatch(/PostgreSQL rejected the query: .*column "amount" does not exist/);
    // Result rows never travel to the model.
    for (const row of a.rows) expect(sentText()).not.toContain(String(row[1]));
  });

  it('gives an honest failure when two repairs still fail', async () => {
    const bad = sqlReply('SELECT sum(amount) FROM orders');
    shop.fake.script(bad, bad, bad);
    const a = await ask();
    expect(shop.fake.chatRequests()).toHaveLength(3);
    expect(a.error?.kind).toBe('query_failed');
    expect(a.error?.message).toMatch(/column that doesn't exist/);
    expect(a.source).toBe('llm');
  });

  it('repairs a plan that finds no rows the question expects', async () => {
    const inGermany = (value: string) => ({
      baseTable: 'public.orders',
      measures: [{ agg: 'count', expr: { kind: 'rows', table: 'public.orders' }, as: 'orders' }],
      dimensions: [{ ref: ref('customers', 'segment'), as: 'segment' }],
      filters: [{ ref: ref('customers', 'country'), op: '=', value }],
    });
    shop.fake.script(planReply(inGermany('germany')), planReply(inGermany('Germany')));
    const a = await ask();
    expect(a.error).toBeNull();
    expect(a.rowCount).toBeGreaterThan(0);
    expect(feedbackIn(1)).toMatch(/returned no rows/);
    expect(a.sql).toContain("'Germany'");
  });

  describe('hostile SQL is refused, never run, and ends in an honest failure', () => {
    const cases: [string, string, RegExp][] = [
      ['a write', 'DELETE FROM orders', /only run|read/i],
      [
        'a data-modifying CTE',
        'WITH d AS (DELETE FROM orders RETURNING id) SELECT count(*) FROM d',
        /only run|read|modif/i,
      ],
      ['pg_sleep', 'SELECT pg_sleep(30), count(*) FROM orders', /pg_sleep/],
      ['a catalog read', 'SELECT rolname, rolpassword FROM pg_authid', /system tables/],
      ['several statements', 'SELECT 1; DROP TABLE orders', /one query at a time/],
    ];
    it.each(cases)('%s', async (_name, sql, refusal) => {
      const before = await shop.db.query<{ n: string }>('SELECT count(*) AS n FROM orders');
      shop.fake.script(sqlReply(sql), sqlReply(sql), sqlReply(sql));
      const a = await ask();
      expect(shop.fake.chatRequests()).toHaveLength(3);
      expect(feedbackIn(1)).toMatch(/Quarry refused to run this/);
      expect(a.error?.kind).toBe('unsafe_sql');
      expect(a.error?.message).toMatch(refusal);
      expect(a.rows).toEqual([]);
      expect(a.timings.execute).toBeUndefined();
      expect(await shop.db.query<{ n: string }>('SELECT count(*) AS n FROM orders')).toEqual(before);
    });
  });

  it('asks back what the model asks, and the thread goes on', async () => {
    shop.fake.script({
      tool: {
        action: 'clarify',
        explanation: '',
        question: 'Do you mean calendar months, or any 30-day windows?',
      },
    });
    const a = await ask();
    expect(a.error).toEqual({
      kind: 'not_understood',
      message: 'Do you mean calendar months, or any 30-day windows?',
    });
    expect(a.summary).toBe('Do you mean calendar months, or any 30-day windows?');
  });

  describe('when the model is unavailable, the rules reply stands with a note', () => {
    it('a timeout', async () => {
      shop.fake.script({ hang: true });
      const a = await ask(QUESTION, { timeoutMs: 400 });
      expect(a.error?.message).toMatch(DECLINE);
      expect(a.notes).toContain(
        'The model is unavailable; it did not answer in time, so only the built-in planner was used.',
      );
    });

    it('a 429, retried once as Retry-After says, then given up', async () => {
      shop.fake.script({ status: 429, retryAfter: 0 }, { status: 429, retryAfter: 0 });
      const a = await ask();
      expect(shop.fake.chatRequests()).toHaveLength(2);
      expect(a.error?.message).toMatch(DECLINE);
      expect(a.notes.join(' ')).toMatch(/^The model is unavailable; it is rate-limited/);
    });

    it('a 429 whose Retry-After is past the deadline is not waited for', async () => {
      shop.fake.script({ status: 429, retryAfter: 60 }, planReply(salesByCategoryPlan));
      const a = await ask();
      expect(shop.fake.chatRequests()).toHaveLength(1);
      expect(a.notes.join(' ')).toMatch(/rate-limited/);
    });

    it('a 429 then an answer', async () => {
      shop.fake.script({ status: 429, retryAfter: 0 }, planReply(salesByCategoryPlan));
      const a = await ask();
      expect(a.error).toBeNull();
      expect(a.source).toBe('llm');
    });

    it('a 500', async () => {
      shop.fake.script({ status: 500 }, { status: 500 });
      const a = await ask();
      expect(a.error?.message).toMatch(DECLINE);
      expect(a.notes.join(' ')).toMatch(/^The model is unavailable; its server had an error/);
    });
  });

  it("stops asking once a person's daily tokens are spent, counted in Redis until the day ends", async () => {
    const userId = 'budget-user';
    shop.fake.script({
      ...planReply(salesByCategoryPlan),
      usage: { prompt_tokens: 140, completion_tokens: 10 },
    });
    const first = await ask(QUESTION, { dailyTokenBudget: 100 }, userId);
    expect(first.error).toBeNull();
    const key = budgetKey({ teamId: 'T', userId, limit: 100 });
    expect(await shop.redis.kv.get(key)).toBe('150');
    const ttl = await shop.redis.kv.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(86_400);

    shop.fake.script(planReply(salesByCategoryPlan));
    const second = await ask(QUESTION, { dailyTokenBudget: 100 }, userId);
    expect(shop.fake.chatRequests()).toHaveLength(1);
    expect(second.error?.message).toMatch(DECLINE);
    expect(second.notes.join(' ')).toMatch(/your 100 model tokens for today are used up/);
  });

  it('shows up as its own planner in the evaluation report', async () => {
    shop.fake.script(planReply(salesByCategoryPlan), planReply({ ...salesByCategoryPlan, filters: [] }));
    const gold = `SELECT p.category, sum(oi.price * oi.quantity) AS sales
      FROM order_items oi JOIN products p ON p.id = oi.product_id GROUP BY 1 ORDER BY 1`;
    const report = await runEval(
      [
        { questions: [QUESTION], goldSql: [gold] },
        { questions: ['How many orders did we get?'], goldSql: ['SELECT count(*) FROM orders'] },
        {
          questions: ['Which categories sold in three consecutive weeks?'],
          goldSql: ['SELECT 1 WHERE false'],
        },
      ],
      services(),
      { teamId: 'T', userId: 'eval' },
    );
    expect(report.bySource.llm).toMatchObject({ total: 2, correct: 1, wrong: 1 });
    expect(report.bySource.rules).toMatchObject({ total: 1, correct: 1 });
    expect(reportText(report)).toContain('| llm | 2 | 1 | 50.0% |');
  });
});
