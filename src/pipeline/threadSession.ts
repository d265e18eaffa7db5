import { planTables } from '../domain/planParts.ts';
import type { QueryPlan } from '../domain/types.ts';
import { isQuarryError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { MemoryServices } from '../memory/memoryServices.ts';
import {
  loadSession,
  newSession,
  SESSION_MAX_TURNS,
  SESSION_TTL_SECONDS,
  type Session,
  type SessionContext,
  type SessionRef,
  saveSession,
} from '../memory/sessions.ts';
import { type ThreadTurn, threadTurns } from '../memory/threadHistory.ts';

// The thread's session comes from Redis, which is a cache: when Redis has none (restarted
// empty, failed over, evicted) the query history still knows what the thread asked and its
// last plan, and the session is rebuilt from it and cached again. Redis being down is another
// matter: recall says it answered without the thread, as before.

/** What a follow-up edits after an answer that ran `plan`. */
export function sessionContextOf(plan: QueryPlan, question: string): SessionContext {
  return {
    last_plan: plan,
    last_tables: planTables(plan),
    last_question: question,
    last_entities: plan.filters
      .flatMap((f) => (Array.isArray(f.value) ? f.value : f.value === undefined ? [] : [f.value]))
      .map(String),
  };
}

/** The session the recorded turns add up to, as recordTurn would have stored it; null for a
 *  thread with no recorded question. Summaries are not recorded, so rebuilt turns have none. */
export function sessionOfTurns(ref: SessionRef, turns: ThreadTurn[]): Session | null {
  const [first] = turns;
  if (!first) return null;
  const lastWorked = turns.findLast((t) => t.success && t.plan);
  const latest = turns.findLast((t) => t.sessionId);
  return {
    ...newSession(ref, first.userId, new Date(first.askedAt)),
    ...(latest?.sessionId ? { session_id: latest.sessionId } : {}),
    conversation_history: turns.map((t) => ({
      question: t.question,
      answerId: t.answerId,
      source: t.source,
      sql: t.sql,
      summary: '',
      success: t.success,
      errorKind: t.errorKind,
      at: t.askedAt,
    })),
    ...(lastWorked?.plan ? { current_context: sessionContextOf(lastWorked.plan, lastWorked.question) } : {}),
  };
}

/** The thread's session from Redis, else rebuilt from the query history (and cached again),
 *  else a fresh one. Throws only when Redis cannot be read. */
export async function loadThreadSession(
  memory: Pick<MemoryServices, 'db' | 'kv'>,
  ref: SessionRef,
  userId: string,
  log: Logger,
): Promise<Session> {
  const cached = await loadSession(memory.kv, ref);
  if (cached) return cached;
  const turns = await threadTurns(memory.db, ref, {
    limit: SESSION_MAX_TURNS,
    activeWithinSeconds: SESSION_TTL_SECONDS,
  }).catch((e: unknown) => {
    log.warn(
      { err: isQuarryError(e) ? e.detail : String(e) },
      'could not read the thread from the query history',
    );
    return [];
  });
  const rebuilt = sessionOfTurns(ref, turns);
  if (!rebuilt) return newSession(ref, userId);
  log.info({ turns: turns.length }, 'thread session rebuilt from the query history');
  await saveSession(memory.kv, ref, rebuilt).catch((e: unknown) =>
    log.warn({ err: String(e) }, 'rebuilt session not cached'),
  );
  return rebuilt;
}
