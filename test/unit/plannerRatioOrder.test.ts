import { describe, expect, it } from 'vitest';
import { NotUnderstood } from '../../src/errors.ts';
import { readOrdering } from '../../src/language/ordering.ts';
import { compilePlan } from '../../src/pipeline/compile.ts';
import { writeHeadline } from '../../src/pipeline/headline.ts';
import { lexiconFor, questionSignature } from '../../src/pipeline/plan.ts';
import { planOffline } from '../../src/pipeline/planner/offline.ts';
import { splitRatio } from '../../src/pipeline/planner/ratio.ts';
import { shopSchema } from '../fixtures/shopSchema.ts';

const now = new Date('2026-11-25T10:00:00Z');
const plan = (q: string) => planOffline(q, { schema: shopSchema, defaultLimit: 100, now }).plan;
const sql = (q: string) => compilePlan(plan(q), shopSchema, { defaultLimit: 100, maxRows: 1000 }).sql;
const declines = (q: string) => expect(() => plan(q)).toThrow(NotUnderstood);

describe('ordering phrases', () => {
  it.each([
    ['titles ordered alphabetically', { dir: 'asc', alphabetical: true, by: '' }],
    [
      'orders per country, ordered by the number of orders in descending order',
      { dir: 'desc', by: 'the number of orders' },
    ],
    ['sales by country, from highest to lowest', { dir: 'desc', by: '' }],
    ['sort the product names in ascending order', { dir: 'asc', by: 'the product names' }],
    ['Order the results by the last names.', { by: 'the last names' }],
    ['customers, newest first', { dir: 'desc', by: '' }],
    ['sales by country, sorted in descending order by sales', { dir: 'desc', by: 'sales' }],
    ['orders per month, ordered by month descending', { dir: 'desc', by: 'month' }],
  ])('reads "%s"', (q, expected) => {
    expect(readOrdering(q).order).toMatchObject(expected);
  });

  it.each(['how many orders by country', 'what did the last order cost?', 'products ordered last week'])(
    'finds no ordering in "%s"',
    (q) => expect(readOrdering(q).order).toBeUndefined(),
  );

  it('orders a grouped count by its measure, either way', () => {
    const desc = plan('number of orders per country, ordered by the number of orders in descending order');
    expect(desc.orderBy).toEqual([{ by: desc.measures[0]!.as, dir: 'desc' }]);
    const asc = plan('sales by country, sorted from lowest to highest');
    expect(asc.orderBy).toEqual([{ by: asc.measures[0]!.as, dir: 'asc' }]);
    expect(sql('sales by country, sorted from lowest to highest')).toMatch(/ORDER BY sales ASC/);
  });

  it('orders by the grouping it names, and says so in the headline', () => {
    const p = plan('How many orders by status, ordered by status');
    expect(p.orderBy).toEqual([{ by: 'status', dir: 'asc' }]);
    const headline = writeHeadline({
      plan: p,
      columns: [
        { name: 'status', kind: 'text' },
        { name: 'orders', kind: 'number' },
      ],
      rows: [
        ['cancelled', 3],
        ['completed', 9],
      ],
      rowCount: 2,
      truncated: false,
    });
    expect(headline).toBe('Orders by status, status A to Z: 2 statuses');
  });

  it('lists rows alphabetically by their name', () => {
    const p = plan('List customers ordered alphabetically');
    expect(p.orderBy).toEqual([{ by: 'name', dir: 'asc' }]);
  });

  it('asks back when the key is nothing the answer shows, or contradicts a ranking', () => {
    declines('sales by country, ordered by the weather');
    declines('top 5 products by revenue, sorted in ascending order');
  });
});

