// Follow-ups on the newer plan shapes keep what the first question placed — a calendar place,
// a threshold on a count, a share of the total, the columns a listing shows, a quoted name —
// and change only what the follow-up says.
import { describe, expect, it } from 'vitest';
import type { QueryPlan } from '../../src/domain/types.ts';
import { readFollowUp } from '../../src/pipeline/followup.ts';
import { planOffline } from '../../src/pipeline/planner/offline.ts';
import { SchemaLexicon } from '../../src/pipeline/planner/schemaLexicon.ts';
import { shopSchema } from '../fixtures/shopSchema.ts';

const lexicon = new SchemaLexicon(shopSchema);
const now = new Date('2026-06-15T12:00:00Z');
const first = (q: string) => planOffline(q, { schema: shopSchema, lexicon, defaultLimit: 100, now }).plan;
const edit = (plan: QueryPlan, msg: string) => {
  const f = readFollowUp(msg, plan, { schema: shopSchema, lexicon, defaultLimit: 100, maxRows: 1000, now });
  if (f.kind !== 'plan') throw new Error(`expected a plan edit, got ${f.kind}`);
  return f.plan;
};
const germany = { ref: { table: 'public.customers', column: 'country' }, op: '=', value: 'Germany' };

describe('follow-ups on newer shapes', () => {
  it('keeps a calendar place when a period or a grouping is added', () => {
    const weekdays = first('orders by day of the week');
    const in2023 = edit(weekdays, 'now only 2023');
    expect(in2023.dimensions).toEqual(weekdays.dimensions);
    expect(in2023.timeRange).toMatchObject({ kind: 'absolute', from: '2023-01-01', to: '2024-01-01' });
    expect(edit(weekdays, 'by country').dimensions.map((d) => d.part ?? d.ref.column)).toEqual([
      'weekday',
      'country',
    ]);
  });

  it('keeps a threshold on a count and a share of the total', () => {
    const busy = edit(first('customers with more than 10 orders'), 'top 5');
    expect(busy.having).toEqual([{ measure: 'orders', op: '>', value: 10 }]);
    expect(busy.limit).toBe(5);
    const share = edit(first('share of revenue by category'), 'only Germany');
    expect(share.measures[0]?.derive).toBe('share');
    expect(share.filters).toEqual([germany]);
  });

  it('keeps the columns a listing shows, a quoted name and a presence condition', () => {
    const listed = edit(first('list the names and emails of customers in Germany'), 'only France');
    expect(listed.select?.map((s) => s.column)).toEqual(['name', 'email']);
    expect(listed.filters).toEqual([{ ...germany, value: 'France' }]);
    const named = edit(first('orders of the customer named "Ada Lovelace"'), 'now only 2023');
    expect(named.filters[0]).toMatchObject({ op: 'like', value: 'Ada Lovelace' });
    const withEmail = edit(first('customers with an email'), 'only Germany');
    expect(withEmail.filters).toEqual([
      { ref: { table: 'public.customers', column: 'email' }, op: 'not_null' },
      germany,
    ]);
  });
});
