import { describe, expect, it } from 'vitest';
import type { Cell, QueryPlan, ResultColumn, TimeRange } from '../../src/domain/types.ts';
import { periodWords } from '../../src/pipeline/headline/period.ts';
import { type HeadlineAnswer, writeHeadline } from '../../src/pipeline/headline.ts';
import { learnedLimitAssumption } from '../../src/pipeline/learnedAssumptions.ts';
import { planQuestion } from '../../src/pipeline/plan.ts';
import { shopSchema } from '../fixtures/shopSchema.ts';

// The headline says what the plan computed — every filter, the period as dates, grouping,
// order, limit and how many rows exist — whatever the question's words were.

const NOW = new Date('2026-12-03T12:00:00Z');
const at = { now: NOW, timeZone: 'UTC' };

const orders = 'public.orders';
const created = { table: orders, column: 'created_at' };
const sales = {
  agg: 'sum',
  expr: { kind: 'column', ref: { table: orders, column: 'total' } },
  as: 'sales',
} as const;
const orderCount = { agg: 'count', expr: { kind: 'rows', table: orders }, as: 'orders' } as const;
const germany = { ref: { table: 'public.customers', column: 'country' }, op: '=', value: 'Germany' } as const;
const lastMonth: TimeRange = { column: created, kind: 'previous', unit: 'month', n: 1 };

function single(plan: QueryPlan, value: Cell, name = plan.measures[0]!.as): HeadlineAnswer {
  return { plan, columns: [{ name, kind: 'number' }], rows: [[value]], rowCount: 1, truncated: false };
}

function list(
  plan: QueryPlan,
  columns: ResultColumn[],
  rows: Cell[][],
  more: Pick<HeadlineAnswer, 'totalRows' | 'truncated'> = { truncated: false },
): HeadlineAnswer {
  return { plan, columns, rows, rowCount: rows.length, ...more };
}

const byProduct: QueryPlan = {
  baseTable: 'public.order_items',
  measures: [
    {
      agg: 'sum',
      expr: {
        kind: 'product',
        refs: [
          { table: 'public.order_items', column: 'price' },
          { table: 'public.order_items', column: 'quantity' },
        ],
      },
      as: 'revenue',
      concept: 'money',
    },
  ],
  dimensions: [{ ref: { table: 'public.products', column: 'name' }, as: 'name', entity: true }],
  filters: [],
  timeRange: { column: created, kind: 'absolute', from: '2023-04-01', to: '2023-07-01' },
  orderBy: [{ by: 'revenue', dir: 'desc' }],
  limit: 5,
};
const productColumns: ResultColumn[] = [
  { name: 'name', kind: 'text' },
  { name: 'revenue', kind: 'number' },
];
const productRows: Cell[][] = [
  ['Widget', '1234.50'],
  ['Gadget', '900.00'],
  ['Gizmo', '850.00'],
  ['Doohickey', '700.00'],
  ['Thing', '650.00'],
];