describe('ratios', () => {
  it('splits "ratio of A to B"', () => {
    expect(splitRatio('What is the ratio of completed orders to cancelled orders?')).toEqual({
      numerator: 'completed orders',
      denominator: 'cancelled orders',
    });
    expect(splitRatio('how many orders by country')).toBeUndefined();
  });

  it('divides two counts of the same rows, each with its own condition', () => {
    const p = plan('What is the ratio of completed orders to cancelled orders?');
    expect(p.measures.map((m) => m.where)).toEqual([
      [{ ref: { table: 'public.orders', column: 'status' }, op: '=', value: 'completed' }],
      [{ ref: { table: 'public.orders', column: 'status' }, op: '=', value: 'cancelled' }],
    ]);
    expect(p.ratio).toEqual({ numerator: p.measures[0]!.as, denominator: p.measures[1]!.as, as: 'ratio' });
    const s = sql('What is the ratio of completed orders to cancelled orders?');
    expect(s).toContain("COUNT(*) FILTER (WHERE orders.status = 'completed')");
    expect(s).toContain(
      "CAST(COUNT(*) FILTER (WHERE orders.status = 'completed') AS double precision) / NULLIF(COUNT(*) FILTER (WHERE orders.status = 'cancelled'), 0) AS ratio",
    );
  });

  it('keeps a grouping or a condition written after the second side for both', () => {
    const p = plan('ratio of completed orders to cancelled orders by country');
    expect(p.dimensions.map((d) => d.ref.column)).toEqual(['country']);
    expect(sql('ratio of completed orders to cancelled orders by country')).toContain(
      'GROUP BY customers.country',
    );
    const g = plan('ratio of orders from Germany to orders from France last month');
    expect(g.filters).toEqual([]);
    expect(g.timeRange).toMatchObject({ kind: 'previous', unit: 'month' });
  });

  it('ranks groups by their ratio', () => {
    expect(plan('ratio of cancelled orders to all orders by country').orderBy).toEqual([
      { by: 'ratio', dir: 'desc' },
    ]);
  });

  it('says what it divided, from the plan', () => {
    const p = plan('What is the ratio of completed orders to cancelled orders?');
    const headline = writeHeadline({
      plan: p,
      columns: [
        { name: p.measures[0]!.as, kind: 'number' },
        { name: p.measures[1]!.as, kind: 'number' },
        { name: 'ratio', kind: 'number' },
      ],
      rows: [[8986, 550, 16.338]],
      rowCount: 1,
      truncated: false,
    });
    expect(headline).toBe(
      'Ratio of orders with status completed to orders with status cancelled: 16.34 (8,986 to 550)',
    );
  });

  it('asks back for ratios it cannot compute as one', () => {
    declines('ratio of orders to customers');
    declines('ratio of orders last month to orders');
    declines('ratio of orders per country to all orders');
  });
});

describe('which remembered questions share a plan', () => {
  const lexicon = lexiconFor(shopSchema);
  const same = (a: string, b: string) =>
    questionSignature(a, lexicon, now) === questionSignature(b, lexicon, now);

  it('tells apart questions that differ by a grouping, a negation, a ranking or an order', () => {
    expect(
      same(
        'ratio of completed orders to cancelled orders',
        'ratio of completed orders to cancelled orders by country',
      ),
    ).toBe(false);
    expect(same('customers who ordered', 'customers who never ordered')).toBe(false);
    expect(same('sales by country', 'sales by country, lowest first')).toBe(false);
    expect(same('products by revenue', 'most expensive products by revenue')).toBe(false);
  });

  it('keeps paraphrases together', () => {
    expect(same('How many orders by country?', 'number of orders per country')).toBe(true);
    expect(same('sales last month', 'Show me the sales for last month')).toBe(true);
  });
});

describe('ordering a ratio', () => {
  it('orders its groups by the ratio, either way, and by nothing else', () => {
    const p = planOffline('ratio of cancelled orders to all orders by country, from lowest to highest', {
      schema: shopSchema,
      defaultLimit: 100,
      now,
    }).plan;
    expect(p.orderBy).toEqual([{ by: 'ratio', dir: 'asc' }]);
    expect(() =>
      planOffline('ratio of cancelled orders to all orders by country, ordered alphabetically', {
        schema: shopSchema,
        defaultLimit: 100,
        now,
      }),
    ).toThrow(NotUnderstood);
  });
});
