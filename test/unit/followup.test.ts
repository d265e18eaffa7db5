import { describe, expect, it } from 'vitest';
import type { QueryPlan } from '../../src/domain/types.ts';
import { compilePlan } from '../../src/pipeline/compile.ts';
import { looksLikeFollowUp, readFollowUp } from '../../src/pipeline/followup.ts';
import { planOffline } from '../../src/pipeline/planner/offline.ts';
import { SchemaLexicon } from '../../src/pipeline/planner/schemaLexicon.ts';
import { shopSchema } from '../fixtures/shopSchema.ts';

const lexicon = new SchemaLexicon(shopSchema);
const ctx = { schema: shopSchema, lexicon, defaultLimit: 100, maxRows: 1000 };
const first = (q: string) => planOffline(q, { schema: shopSchema, lexicon, defaultLimit: 100 }).plan;
const edit = (plan: QueryPlan, msg: string) => {
  const f = readFollowUp(msg, plan, ctx);
  if (f.kind !== 'plan') throw new Error(`expected a plan edit, got ${f.kind}`);
  return f.plan;
};
const sql = (p: QueryPlan) => compilePlan(p, shopSchema, { defaultLimit: 100 }).sql;

describe('follow-ups edit the last plan', () => {
  const total = first('Show me total sales for last month');

  it('adds a grouping and moves money to line level so sums are not fanned out', () => {
    const p = edit(total, 'Now break that down by product category');
    expect(p.dimensions.map((d) => d.ref.column)).toEqual(['category']);
    expect(p.timeRange).toEqual(total.timeRange);
    const s = sql(p);
    expect(s).toContain('SUM(order_items.price * order_items.quantity)');
    expect(s).not.toContain('orders.total');
  });

  it('filters, replaces and excludes values', () => {
    const de = edit(total, 'only Germany');
    expect(de.filters).toEqual([
      { ref: { table: 'public.customers', column: 'country' }, op: '=', value: 'Germany' },
    ]);
    const fr = edit(de, 'only France');
    expect(fr.filters).toEqual([
      { ref: { table: 'public.customers', column: 'country' }, op: '=', value: 'France' },
    ]);
    const ex = edit(total, 'exclude cancelled');
    expect(ex.filters).toContainEqual({
      ref: { table: 'public.orders', column: 'status' },
      op: '<>',
      value: 'cancelled',
    });
  });

  it('moves the period back for "the month before" and a year for "same for last year"', () => {
    expect(edit(total, 'and the month before?').timeRange).toMatchObject({
      kind: 'previous',
      unit: 'month',
      n: 1,
      offset: 1,
    });
    expect(edit(total, 'same for last year').timeRange).toMatchObject({
      kind: 'previous',
      unit: 'month',
      offset: 12,
    });
    expect(sql(edit(total, 'and the month before?'))).toContain(
      "< date_trunc('month', now()) - interval '1 month'",
    );
  });

  it('replaces the period when a new one is named', () => {
    expect(edit(total, 'what about this year?').timeRange).toMatchObject({ kind: 'current', unit: 'year' });
  });

  it('ranks with "only the top 3"', () => {
    const byCat = edit(total, 'by category');
    const top = edit(byCat, 'only the top 3');
    expect(top.limit).toBe(3);
    expect(top.orderBy).toEqual([{ by: top.measures[0]!.as, dir: 'desc' }]);
  });

  it('swaps the measure', () => {
    expect(edit(total, 'average instead').measures[0]?.agg).toBe('avg');
    expect(edit(total, 'count instead').measures[0]).toMatchObject({ agg: 'count', expr: { kind: 'rows' } });
  });

  it('adds a time grain ("per week instead")', () => {
    const p = edit(total, 'per week instead');
    expect(p.dimensions[0]).toMatchObject({ grain: 'week', ref: { column: 'created_at' } });
  });

  it('answers an explanation request without changing the plan', () => {
    expect(readFollowUp('why?', total, ctx)).toEqual({ kind: 'explain' });
  });

  it('tells apart a follow-up from a new question', () => {
    expect(looksLikeFollowUp('now by country', lexicon)).toBe(true);
    expect(looksLikeFollowUp('Germany only', lexicon)).toBe(true);
    expect(looksLikeFollowUp('How many customers do we have?', lexicon)).toBe(false);
  });

  it('says so when a shift cannot apply', () => {
    const allTime = first('How many customers do we have?');
    expect(() => readFollowUp('and the week before?', allTime, ctx)).toThrow(/no relative period/);
  });
});
