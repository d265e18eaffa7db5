import type { DbSession } from '../db/client.ts';
import type { AnswerSource, QueryPlan } from '../domain/types.ts';
import { onMemory } from './memoryErrors.ts';
import { isoOf } from './rows.ts';
import type { SessionRef } from './sessions.ts';

// A thread as the query history recorded it: the durable record behind the thread's session
// and its "Quarry answered here" marker, which Redis only caches and may lose.

export interface ThreadTurn {
  userId: string;
  sessionId: string | null;
  answerId: string;
  question: string;
  plan: QueryPlan | null;
  sql: string | null;
  source: AnswerSource | null;
  success: boolean;
  errorKind: string | null;
  askedAt: string;
}

interface TurnRow {
  user_id: string;
  session_id: string | null;
  answer_id: string;
  question: string;
  plan: QueryPlan | null;
  sql: string | null;
  source: AnswerSource | null;
  success: boolean;
  error_kind: string | null;
  created_at: unknown;
}

const THREAD = 'team_id = $1 AND channel_id = $2 AND thread_ts = $3';

/** Whether a question was recorded in the thread in the last `withinSeconds`. */
export async function threadWasAnswered(
  db: DbSession,
  ref: SessionRef,
  withinSeconds: number,
): Promise<boolean> {
  return onMemory(async () => {
    const [row] = await db.query<{ answered: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM user_query_history
                      WHERE ${THREAD} AND created_at >= now() - make_interval(secs => $4)) AS answered`,
      [ref.teamId, ref.channelId, ref.threadTs, withinSeconds],
    );
    return row?.answered === true;
  });
}

export interface ThreadTurnsQuery {
  /** At most this many of the latest questions. */
  limit: number;
  /** None when the thread's latest question is older: its session has expired, as in Redis. */
  activeWithinSeconds: number;
}

/** The thread's latest questions, oldest first. */
export async function threadTurns(
  db: DbSession,
  ref: SessionRef,
  q: ThreadTurnsQuery,
): Promise<ThreadTurn[]> {
  return onMemory(async () => {
    const rows = await db.query<TurnRow>(
      `WITH recent AS (
         SELECT user_id, session_id, answer_id::text, question, plan, sql, source, success, error_kind, created_at, id
         FROM user_query_history WHERE ${THREAD}
         ORDER BY created_at DESC, id DESC LIMIT $4)
       SELECT * FROM recent
       WHERE (SELECT max(created_at) FROM recent) >= now() - make_interval(secs => $5)
       ORDER BY created_at, id`,
      [ref.teamId, ref.channelId, ref.threadTs, q.limit, q.activeWithinSeconds],
    );
    return rows.map((r) => ({
      userId: r.user_id,
      sessionId: r.session_id,
      answerId: r.answer_id,
      question: r.question,
      plan: r.plan,
      sql: r.sql,
      source: r.source,
      success: r.success,
      errorKind: r.error_kind,
      askedAt: isoOf(r.created_at),
    }));
  });
}
