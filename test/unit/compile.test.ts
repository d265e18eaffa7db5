import { describe, expect, it } from 'vitest';
import type { QueryPlan } from '../../src/domain/types.ts';
import { quoteIdent } from '../../src/pipeline/compile/quote.ts';
import { compilePlan } from '../../src/pipeline/compile.ts';
import { shopSchema } from '../fixtures/shopSchema.ts';

const T = (n: string) => `public.${n}`;
const ref = (table: string, column: string) => ({ table: T(table), column });

describe('compilePlan', () => {
  it('compiles a relative month as a half-open range on the database clock', () => {
    const plan: QueryPlan = {
      baseTable: T('orders'),
      measures: [{ agg: 'sum', expr: { kind: 'column', ref: ref('orders', 'total') }, as: 'sales' }],
      dimensions: [],
      filters: [],
      timeRange: { column: ref('orders', 'created_at'), kind: 'previous', unit: 'month', n: 1 },
    };
    const { sql, params } = compilePlan(plan, shopSchema);
    expect(sql).toContain("orders.created_at >= date_trunc('month', now()) - interval '1 month'");
    expect(sql).toContain("orders.created_at < date_trunc('month', now())");
    expect(params).toEqual([]);
  });

  it('joins many-to-one paths and groups a line-level measure without fan-out', () => {
    const plan: QueryPlan = {
      baseTable: T('order_items'),
      measures: [
        {
          agg: 'sum',
          expr: { kind: 'product', refs: [ref('order_items', 'price'), ref('order_items', 'quantity')] },
          as: 'sales',
        },
      ],
      dimensions: [{ ref: ref('products', 'category'), as: 'category' }],
      filters: [],
    };
    const { sql } = compilePlan(plan, shopSchema, { defaultLimit: 100 });
    expect(sql).toContain('FROM order_items');
    expect(sql).toContain('JOIN products ON order_items.product_id = products.id');
    expect(sql).toContain('SUM(order_items.price * order_items.quantity) AS sales');
    expect(sql).toContain('ORDER BY sales DESC NULLS LAST');
    expect(sql).toMatch(/LIMIT 100$/);
  });

  it('turns a filter across a one-to-many path into EXISTS so counts are not multiplied', () => {
    const plan: QueryPlan = {
      baseTable: T('customers'),
      measures: [{ agg: 'count', expr: { kind: 'rows', table: T('customers') }, as: 'customers' }],
      dimensions: [],
      filters: [{ ref: ref('products', 'category'), op: '=', value: 'Books' }],
    };
    const { sql, text, params } = compilePlan(plan, shopSchema);
    expect(sql).toContain('COUNT(*)');
    expect(sql).toMatch(
      /EXISTS \(SELECT 1 FROM orders JOIN order_items .* JOIN products .*products\.category = 'Books'\)/,
    );
    expect(text).toContain('products.category = $1');
    expect(params).toEqual(['Books']);
  });

  it('pre-aggregates a header measure grouped by a line attribute instead of double counting', () => {
    const plan: QueryPlan = {
      baseTable: T('orders'),
      measures: [{ agg: 'sum', expr: { kind: 'column', ref: ref('orders', 'total') }, as: 'sales' }],
      dimensions: [{ ref: ref('products', 'category'), as: 'category' }],
      filters: [],
    };
    const { sql } = compilePlan(plan, shopSchema);
    expect(sql).toMatch(/^WITH base AS \(\s+SELECT DISTINCT orders\.id AS __k0/);
    expect(sql).toContain('SUM(__m0) AS sales');
    expect(sql).toContain('GROUP BY category');
  });

  it('counts distinct keys when a count is grouped across a one-to-many join', () => {
    const plan: QueryPlan = {
      baseTable: T('orders'),
      measures: [{ agg: 'count', expr: { kind: 'rows', table: T('orders') }, as: 'orders' }],
      dimensions: [{ ref: ref('products', 'category'), as: 'category' }],
      filters: [],
    };
    expect(compilePlan(plan, shopSchema).sql).toContain('COUNT(DISTINCT orders.id) AS orders');
  });

  it('groups entity labels by their key so equal names stay apart', () => {
    const plan: QueryPlan = {
      baseTable: T('orders'),
      measures: [{ agg: 'sum', expr: { kind: 'column', ref: ref('orders', 'total') }, as: 'spent' }],
      dimensions: [{ ref: ref('customers', 'name'), as: 'name', entity: true }],
      filters: [],
      orderBy: [{ by: 'spent', dir: 'desc' }],
      limit: 5,
    };
    const { sql } = compilePlan(plan, shopSchema);
    expect(sql).toContain('GROUP BY customers.name, customers.id');
    expect(sql).toMatch(/LIMIT 5$/);
  });

  it('binds every filter value as a parameter and inlines quoted literals only for reading', () => {
    const plan: QueryPlan = {
      baseTable: T('customers'),
      measures: [{ agg: 'count', expr: { kind: 'rows', table: T('customers') }, as: 'n' }],
      dimensions: [],
      filters: [{ ref: ref('customers', 'name'), op: '=', value: "O'Brien'; DROP TABLE customers; --" }],
    };
    const { sql, text, params } = compilePlan(plan, shopSchema);
    expect(text).toContain('customers.name = $1');
    expect(params).toEqual(["O'Brien'; DROP TABLE customers; --"]);
    expect(sql).toContain("'O''Brien''; DROP TABLE customers; --'");
  });

  it('caps any limit at maxRows', () => {
    const plan: QueryPlan = {
      baseTable: T('products'),
      measures: [],
      dimensions: [],
      filters: [],
      select: [ref('products', 'name')],
      limit: 1_000_000,
    };
    expect(compilePlan(plan, shopSchema, { maxRows: 1000 }).sql).toMatch(/LIMIT 1000$/);
  });

  it('refuses measures from two tables in one answer', () => {
    const plan: QueryPlan = {
      baseTable: T('orders'),
      measures: [
        { agg: 'sum', expr: { kind: 'column', ref: ref('orders', 'total') }, as: 'a' },
        { agg: 'sum', expr: { kind: 'column', ref: ref('products', 'price') }, as: 'b' },
      ],
      dimensions: [],
      filters: [],
    };
    expect(() => compilePlan(plan, shopSchema)).toThrow(/one table/);
  });

  it('quotes identifiers only when PostgreSQL needs it', () => {
    expect(quoteIdent('orders')).toBe('orders');
    expect(quoteIdent('order')).toBe('"order"');
    expect(quoteIdent('OrderLines')).toBe('"OrderLines"');
    expect(quoteIdent('we"ird')).toBe('"we""ird"');
  });
});
