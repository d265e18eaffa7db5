import type { DbSession } from '../db/client.ts';
import type { QueryPlan } from '../domain/types.ts';
import { frequentPlans } from '../memory/queryHistory.ts';
import { listUsualPins } from '../memory/usualPins.ts';
import { clusterKey, clusterPlans } from './cluster.ts';
import { panelTitle } from './panelTitle.ts';
import { mentionsTopic } from './topic.ts';

// Which panels a person's /usual shows: what they pinned first, then what they asked most
// (and most lately) in the last 30 days, one panel per distinct plan, up to six.

export const MAX_PANELS = 6;
const HISTORY_DAYS = 30;
/** Distinct plans read from history before clustering; far more than six panels need. */
const HISTORY_PLANS = 500;

export interface PanelSource {
  title: string;
  /** The question the panel answers (a pin's title when it was pinned without one). */
  question: string;
  plan: QueryPlan;
  /** The success rate of the plan's memory pattern; null when none is known. */
  successRate: number | null;
  pinned: boolean;
  /** Times asked in the window (0 for a pin never asked). */
  times: number;
}

export interface PanelChoice {
  panels: PanelSource[];
  /** Distinct panels available before the topic filter and the cap: pins plus asked plans. */
  distinct: number;
}

export async function choosePanels(
  db: DbSession,
  input: { teamId: string; userId: string; topic?: string; now?: Date; limit?: number },
): Promise<PanelChoice> {
  const now = input.now ?? new Date();
  const [pins, plans] = await Promise.all([
    listUsualPins(db, input.teamId, input.userId),
    frequentPlans(db, {
      teamId: input.teamId,
      userId: input.userId,
      days: HISTORY_DAYS,
      limit: HISTORY_PLANS,
    }),
  ]);
  const clusters = clusterPlans(plans, now);
  const timesByKey = new Map(clusters.map((c) => [c.key, c.times]));
  const pinnedKeys = new Set<string>();
  const sources: PanelSource[] = [];
  for (const pin of pins) {
    const key = clusterKey(pin.plan);
    pinnedKeys.add(key);
    sources.push({
      title: pin.title,
      question: pin.title,
      plan: pin.plan,
      successRate: null,
      pinned: true,
      times: timesByKey.get(key) ?? 0,
    });
  }
  for (const c of clusters) {
    if (pinnedKeys.has(c.key)) continue;
    sources.push({
      title: panelTitle(c.latest.question),
      question: c.latest.question,
      plan: c.latest.plan,
      successRate: c.latest.successRate,
      pinned: false,
      times: c.times,
    });
  }
  const topic = input.topic?.trim();
  const shown = topic ? sources.filter((s) => mentionsTopic(topic, s)) : sources;
  return { panels: shown.slice(0, input.limit ?? MAX_PANELS), distinct: sources.length };
}
