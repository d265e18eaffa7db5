import { isQuarryError } from '../errors.ts';
import type { Definition } from '../language/hints.ts';
import type { Logger } from '../log.ts';
import type { MemoryServices } from '../memory/memoryServices.ts';
import { findSimilarPatterns, type SimilarPattern } from '../memory/patterns.ts';
import { DEFAULT_PREFERENCES, getProfile, type Preferences } from '../memory/profiles.ts';
import type { Session, SessionRef } from '../memory/sessions.ts';
import { listDefinitions } from '../memory/teamDefinitions.ts';
import { loadThreadSession } from './threadSession.ts';

// The recall stage (see docs/architecture.md#recall): what Quarry remembers for this question — the
// thread's session, the person's preferences, the team's definitions and the most similar past
// questions. Each part fails on its own: an answer still comes without memory, with a note saying
// so.

export interface RecallInput {
  teamId: string;
  userId: string;
  question: string;
  session?: SessionRef;
}

export interface Recalled {
  session: Session | null;
  preferences: Preferences;
  definitions: Definition[];
  embedding: number[] | null;
  patterns: SimilarPattern[];
  notes: string[];
}

const NOTE_NO_SESSION =
  "I couldn't reach my short-term memory, so I answered without this thread's earlier questions.";
const NOTE_NO_MEMORY =
  "My long-term memory is unavailable right now; I answered without your saved preferences and patterns. What you ask is still kept and saved once it's back.";

export async function recall(memory: MemoryServices, input: RecallInput, log: Logger): Promise<Recalled> {
  const notes = new Set<string>();
  const soft = <T>(p: Promise<T>, fallback: T, note: string): Promise<T> =>
    p.catch((e: unknown) => {
      log.warn({ err: isQuarryError(e) ? e.detail : String(e), stage: 'recall' }, note);
      notes.add(note);
      return fallback;
    });
  const { teamId, userId } = input;
  const [session, profile, definitions, embedding] = await Promise.all([
    input.session ? soft(loadThreadSession(memory, input.session, userId, log), null, NOTE_NO_SESSION) : null,
    soft(getProfile({ db: memory.db, kv: memory.kv }, teamId, userId), null, NOTE_NO_MEMORY),
    soft(listDefinitions(memory.db, teamId), [], NOTE_NO_MEMORY),
    soft(
      memory.embedder.embed([input.question]).then((v) => v[0] ?? null),
      null,
      'I could not compare this question with earlier ones just now.',
    ),
  ]);
  const patterns = embedding
    ? await soft(
        findSimilarPatterns(memory.db, { teamId, userId, embedding, embedder: memory.embedder.id, limit: 5 }),
        [],
        NOTE_NO_MEMORY,
      )
    : [];
  return {
    session,
    preferences: profile?.preferences ?? DEFAULT_PREFERENCES,
    definitions: definitions.map((d) => ({ term: d.term, meaning: d.definition, source: 'team' as const })),
    embedding,
    patterns,
    notes: [...notes],
  };
}