describe('writeHeadline', () => {
  it('names a filter on a related table and an absolute month as dates', () => {
    const plan: QueryPlan = {
      baseTable: orders,
      measures: [sales],
      dimensions: [],
      filters: [germany],
      timeRange: { column: created, kind: 'absolute', from: '2026-11-01', to: '2026-12-01' },
    };
    expect(writeHeadline(single(plan, '5983.75'), at)).toBe(
      'Sales for customers in Germany, 1–30 Nov 2026: $5,983.75',
    );
  });

  it('says which related rows must not exist, and a negated value of the rows themselves', () => {
    const customers = 'public.customers';
    const cancelled = {
      ref: { table: orders, column: 'status' },
      op: '=',
      value: 'cancelled',
      none: true,
    } as const;
    const count = { agg: 'count', expr: { kind: 'rows', table: customers }, as: 'customers' } as const;
    const plan: QueryPlan = { baseTable: customers, measures: [count], dimensions: [], filters: [cancelled] };
    expect(writeHeadline(single(plan, 412), at)).toBe('Customers with no orders with status cancelled: 412');
    const own: QueryPlan = {
      baseTable: orders,
      measures: [orderCount],
      dimensions: [],
      filters: [cancelled],
    };
    expect(writeHeadline(single(own, 90), at)).toBe('Orders with status other than cancelled: 90');
    const smallBusiness = {
      ref: { table: customers, column: 'segment' },
      op: '=',
      value: 'smb',
      none: true,
    } as const;
    const sold: QueryPlan = {
      baseTable: orders,
      measures: [sales],
      dimensions: [],
      filters: [smallBusiness],
    };
    expect(writeHeadline(single(sold, '10'), at)).toBe(
      'Sales for orders with no customers with segment smb: $10.00',
    );
  });

  it('resolves a relative period to the dates the SQL reads', () => {
    const plan: QueryPlan = {
      baseTable: orders,
      measures: [sales],
      dimensions: [],
      filters: [],
      timeRange: lastMonth,
    };
    expect(writeHeadline(single(plan, '5983.75'), at)).toBe('Sales, last month (1–30 Nov 2026): $5,983.75');
  });

  it('names every filter a follow-up added ("only Germany")', () => {
    const first = planQuestion({
      question: 'total sales last month',
      schema: shopSchema,
      defaultLimit: 100,
      maxRows: 1000,
      now: NOW,
    });
    if (first.kind !== 'plan') throw new Error('planned');
    const followUp = planQuestion({
      question: 'only Germany',
      schema: shopSchema,
      defaultLimit: 100,
      maxRows: 1000,
      now: NOW,
      lastPlan: first.plan,
    });
    if (followUp.kind !== 'plan') throw new Error('planned');
    expect(followUp.source).toBe('followup');
    expect(writeHeadline(single(first.plan, '20000.00'), at)).toBe(
      'Sales, last month (1–30 Nov 2026): $20,000.00',
    );
    expect(writeHeadline(single(followUp.plan, '5983.75'), at)).toBe(
      'Sales for customers in Germany, last month (1–30 Nov 2026): $5,983.75',
    );
  });

  it('says the grouping, the ranking and how many groups exist when the list was cut', () => {
    expect(
      writeHeadline(list(byProduct, productColumns, productRows, { totalRows: 48, truncated: false }), at),
    ).toBe(
      'Revenue by product, 1 Apr – 30 Jun 2023: top 5 of 48 products; top: Widget with $1,234.50 revenue',
    );
  });

  it('says a list that was not cut is all there is, and the lowest first when ranked ascending', () => {
    const cheapest = { ...byProduct, orderBy: [{ by: 'revenue', dir: 'asc' as const }] };
    expect(
      writeHeadline(
        list(cheapest, productColumns, productRows.toReversed(), { totalRows: 5, truncated: false }),
        at,
      ),
    ).toBe('Revenue by product, 1 Apr – 30 Jun 2023: 5 products; lowest: Thing with $650.00 revenue');
    expect(
      writeHeadline(
        list(cheapest, productColumns, productRows.toReversed(), { totalRows: 48, truncated: false }),
        at,
      ),
    ).toMatch(/: bottom 5 of 48 products; lowest: Thing/);
  });

  it('never invents a total: a capped list says more exist, an uncounted one that there may be more', () => {
    const countries: QueryPlan = {
      baseTable: orders,
      measures: [orderCount],
      dimensions: [{ ref: germany.ref, as: 'country' }],
      filters: [],
    };
    const columns: ResultColumn[] = [
      { name: 'country', kind: 'text' },
      { name: 'orders', kind: 'number' },
    ];
    const rows = Array.from({ length: 100 }, (_, i) => [`Country ${i}`, 1000 - i]);
    expect(writeHeadline(list(countries, columns, rows, { totalRows: 108, truncated: false }), at)).toBe(
      'Orders by country: top 100 of 108 countries; top: Country 0 with 1,000 orders',
    );
    expect(writeHeadline(list(countries, columns, rows, { totalRows: null, truncated: true }), at)).toBe(
      'Orders by country: top 100 countries; more exist; top: Country 0 with 1,000 orders',
    );
    expect(writeHeadline(list(countries, columns, rows, { totalRows: null, truncated: false }), at)).toBe(
      'Orders by country: top 100 countries; there may be more; top: Country 0 with 1,000 orders',
    );
  });

  it('reads filters on the measured rows themselves, and a period still running', () => {
    const plan: QueryPlan = {
      baseTable: orders,
      measures: [orderCount],
      dimensions: [],
      filters: [
        { ref: { table: orders, column: 'status' }, op: 'in', value: ['completed', 'shipped'] },
        { ref: { table: orders, column: 'total' }, op: '>', value: 500 },
      ],
      timeRange: { column: created, kind: 'current', unit: 'month' },
    };
    expect(writeHeadline(single(plan, 42), at)).toBe(
      'Orders with status completed or shipped and total over 500, this month (1–3 Dec 2026, so far): 42',
    );
  });

  it('lists rows in the order they were sorted, with the first one', () => {
    const plan: QueryPlan = {
      baseTable: 'public.customers',
      measures: [],
      dimensions: [],
      select: [
        { table: 'public.customers', column: 'name' },
        { table: 'public.customers', column: 'created_at' },
      ],
      filters: [{ ...germany }],
      orderBy: [{ by: 'created_at', dir: 'desc' }],
      limit: 7,
    };
    const columns: ResultColumn[] = [
      { name: 'name', kind: 'text' },
      { name: 'created_at', kind: 'timestamp' },
    ];
    const rows = Array.from({ length: 7 }, (_, i) => [`Person ${i}`, `2026-11-${20 - i}T10:00:00+00:00`]);
    expect(writeHeadline(list(plan, columns, rows, { totalRows: 42, truncated: false }), at)).toBe(
      'Customers in Germany, newest first: first 7 of 42 customers; first: Person 0 (Nov 20, 2026, 10:00 AM)',
    );
  });

  it('puts a single ranked row first: "which city has the most customers"', () => {
    const plan: QueryPlan = {
      baseTable: 'public.customers',
      measures: [{ agg: 'count', expr: { kind: 'rows', table: 'public.customers' }, as: 'customers' }],
      dimensions: [{ ref: { table: 'public.customers', column: 'city' }, as: 'city' }],
      filters: [],
      orderBy: [{ by: 'customers', dir: 'desc' }],
      limit: 1,
    };
    const columns: ResultColumn[] = [
      { name: 'city', kind: 'text' },
      { name: 'customers', kind: 'number' },
    ];
    expect(
      writeHeadline(list(plan, columns, [['Berlin', 310]], { totalRows: 57, truncated: false }), at),
    ).toBe('Customers by city: Berlin with 310 customers, top of 57 cities');
  });

  it('says a trend by its grain, a condition on totals, and an empty result', () => {
    const plan: QueryPlan = {
      baseTable: orders,
      measures: [orderCount],
      dimensions: [{ ref: created, grain: 'month', as: 'month' }],
      filters: [],
      having: [{ measure: 'orders', op: '>', value: 5 }],
      timeRange: { column: created, kind: 'absolute', from: '2023-01-01', to: '2024-01-01' },
    };
    const columns: ResultColumn[] = [
      { name: 'month', kind: 'timestamp' },
      { name: 'orders', kind: 'number' },
    ];
    const rows = Array.from({ length: 12 }, (_, i) => [
      `2023-${String(i + 1).padStart(2, '0')}-01T00:00:00+00:00`,
      10 + i,
    ]);
    expect(writeHeadline(list(plan, columns, rows), at)).toBe(
      'Orders by month with more than 5 orders, 1 Jan – 31 Dec 2023: 12 months',
    );
    expect(writeHeadline(list(plan, columns, []), at)).toBe(
      'Orders by month with more than 5 orders, 1 Jan – 31 Dec 2023: no matching rows',
    );
  });

  it('says a share of the total is shown beside each group', () => {
    const shares: QueryPlan = {
      baseTable: orders,
      measures: [{ ...orderCount, derive: 'share' }],
      dimensions: [{ ref: { table: orders, column: 'status' }, as: 'status' }],
      filters: [],
    };
    const rows = [
      ['completed', 90, 90],
      ['cancelled', 10, 10],
    ];
    const columns: ResultColumn[] = [
      { name: 'status', kind: 'text' },
      { name: 'orders', kind: 'number' },
      { name: 'orders_share_pct', kind: 'number' },
    ];
    expect(writeHeadline(list(shares, columns, rows), at)).toMatch(
      /^Orders by status, with each share of the total: 2 statuses; top: completed/,
    );
  });

  it('says whose time a period is when it is on related rows', () => {
    const customers = 'public.customers';
    const ordered: QueryPlan = {
      baseTable: customers,
      measures: [{ agg: 'count', expr: { kind: 'rows', table: customers }, as: 'customers' }],
      dimensions: [],
      filters: [],
      timeRange: lastMonth,
    };
    expect(writeHeadline(single(ordered, 2199), at)).toBe(
      'Customers with orders, last month (1–30 Nov 2026): 2,199',
    );
    // The period of the measured rows themselves needs no such words.
    const own = {
      ...ordered,
      timeRange: { ...lastMonth, column: { table: customers, column: 'created_at' } },
    };
    expect(writeHeadline(single(own, 3), at)).toBe('Customers, last month (1–30 Nov 2026): 3');
  });

  it('reads a raw SQL answer by its columns only', () => {
    const plan: QueryPlan = { baseTable: orders, measures: [], dimensions: [], filters: [], sql: 'SELECT 1' };
    expect(writeHeadline(single(plan, 3, 'total_orders'), at)).toBe('Total orders: 3');
    const rows = Array.from({ length: 1000 }, (_, i) => [i]);
    expect(
      writeHeadline(
        list(plan, [{ name: 'n', kind: 'number' }], rows, { totalRows: 1523, truncated: true }),
        at,
      ),
    ).toBe('First 1,000 of 1,523 rows.');
  });
});

