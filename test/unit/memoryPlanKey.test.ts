import { describe, expect, it } from 'vitest';
import type { QueryPlan } from '../../src/domain/types.ts';
import { planKey } from '../../src/memory/planKey.ts';

const plan: QueryPlan = {
  baseTable: 'public.orders',
  measures: [
    { agg: 'sum', expr: { kind: 'column', ref: { table: 'public.orders', column: 'total' } }, as: 'sales' },
  ],
  dimensions: [],
  filters: [],
  limit: 10,
};

describe('planKey', () => {
  it('is the same for the same plan whatever the order of its keys or absent fields', () => {
    const reordered = JSON.parse(
      '{"limit":10,"filters":[],"dimensions":[],"measures":[{"as":"sales","expr":{"ref":{"column":"total","table":"public.orders"},"kind":"column"},"agg":"sum"}],"baseTable":"public.orders"}',
    ) as QueryPlan;
    expect(planKey(reordered)).toBe(planKey(plan));
    expect(planKey({ ...plan, orderBy: undefined })).toBe(planKey(plan));
  });

  it('differs when anything in the plan differs, including list order', () => {
    expect(planKey({ ...plan, limit: 5 })).not.toBe(planKey(plan));
    const two = {
      ...plan,
      dimensions: [
        { ref: { table: 't', column: 'a' }, as: 'a' },
        { ref: { table: 't', column: 'b' }, as: 'b' },
      ],
    };
    const swapped = { ...plan, dimensions: [...two.dimensions].reverse() };
    expect(planKey(two)).not.toBe(planKey(swapped));
  });
});
