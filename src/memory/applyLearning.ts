import type { Db } from '../db/client.ts';
import { type LearningInput, recordLearning } from './learnings.ts';
import { type PatternInput, upsertPattern } from './patterns.ts';
import { learnPreferences, recordUsage, teachesPreferences } from './profiles.ts';
import { type QueryRecord, recordQuery } from './queryHistory.ts';
import { inTransaction } from './transaction.ts';

// Everything the learn stage writes about one answer (docs/architecture.md#learn), applied in one
// transaction and at most once: the history row, keyed by the answer's uuid, goes first and is the
// gate — a replay of an answer already learned finds it and changes nothing.

export interface AnswerLearning {
  /** The answer's uuid: the idempotency key of the whole write. */
  answerId: string;
  teamId: string;
  userId: string;
  query: Omit<QueryRecord, 'teamId' | 'userId' | 'answerId' | 'patternId'>;
  /** The pattern to insert or bump (answers that ran a plan). */
  pattern?: Omit<PatternInput, 'teamId' | 'userId'>;
  learnings?: Omit<LearningInput, 'teamId'>[];
  /** Usage counters to add to the person's profile. */
  usage?: Record<string, number>;
}

/** Applies the learning; false when this answer had been learned already. */
export async function applyLearning(db: Db, l: AnswerLearning): Promise<boolean> {
  return inTransaction(db, async (s) => {
    const historyId = await recordQuery(s, {
      ...l.query,
      teamId: l.teamId,
      userId: l.userId,
      answerId: l.answerId,
    });
    if (historyId === null) return false;
    if (l.pattern) {
      const patternId = await upsertPattern(s, { ...l.pattern, teamId: l.teamId, userId: l.userId });
      await s.query('UPDATE user_query_history SET pattern_id = $2 WHERE id = $1', [historyId, patternId]);
    }
    for (const learning of l.learnings ?? []) await recordLearning(s, { ...learning, teamId: l.teamId });
    if (l.usage) {
      const usage = await recordUsage(s, l.teamId, l.userId, l.usage);
      // Only an answer that asked for rows or a chart can change what the counters teach.
      if (teachesPreferences(l.usage)) await learnPreferences(s, l.teamId, l.userId, usage);
    }
    return true;
  });
}
