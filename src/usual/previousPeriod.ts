import type { QueryPlan } from '../domain/types.ts';

// The same question one period earlier, for a panel's change: "last month" → the month before,
// "the last 12 months" → the 12 months before those, "the past 7 days" → the 7 days before.
// A period still running ("this month") has no like-for-like earlier period in the plan
// language, and fixed dates stay fixed: neither gets a comparison.

export function previousPeriod(plan: QueryPlan): QueryPlan | null {
  const range = plan.timeRange;
  if (!range || plan.sql) return null;
  if (range.kind !== 'previous' && range.kind !== 'rolling') return null;
  return { ...plan, timeRange: { ...range, offset: (range.offset ?? 0) + range.n } };
}
