import { LOCAL_TEAM } from '../localRuntime.ts';
import type { PipelineServices } from '../pipeline/index.ts';
import { answerJson } from '../render/answerJson.ts';
import { buildUsualDashboard } from '../usual/dashboard.ts';

// The `usual` tool: the caller's /usual dashboard as data. The panels are chosen and run by the
// same code as /usual and `quarry usual` (pins, then the last 30 days' questions, run afresh
// through the guard); an agent gets each panel's rows instead of the image.

export interface UsualPanelJson {
  title: string;
  question: string;
  /** The panel's line: its number and what it means. */
  headline: string;
  value: number | null;
  /** Against the same question one period earlier, when it ran. */
  change: { previous: number; pct: number | null } | null;
  sql: string | null;
  columns: string[];
  rows: unknown[][];
  row_count: number;
  truncated: boolean;
  error: { kind: string; message: string } | null;
}

export interface UsualJson {
  panels: UsualPanelJson[];
  /** Why the dashboard is short or empty, and what else to know. */
  notes: string[];
  /** Questions to ask when there is too little history for a dashboard. */
  suggestions: string[];
}

export async function usualForAgent(
  services: PipelineServices,
  userId: string,
  topic?: string,
): Promise<UsualJson> {
  const dashboard = await buildUsualDashboard(services, {
    teamId: LOCAL_TEAM,
    userId,
    ...(topic?.trim() ? { topic: topic.trim() } : {}),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    image: false,
  });
  return {
    panels: dashboard.panels.map((p) => {
      const a = answerJson(p.answer);
      return {
        title: p.title,
        question: p.question,
        headline: p.headline,
        value: p.value,
        change: p.change ?? null,
        sql: a.sql,
        columns: a.columns,
        rows: a.rows,
        row_count: a.row_count,
        truncated: a.truncated,
        error: a.error ? { kind: a.error.kind, message: a.error.message } : null,
      };
    }),
    notes: dashboard.notes,
    suggestions: dashboard.suggestions,
  };
}
