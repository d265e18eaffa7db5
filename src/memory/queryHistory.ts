import type { DbSession } from '../db/client.ts';
import type { AnswerSource, QueryPlan } from '../domain/types.ts';
import { onMemory } from './memoryErrors.ts';
import { planKey } from './planKey.ts';
import { idOf, isoOf } from './rows.ts';
import { successRate } from './shouldUseMemoryPattern.ts';

// Every question asked (user_query_history) and what /usual reads back from it.

export interface QueryRecord {
  teamId: string;
  userId: string;
  /** The answer's uuid; recording the same answer twice keeps one row. */
  answerId: string;
  sessionId?: string | null;
  /** The conversation it was asked in, so the thread can be rebuilt when Redis loses it. */
  thread?: { channelId: string; threadTs: string } | null;
  question: string;
  plan?: QueryPlan | null;
  sql?: string | null;
  source?: AnswerSource | null;
  success: boolean;
  errorKind?: string | null;
  rowCount?: number | null;
  timings?: Record<string, number>;
  tokensUsed?: number;
  patternId?: number | null;
  /** When the question was asked (ISO); defaults to now. A replayed write keeps its time. */
  askedAt?: string;
}

/** Records one asked question; returns its id, or null when this answer was recorded before. */
export async function recordQuery(db: DbSession, r: QueryRecord): Promise<number | null> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO user_query_history (team_id, user_id, answer_id, session_id, question, plan, plan_key, sql,
       source, success, error_kind, row_count, timings, tokens_used, pattern_id, created_at, channel_id, thread_ts)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12, $13::jsonb, $14, $15, coalesce($16::timestamptz, now()), $17, $18)
     ON CONFLICT (team_id, answer_id) DO NOTHING
     RETURNING id`,
    [
      r.teamId,
      r.userId,
      r.answerId,
      r.sessionId ?? null,
      r.question,
      r.plan ? JSON.stringify(r.plan) : null,
      r.plan ? planKey(r.plan) : null,
      r.sql ?? null,
      r.source ?? null,
      r.success,
      r.errorKind ?? null,
      r.rowCount ?? null,
      JSON.stringify(r.timings ?? {}),
      r.tokensUsed ?? 0,
      r.patternId ?? null,
      r.askedAt ?? null,
      r.thread?.channelId ?? null,
      r.thread?.threadTs ?? null,
    ],
  );
  return row ? idOf(row.id) : null;
}

export interface FrequentPlan {
  planKey: string;
  /** The most recent form of the plan and of the question that produced it. */
  plan: QueryPlan;
  question: string;
  times: number;
  lastAskedAt: string;
  /** The pattern the latest run was learned into, and its success rate (null without one). */
  patternId: number | null;
  successRate: number | null;
}

export interface FrequentPlansQuery {
  teamId: string;
  userId: string;
  /** How far back to look; /usual uses 30 days. */
  days?: number;
  /** At most this many plans (a dashboard has up to 6 panels). */
  limit?: number;
}

interface FrequentRow {
  plan_key: string;
  plan: QueryPlan;
  question: string;
  times: number;
  last_asked_at: unknown;
  pattern_id: string | null;
  success_count: number | null;
  failure_count: number | null;
}

/** The person's successful questions of the last `days`, grouped by plan, most asked first. */
export async function frequentPlans(db: DbSession, q: FrequentPlansQuery): Promise<FrequentPlan[]> {
  return onMemory(async () => {
    const rows = await db.query<FrequentRow>(
      `WITH grouped AS (
         SELECT plan_key, count(*)::int AS times, max(created_at) AS last_asked_at,
                (array_agg(plan ORDER BY created_at DESC))[1] AS plan,
                (array_agg(question ORDER BY created_at DESC))[1] AS question,
                (array_agg(pattern_id ORDER BY created_at DESC))[1] AS pattern_id
         FROM user_query_history
         WHERE team_id = $1 AND user_id = $2 AND success AND plan_key IS NOT NULL
           AND created_at >= now() - make_interval(days => $3)
         GROUP BY plan_key
         ORDER BY times DESC, last_asked_at DESC
         LIMIT $4)
       SELECT g.*, p.success_count, p.failure_count
       FROM grouped g LEFT JOIN query_embeddings p ON p.id = g.pattern_id AND p.team_id = $1
       ORDER BY g.times DESC, g.last_asked_at DESC`,
      [q.teamId, q.userId, q.days ?? 30, q.limit ?? 6],
    );
    return rows.map((r) => ({
      planKey: r.plan_key,
      plan: r.plan,
      question: r.question,
      times: r.times,
      lastAskedAt: isoOf(r.last_asked_at),
      patternId: r.pattern_id === null ? null : idOf(r.pattern_id),
      successRate: r.success_count === null ? null : successRate(r.success_count, r.failure_count ?? 0),
    }));
  });
}