describe('periodWords', () => {
  // Ranges of every kind on orders.created_at.
  type Unplaced<T> = T extends TimeRange ? Omit<T, 'column'> : never;
  const range = (r: Unplaced<TimeRange>) => ({ column: created, ...r }) as TimeRange;

  it('gives rolling windows, shifted periods and open ranges their dates', () => {
    expect(periodWords(range({ kind: 'rolling', unit: 'day', n: 90 }), NOW, 'UTC')).toBe(
      'the past 90 days (4 Sep – 3 Dec 2026)',
    );
    // "The week before" is only its dates: "last week" would hide the shift.
    expect(periodWords(range({ kind: 'previous', unit: 'week', n: 1, offset: 1 }), NOW, 'UTC')).toBe(
      '16–22 Nov 2026',
    );
    expect(periodWords(range({ kind: 'previous', unit: 'quarter', n: 1 }), NOW, 'UTC')).toBe(
      'last quarter (1 Jul – 30 Sep 2026)',
    );
    expect(periodWords(range({ kind: 'previous', unit: 'year', n: 1 }), NOW, 'UTC')).toBe(
      'last year (1 Jan – 31 Dec 2025)',
    );
    expect(periodWords(range({ kind: 'current', unit: 'day' }), NOW, 'UTC')).toBe(
      'today (3 Dec 2026, so far)',
    );
    expect(periodWords(range({ kind: 'absolute', from: '2023-03-01' }), NOW)).toBe('since 1 Mar 2023');
    expect(periodWords(range({ kind: 'absolute', to: '2024-01-01' }), NOW)).toBe('until 31 Dec 2023');
    expect(periodWords(range({ kind: 'absolute', from: '2025-12-15', to: '2026-01-16' }), NOW)).toBe(
      '15 Dec 2025 – 15 Jan 2026',
    );
  });

  it("counts from the reader's calendar, not the server's", () => {
    // 02:00 UTC on 1 Dec is still 30 Nov in Los Angeles: last month there is October.
    const early = new Date('2026-12-01T02:00:00Z');
    const month = range({ kind: 'previous', unit: 'month', n: 1 });
    expect(periodWords(month, early, 'America/Los_Angeles')).toBe('last month (1–31 Oct 2026)');
    expect(periodWords(month, early, 'Europe/Berlin')).toBe('last month (1–30 Nov 2026)');
  });
});

describe('learnedLimitAssumption', () => {
  const listPlan = (limit?: number): QueryPlan => ({ ...byProduct, orderBy: undefined, limit });

  it("says so when a person's learned list length cut a list that asked for no number", () => {
    expect(learnedLimitAssumption('Revenue by product in 2023', listPlan(5), 5, NOW)).toBe(
      'at most 5 rows, the number you usually ask for (ask for another number to change it)',
    );
    // The compiler applies the default to a grouping that carries no limit of its own.
    expect(learnedLimitAssumption('Revenue by product', listPlan(undefined), 5, NOW)).not.toBeNull();
  });

  it('says nothing when the question named the number, or the default is the usual one', () => {
    expect(learnedLimitAssumption('Top 5 products by revenue', listPlan(5), 5, NOW)).toBeNull();
    expect(learnedLimitAssumption('The 7 best products by revenue', listPlan(7), 5, NOW)).toBeNull();
    expect(learnedLimitAssumption('Revenue by product', listPlan(100), 100, NOW)).toBeNull();
    const total: QueryPlan = { baseTable: orders, measures: [sales], dimensions: [], filters: [] };
    expect(learnedLimitAssumption('Total sales', total, 5, NOW)).toBeNull();
  });
});
