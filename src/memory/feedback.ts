import type { Db } from '../db/client.ts';
import { onMemory } from './memoryErrors.ts';
import { idOf } from './rows.ts';
import { inTransaction } from './transaction.ts';

// 👍 / 👎 on an answer. One vote per person and answer: clicking again changes the vote, and
// only the change is counted. The asker's own vote on their own pattern moves its numbers:
// 👍 raises their confidence; 👎 lowers it and turns the run's success into a failure (it
// ran, but the answer was wrong). A teammate's vote is stored, for review, but does not move
// another person's confidence.

export type Rating = 'up' | 'down';

export interface FeedbackInput {
  teamId: string;
  userId: string;
  answerId: string;
  rating: Rating;
  comment?: string | null;
}

export interface FeedbackResult {
  /** The pattern whose numbers moved, or null when none did. */
  adjustedPatternId: number | null;
  /** The vote this replaced (null for a first vote). */
  previous: Rating | null;
}

export async function recordFeedback(db: Db, f: FeedbackInput): Promise<FeedbackResult> {
  return onMemory(async () => {
    return await inTransaction(db, async (s) => {
      // The answer's pattern, locked when it is the voter's own so concurrent clicks take turns.
      const [pattern] = await s.query<{ id: string }>(
        `SELECT p.id FROM user_query_history h
         JOIN query_embeddings p ON p.id = h.pattern_id AND p.team_id = h.team_id
         WHERE h.team_id = $1 AND h.answer_id = $2 AND p.user_id = $3
         FOR UPDATE OF p`,
        [f.teamId, f.answerId, f.userId],
      );
      const [before] = await s.query<{ rating: Rating }>(
        'SELECT rating FROM answer_feedback WHERE team_id = $1 AND user_id = $2 AND answer_id = $3 FOR UPDATE',
        [f.teamId, f.userId, f.answerId],
      );
      await s.query(
        `INSERT INTO answer_feedback (team_id, user_id, answer_id, pattern_id, rating, comment)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (team_id, user_id, answer_id) DO UPDATE SET
           rating = EXCLUDED.rating, comment = coalesce(EXCLUDED.comment, answer_feedback.comment), updated_at = now()`,
        [f.teamId, f.userId, f.answerId, pattern?.id ?? null, f.rating, f.comment ?? null],
      );
      const previous = before?.rating ?? null;
      if (!pattern || previous === f.rating) return { adjustedPatternId: null, previous };
      const up = (f.rating === 'up' ? 1 : 0) - (previous === 'up' ? 1 : 0);
      const down = (f.rating === 'down' ? 1 : 0) - (previous === 'down' ? 1 : 0);
      await s.query(
        `UPDATE query_embeddings SET
           thumbs_up = thumbs_up + $2,
           thumbs_down = thumbs_down + $3,
           failure_count = failure_count + $3,
           success_count = greatest(success_count - $3, 0)
         WHERE id = $1`,
        [pattern.id, up, down],
      );
      return { adjustedPatternId: idOf(pattern.id), previous };
    });
  });
}
