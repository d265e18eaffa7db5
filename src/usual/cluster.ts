import type { QueryPlan } from '../domain/types.ts';
import { planKey } from '../memory/planKey.ts';
import type { FrequentPlan } from '../memory/queryHistory.ts';

// /usual groups a person's questions into panels. Two questions are one panel when they ask the
// same thing — same measures, groupings, filters, order and limit — whatever period their date
// words named: "sales last month" asked in October and "sales last week" asked in November are
// the same panel, shown over the period asked most recently. So the time range is left out of
// the cluster key; the plan stored with each question keeps its own.

export interface PlanCluster {
  key: string;
  /** The most recently asked form: its plan (with its period) is what the panel runs. */
  latest: FrequentPlan;
  /** Every time any form of it was asked in the window. */
  times: number;
  lastAskedAt: string;
  score: number;
}

/** Days after which an ask counts half as much when ranking panels. */
const RECENCY_HALF_LIFE_DAYS = 14;
const DAY_MS = 86_400_000;

export function clusterKey(plan: QueryPlan): string {
  return planKey({ ...plan, timeRange: undefined });
}

/** Frequency weighted by recency: a panel asked 10 times a month ago ranks with one asked 5
 *  times this week. */
export function clusterScore(times: number, lastAskedAt: string, now: Date): number {
  const ageDays = Math.max(0, (now.getTime() - Date.parse(lastAskedAt)) / DAY_MS);
  return times * 0.5 ** (ageDays / RECENCY_HALF_LIFE_DAYS);
}

/** Merges per-plan counts into panels, best first (ties: the more recent). */
export function clusterPlans(plans: FrequentPlan[], now: Date): PlanCluster[] {
  const byKey = new Map<string, PlanCluster>();
  for (const p of plans) {
    const key = clusterKey(p.plan);
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, { key, latest: p, times: p.times, lastAskedAt: p.lastAskedAt, score: 0 });
      continue;
    }
    seen.times += p.times;
    if (Date.parse(p.lastAskedAt) > Date.parse(seen.lastAskedAt)) {
      seen.latest = p;
      seen.lastAskedAt = p.lastAskedAt;
    }
  }
  const clusters = [...byKey.values()];
  for (const c of clusters) c.score = clusterScore(c.times, c.lastAskedAt, now);
  return clusters.sort((a, b) => b.score - a.score || Date.parse(b.lastAskedAt) - Date.parse(a.lastAskedAt));
}
