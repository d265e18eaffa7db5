import type { DbSession } from '../db/client.ts';
import { onMemory } from './memoryErrors.ts';
import { isoOf } from './rows.ts';

// What Quarry notices across a team (system_learnings): a word that meant a column, a chart
// people keep choosing, a join that worked. Seeing the same thing again counts it once more.

export interface LearningInput {
  teamId: string;
  /** e.g. `term_mapping`, `chart_choice`. */
  type: string;
  /** The fact itself; the same JSON (whatever its key order) is the same learning. */
  data: Record<string, unknown>;
}

/** Records a learning or bumps its count; returns how often it has now been seen. */
export async function recordLearning(db: DbSession, l: LearningInput): Promise<number> {
  const [row] = await db.query<{ frequency_count: number }>(
    `INSERT INTO system_learnings AS l (team_id, learning_type, pattern_data) VALUES ($1, $2, $3::jsonb)
     ON CONFLICT (team_id, learning_type, pattern_data) DO UPDATE SET
       frequency_count = l.frequency_count + 1, last_seen_at = now()
     RETURNING frequency_count`,
    [l.teamId, l.type, JSON.stringify(l.data)],
  );
  return row!.frequency_count;
}

export interface Learning {
  type: string;
  data: Record<string, unknown>;
  frequency: number;
  lastSeenAt: string;
}

/** The team's most frequent learnings of one type (the planner's learned vocabulary). */
export async function topLearnings(
  db: DbSession,
  teamId: string,
  type: string,
  limit = 50,
): Promise<Learning[]> {
  return onMemory(async () => {
    const rows = await db.query<{
      learning_type: string;
      pattern_data: Record<string, unknown>;
      frequency_count: number;
      last_seen_at: unknown;
    }>(
      `SELECT learning_type, pattern_data, frequency_count, last_seen_at FROM system_learnings
       WHERE team_id = $1 AND learning_type = $2
       ORDER BY frequency_count DESC, last_seen_at DESC LIMIT $3`,
      [teamId, type, limit],
    );
    return rows.map((r) => ({
      type: r.learning_type,
      data: r.pattern_data,
      frequency: r.frequency_count,
      lastSeenAt: isoOf(r.last_seen_at),
    }));
  });
}
