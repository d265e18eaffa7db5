import { randomUUID } from 'node:crypto';
import type { AnswerSource, QueryPlan, TableKey } from '../domain/types.ts';
import type { Reading } from '../errors.ts';
import { getJson, type Kv, setJson } from './kv.ts';

// A Slack thread is a session (docs/architecture.md#surfaces): what was asked in it and the plan a
// follow-up edits. Stored as one JSON value in the Kv in the shape
// docs/architecture.md#the-short-term-store names; every read and write restarts its day-long
// expiry, so a thread in use never forgets.

export const SESSION_TTL_SECONDS = 86_400;
/** Older turns are dropped: follow-ups only ever look a few turns back. */
export const SESSION_MAX_TURNS = 20;

export interface SessionRef {
  teamId: string;
  channelId: string;
  /** The thread's root message timestamp (or any stable id of a terminal conversation). */
  threadTs: string;
}

export interface SessionTurn {
  question: string;
  /** The answer's id, for feedback given later in the thread ("that's wrong"). */
  answerId?: string;
  source: AnswerSource | null;
  sql: string | null;
  /** The answer's one-line summary, or its error message. */
  summary: string;
  success: boolean;
  /** Why it failed (an error kind); `not_understood` means the summary is a question asked back. */
  errorKind?: string | null;
  /** The readings a question asked back offered, for the reply that picks one ("2"). */
  readings?: Reading[];
  at: string;
}

export interface SessionContext {
  last_plan: QueryPlan | null;
  last_tables: TableKey[];
  /** Values the thread is about ("Germany", "Electronics"), for follow-ups that refer back. */
  last_entities: string[];
  last_question: string | null;
}

export interface Session {
  session_id: string;
  team_id: string;
  user_id: string;
  conversation_history: SessionTurn[];
  current_context: SessionContext;
  created_at: string;
}

export function sessionKey(ref: SessionRef): string {
  return `session:${ref.teamId}:${ref.channelId}:${ref.threadTs}`;
}

/** The thread's session, its expiry restarted; null for a new or expired thread. */
export function loadSession(kv: Kv, ref: SessionRef): Promise<Session | null> {
  return getJson<Session>(kv, sessionKey(ref), SESSION_TTL_SECONDS);
}

/** A session with nothing asked yet, started by `userId` (not yet stored). */
export function newSession(ref: SessionRef, userId: string, now: Date = new Date()): Session {
  return {
    session_id: randomUUID(),
    team_id: ref.teamId,
    user_id: userId,
    conversation_history: [],
    current_context: { last_plan: null, last_tables: [], last_entities: [], last_question: null },
    created_at: now.toISOString(),
  };
}

/** The thread's session, or a fresh one started by `userId` (not yet stored). */
async function loadOrStartSession(
  kv: Kv,
  ref: SessionRef,
  userId: string,
  now: Date = new Date(),
): Promise<Session> {
  return (await loadSession(kv, ref)) ?? newSession(ref, userId, now);
}

export function saveSession(kv: Kv, ref: SessionRef, session: Session): Promise<void> {
  return setJson(kv, sessionKey(ref), session, SESSION_TTL_SECONDS);
}

/** Adds a turn (keeping the last SESSION_MAX_TURNS) and, when given, the new context; stores
 *  and returns the session. A failed turn leaves the context as it was, so "now by month"
 *  after an error still edits the last plan that worked. */
export async function recordTurn(
  kv: Kv,
  ref: SessionRef,
  userId: string,
  turn: SessionTurn,
  context?: Partial<SessionContext>,
): Promise<Session> {
  const session = await loadOrStartSession(kv, ref, userId);
  const updated: Session = {
    ...session,
    conversation_history: [...session.conversation_history, turn].slice(-SESSION_MAX_TURNS),
    current_context:
      turn.success && context ? { ...session.current_context, ...context } : session.current_context,
  };
  await saveSession(kv, ref, updated);
  return updated;
}
