import { describe, expect, it } from 'vitest';
import { planTables } from '../../src/domain/planParts.ts';
import type { SchemaInfo } from '../../src/domain/types.ts';
import { NotUnderstood } from '../../src/errors.ts';
import { readTime } from '../../src/language/timePhrases.ts';
import { compilePlan } from '../../src/pipeline/compile.ts';
import { planOffline } from '../../src/pipeline/planner/offline.ts';
import { col, table } from '../fixtures/schemaBuilders.ts';
import { shopSchema } from '../fixtures/shopSchema.ts';

const now = new Date('2026-11-25T10:00:00Z');
const plan = (q: string) => planOffline(q, { schema: shopSchema, defaultLimit: 100, now });
const sql = (q: string) => compilePlan(plan(q).plan, shopSchema, { defaultLimit: 100, maxRows: 1000 }).sql;

describe('offline planner: measures', () => {
  it('reads money words as the order total when nothing forces line level', () => {
    const p = plan('Show me total sales for last month').plan;
    expect(p.measures[0]).toMatchObject({ agg: 'sum', expr: { kind: 'column', ref: { column: 'total' } } });
    expect(p.timeRange).toMatchObject({
      kind: 'previous',
      unit: 'month',
      n: 1,
      column: { column: 'created_at' },
    });
  });

  it('switches to line money (price × quantity) when grouping by a product attribute', () => {
    const s = sql('revenue per product category last month');
    expect(s).toContain('SUM(order_items.price * order_items.quantity)');
    expect(s).not.toContain('orders.total');
  });

  it('counts the entity asked about and applies sampled values as filters', () => {
    const s = sql('How many orders were cancelled last week?');
    expect(s).toContain('COUNT(*)');
    expect(s).toContain("orders.status = 'cancelled'");
  });

  it('understands a negated value', () => {
    expect(sql('number of orders excluding refunded this year')).toContain("orders.status <> 'refunded'");
  });

  it('averages a header amount for "average order value"', () => {
    expect(sql('What was the average order value in Germany?')).toMatch(
      /AVG\(orders\.total\)[\s\S]*customers\.country = 'Germany'/,
    );
  });

  it('sums units for "selling" and ranks products', () => {
    const p = plan('best selling products this month').plan;
    expect(p.measures[0]?.expr).toMatchObject({ kind: 'column', ref: { column: 'quantity' } });
    expect(p.dimensions[0]).toMatchObject({
      ref: { table: 'public.products', column: 'name' },
      entity: true,
    });
    expect(p.orderBy).toEqual([{ by: p.measures[0]!.as, dir: 'desc' }]);
    expect(p.limit).toBe(100);
  });

  it('lists the top row for a singular superlative', () => {
    const p = plan('What is the cheapest product?').plan;
    expect(p.select?.map((c) => c.column)).toEqual(['name', 'price']);
    expect(p.orderBy).toEqual([{ by: 'price', dir: 'asc' }]);
    expect(p.limit).toBe(1);
  });

  it('counts customers who did something through EXISTS on the event table', () => {
    const s = sql('How many customers ordered yesterday?');
    expect(s).toMatch(
      /FROM customers\s+WHERE EXISTS \(SELECT 1 FROM orders WHERE orders\.customer_id = customers\.id/,
    );
  });

  it("uses the entity's own time for new ones", () => {
    expect(sql('new customers per week in the last 8 weeks')).toContain(
      "date_trunc('week', customers.created_at)",
    );
  });

  it('honours a definition given with the question', () => {
    const d = plan('revenue by country this year. Note: revenue means completed orders only');
    expect(d.plan.filters).toContainEqual({
      ref: { table: 'public.orders', column: 'status' },
      op: '=',
      value: 'completed',
    });
    expect(d.assumptions.join(' ')).toMatch(/completed/);
  });

  it('applies comparisons to the amount they are about', () => {
    expect(sql('orders over $250 last month')).toContain('orders.total > 250');
  });
});

describe('offline planner: declining', () => {
  const declines = (q: string) => {
    try {
      plan(q);
    } catch (e) {
      return e instanceof NotUnderstood ? e : null;
    }
    return null;
  };

  it.each([
    'What is the churn rate of subscribers?',
    'Wie viele Kunden haben wir im Moment?',
    'asdf qwer zxcv',
    '',
    'Top customers',
  ])('asks back instead of guessing: %s', (q) => {
    const e = declines(q);
    expect(e).toBeInstanceOf(NotUnderstood);
    expect(e?.userMessage.length).toBeGreaterThan(10);
  });

  it('refuses an over-long question with a clear message', () => {
    expect(declines('sales '.repeat(2000))?.userMessage).toMatch(/characters long/);
  });

  it('declines on a schema without tables', () => {
    const e = (() => {
      try {
        planOffline('how many orders', {
          schema: { ...shopSchema, tables: [], foreignKeys: [] },
          defaultLimit: 100,
        });
      } catch (err) {
        return err as NotUnderstood;
      }
    })();
    expect(e?.userMessage).toMatch(/no tables/);
  });
});

describe('offline planner: every part of the question shows in the plan', () => {
  it('keeps rows none of whose related rows match when the negation comes before them', () => {
    const q = sql('How many customers have no cancelled orders?');
    expect(q).toContain(
      "NOT EXISTS (SELECT 1 FROM orders WHERE orders.customer_id = customers.id AND orders.status = 'cancelled')",
    );
    expect(plan('customers without a cancelled order').plan.filters).toEqual([
      { ref: { table: 'public.orders', column: 'status' }, op: '=', value: 'cancelled', none: true },
    ]);
  });

  it('keeps a related row whose value differs when the negation comes after it', () => {
    const q = sql('customers with an order that is not cancelled');
    expect(q).toContain(
      "EXISTS (SELECT 1 FROM orders WHERE orders.customer_id = customers.id AND orders.status <> 'cancelled')",
    );
    expect(q).not.toContain('NOT EXISTS');
  });

  it('reads a negated value of the counted rows as a plain inequality', () => {
    expect(sql('How many orders are not cancelled?')).toMatch(/WHERE orders\.status <> 'cancelled'$/);
  });

  it('reads a number next to any superlative as the rows asked for', () => {
    expect(sql('cheapest 3 products')).toMatch(/ASC NULLS LAST\nLIMIT 3$/);
    expect(sql('3 newest customers')).toMatch(/DESC NULLS LAST\nLIMIT 3$/);
    expect(sql('most expensive 4 products')).toMatch(/DESC NULLS LAST\nLIMIT 4$/);
  });

  it('asks back about a number no reader placed rather than dropping it', () => {
    expect(() => plan('products in category 7')).toThrow(/"7"/);
  });

  it('reads the column named just before a comparison as what it compares, not as a measure', () => {
    expect(sql('orders with a total above 1000')).toMatch(
      /^SELECT orders\.id[\s\S]*WHERE orders\.total > 1000\nLIMIT 100$/,
    );
    expect(sql('how many orders with a total above 1000')).toMatch(
      /^SELECT COUNT\(\*\)[\s\S]*orders\.total > 1000$/,
    );
    // The price of the products listed, not of their order lines.
    expect(sql('products with a price under 5')).toMatch(/FROM products\nWHERE products\.price < 5/);
    expect(sql('average total of orders above 500')).toMatch(
      /AVG\(orders\.total\)[\s\S]*orders\.total > 500/,
    );
  });

  it('keeps entities over a count of their rows: "customers with more than 10 orders"', () => {
    expect(sql('customers with more than 10 orders')).toMatch(
      /COUNT\(\*\) AS orders\nFROM orders\n {2}JOIN customers[\s\S]*GROUP BY customers\.name, customers\.id\nHAVING COUNT\(\*\) > 10/,
    );
    expect(sql('customers in Germany with at least 3 orders')).toMatch(
      /WHERE customers\.country = 'Germany'\nGROUP BY customers\.name, customers\.id\nHAVING COUNT\(\*\) >= 3/,
    );
  });

  it('counts the related rows of each entity on its own, so those with none count as 0', () => {
    const each = '(SELECT count(*) FROM orders WHERE orders.customer_id = customers.id)';
    expect(sql('how many customers have more than 10 orders')).toBe(
      `SELECT COUNT(*) AS customers\nFROM customers\nWHERE ${each} > 10`,
    );
    // Customers without any order have fewer than 3 too: a grouped count of orders never sees them.
    expect(sql('customers with fewer than 3 orders')).toContain(`WHERE ${each} < 3`);
    expect(sql('how many customers have no more than 2 orders')).toContain(`WHERE ${each} <= 2`);
    // The period would belong inside each count, which a plan cannot say: asked back.
    expect(() => plan('how many customers have more than 10 orders last year')).toThrow(/"more than 10"/);
  });

  it('keeps the entities none of whose related rows exist: "customers who never ordered"', () => {
    const none = 'WHERE (SELECT count(*) FROM orders WHERE orders.customer_id = customers.id) = 0';
    expect(sql('customers who never ordered')).toContain(none);
    expect(sql('how many customers have not placed any orders')).toBe(
      `SELECT COUNT(*) AS customers\nFROM customers\n${none}`,
    );
    expect(sql('products that have never been ordered')).toContain(
      'WHERE (SELECT count(*) FROM order_items JOIN orders ON order_items.order_id = orders.id WHERE order_items.product_id = products.id) = 0',
    );
    // A value of the related rows stays a NOT EXISTS of those rows.
    expect(sql('customers without a cancelled order')).toContain('NOT EXISTS');
    expect(() => plan('customers who never ordered last year')).toThrow(/"never" \(a negation\)/);
  });

  it('puts a threshold on the total only when the question says so, and asks otherwise', () => {
    expect(sql('which customers spent over 5000 in total')).toMatch(
      /GROUP BY customers\.name, customers\.id\nHAVING SUM\(orders\.total\) > 5000/,
    );
    expect(() => plan('which customers spent over 5000')).toThrow(
      /"over 5000" \(on each row, or on the total\?\)/,
    );
  });

  it('asks back rather than add up a price per group, answer one of two measures, or group rows by themselves', () => {
    // A price is not added up: the highest in each category, or the category with the highest?
    expect(() => plan('highest priced item in each category')).toThrow(/"highest priced" \(an aggregate\)/);
    expect(sql('top categories by quantity')).toContain('SUM(order_items.quantity)');
    expect(() => plan('total orders and revenue last month')).toThrow(/"orders and revenue"/);
    // One count said twice is one measure.
    expect(sql('which cities have the most customers, and how many customers are in each city')).toContain(
      'COUNT(*) AS customers',
    );
    // Each order's revenue, or the average order's?
    expect(() => plan('revenue per order last month')).toThrow(/"per order" \(a grouping\)/);
    expect(sql('orders per customer')).toContain('GROUP BY customers.name, customers.id');
  });

  it('groups by the entity a grouping names, not by a column named later in a phrase of its own', () => {
    expect(sql('revenue for each customer in the country of Germany')).toContain(
      'GROUP BY customers.name, customers.id',
    );
    expect(sql('revenue by customer country')).toContain('GROUP BY customers.country');
  });

  it('ranks the things named after a ranking word by a count named after them', () => {
    expect(sql('top 3 countries with the highest number of customers')).toMatch(
      /^SELECT customers\.country AS country, COUNT\(\*\) AS customers[\s\S]*GROUP BY customers\.country\nORDER BY customers DESC NULLS LAST\nLIMIT 3$/,
    );
  });

  it('sets values against each other side by side: "sales in Germany vs France"', () => {
    expect(sql('sales in Germany vs France')).toMatch(
      /^SELECT customers\.country AS country, SUM\(orders\.total\)[\s\S]*customers\.country IN \('Germany', 'France'\)\nGROUP BY customers\.country/,
    );
    // Without "vs" the two are one total.
    expect(sql('sales in Germany and France')).not.toContain('GROUP BY');
  });

  it('counts the distinct values of the column named after "distinct", and "N times" as a count', () => {
    expect(sql('number of distinct countries our customers are from')).toBe(
      'SELECT COUNT(DISTINCT customers.country) AS countries\nFROM customers',
    );
    expect(sql('how many customers ordered more than 20 times')).toBe(
      'SELECT COUNT(*) AS customers\nFROM customers\nWHERE (SELECT count(*) FROM orders WHERE orders.customer_id = customers.id) > 20',
    );
  });

  it('adds the share of the total of each group for "share of revenue by category"', () => {
    expect(plan('share of revenue by category').plan.measures[0]?.derive).toBe('share');
    expect(sql('percentage of orders by status')).toContain('OVER (), 0), 1) AS orders_share_pct');
    expect(plan('revenue by category').plan.measures[0]?.derive).toBeUndefined();
  });

  it('ranks by an aggregate of money: "top 10 customers by total spent"', () => {
    expect(sql('top 10 customers by total spent')).toMatch(
      /^SELECT customers\.name AS name, SUM\(orders\.total\) AS spent[\s\S]*ORDER BY spent DESC NULLS LAST\nLIMIT 10$/,
    );
  });

  it('reads a price said as a verb and an amount in dollars', () => {
    expect(sql('how many products cost less than 10 dollars')).toBe(
      'SELECT COUNT(*) AS products\nFROM products\nWHERE products.price < 10',
    );
    expect(sql('products costing more than 100')).toMatch(/WHERE products\.price > 100\nLIMIT 100$/);
  });

  it('reads "by each customer" as one grouping, and a verb before "by" that names nothing as filler', () => {
    expect(sql('total revenue by each customer')).toContain('GROUP BY customers.name, customers.id');
    expect(sql('number of orders handled by each customer')).toContain(
      'GROUP BY customers.name, customers.id',
    );
  });

  it('asks back on "top N <things> in each <group>": ranking the groups is another question', () => {
    expect(() => plan('top 3 products in each category')).toThrow(/"top products" \(a ranking\)/);
    expect(() => plan('best selling products in each category')).toThrow(/"best products" \(a ranking\)/);
    // Ranking the things themselves, or counting them for the group ranked, stays answered.
    expect(sql('best selling products this month')).toContain('GROUP BY products.name, products.id');
    expect(sql('which category has the most products')).toMatch(/GROUP BY products\.category[\s\S]*LIMIT 1$/);
    expect(sql('top 5 customers by number of orders')).toContain('GROUP BY customers.name, customers.id');
  });

  it('averages a count of rows over every entity for "average … per <entity>"', () => {
    const perCustomer =
      'SELECT AVG((SELECT count(*) FROM orders WHERE orders.customer_id = customers.id)) AS orders_per_customer\nFROM customers';
    expect(sql('average orders per customer')).toBe(perCustomer);
    expect(sql('how many orders per customer on average')).toBe(perCustomer);
    expect(plan('average number of orders per customer').assumptions).toContain(
      'every customer counted, those with no orders as 0',
    );
  });

  it('asks back on "average <amount> per <entity>": an average over them, or inside each?', () => {
    expect(() => plan('average quantity per order')).toThrow(/"per order"/);
    expect(() => plan('average order value per customer')).toThrow(/"per customer"/);
    expect(sql('average order value by customer')).toContain('GROUP BY customers.name, customers.id');
  });
});

describe('offline planner: views are tables someone named', () => {
  const withView: SchemaInfo = {
    ...shopSchema,
    // Listed first, as catalogs often list views before tables, so a tie would go its way.
    tables: [
      {
        ...table(
          'category_revenue',
          [
            col('category', 'text', 'text', { sampleValues: ['Books', 'Garden'] }),
            col('revenue', 'numeric', 'number'),
          ],
          12,
        ),
        kind: 'view',
        primaryKey: [],
      },
      ...shopSchema.tables,
    ],
  };
  const viewPlan = (q: string) => planOffline(q, { schema: withView, defaultLimit: 100, now }).plan;

  it('lets a base table win a word the view repeats', () => {
    const byCategory = viewPlan('sales by category');
    expect(byCategory.dimensions[0]?.ref).toEqual({ table: 'public.products', column: 'category' });
    expect(planTables(byCategory)).not.toContain('public.category_revenue');
    expect(planTables(viewPlan('sales in Books'))).not.toContain('public.category_revenue');
    expect(viewPlan('number of categories').measures[0]?.expr).toEqual({
      kind: 'column',
      ref: { table: 'public.products', column: 'category' },
    });
  });

  it('uses the view when the question names it', () => {
    expect(planTables(viewPlan('total revenue in category revenue by category'))).toEqual([
      'public.category_revenue',
    ]);
  });
});

describe('time phrases', () => {
  it.each([
    ['sales yesterday', { kind: 'previous', unit: 'day', n: 1 }],
    ['sales this quarter', { kind: 'current', unit: 'quarter' }],
    ['sales in the past 90 days', { kind: 'rolling', unit: 'day', n: 90 }],
    ['sales in Q3 2024', { kind: 'absolute', from: '2024-07-01', to: '2024-10-01' }],
    ['sales since March', { kind: 'absolute', from: '2026-03-01' }],
    ['sales in 2025', { kind: 'absolute', from: '2025-01-01', to: '2026-01-01' }],
    ['sales between 1 March and 9 April 2025', { kind: 'absolute', from: '2025-03-01', to: '2025-04-10' }],
    [
      'sales between 1 December and 9 January 2025',
      { kind: 'absolute', from: '2024-12-01', to: '2025-01-10' },
    ],
    ['sales between 2019 and 2021', { kind: 'absolute', from: '2019-01-01', to: '2022-01-01' }],
    ['sales 2019-2021', { kind: 'absolute', from: '2019-01-01', to: '2022-01-01' }],
  ])('%s', (q, range) => {
    expect(readTime(q, now).range).toEqual(range);
  });

  it('reads "last week by day" as a period and a grain, "month by month" as a grain', () => {
    expect(readTime('revenue last week by day', now)).toMatchObject({
      range: { kind: 'previous', unit: 'week', n: 1 },
      grain: 'day',
    });
    expect(readTime('revenue month by month', now).grain).toBe('month');
  });

  it('does not read an amount compared as a year', () => {
    for (const q of ['customers who spent over 2000 in total', 'orders above $2000', 'at least 1999 units'])
      expect(readTime(q, now).range, q).toBeUndefined();
  });

  it('uses whole periods for a trend over a window', () => {
    const t = readTime('monthly revenue over the last 6 months', now);
    expect(t.grain).toBe('month');
    expect(t.range).toEqual({ kind: 'previous', unit: 'month', n: 6 });
  });

  it('does not read the verb "may" as the month', () => {
    expect(readTime('may I see total sales', now).range).toBeUndefined();
  });
});

describe('offline planner: awkward schemas', () => {
  const wide = {
    ...shopSchema,
    tables: [
      {
        key: 'public.user',
        schema: 'public',
        name: 'user',
        kind: 'table' as const,
        rowEstimate: 10,
        primaryKey: ['id'],
        indexes: [],
        columns: [
          { name: 'id', type: 'integer', kind: 'number' as const, nullable: false, isPrimaryKey: true },
          {
            name: 'Group',
            type: 'text',
            kind: 'text' as const,
            nullable: false,
            isPrimaryKey: false,
            sampleValues: ['admins', 'staff'],
          },
          { name: 'order', type: 'integer', kind: 'number' as const, nullable: true, isPrimaryKey: false },
          ...Array.from({ length: 500 }, (_, i) => ({
            name: `attr_${i}`,
            type: 'text',
            kind: 'text' as const,
            nullable: true,
            isPrimaryKey: false,
          })),
        ],
      },
    ],
    foreignKeys: [],
  };

  it('plans over reserved-word and mixed-case identifiers in a 500-column table', () => {
    const p = planOffline('how many users in each group', { schema: wide, defaultLimit: 100 }).plan;
    const { sql } = compilePlan(p, wide);
    expect(sql).toContain('FROM "user"');
    expect(sql).toContain('"user"."Group"');
  });

  it('filters on a sampled value of a mixed-case column', () => {
    const p = planOffline('number of users in admins', { schema: wide, defaultLimit: 100 }).plan;
    expect(p.filters).toEqual([{ ref: { table: 'public.user', column: 'Group' }, op: '=', value: 'admins' }]);
  });
});
