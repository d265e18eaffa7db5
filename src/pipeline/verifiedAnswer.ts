import type { Db } from '../db/client.ts';
import type { Answer, QueryPlan } from '../domain/types.ts';
import { isQuarryError, QueryFailed, UnsafeSql } from '../errors.ts';
import type { FileVerified, TeamKnowledge } from '../knowledge/teamKnowledge.ts';
import { normalizeQuestion } from '../language/questionFeatures.ts';
import type { Logger } from '../log.ts';
import { cosineSimilarity, type Embedder } from '../memory/embed.ts';
import { MIN_SIMILARITY } from '../memory/shouldUseMemoryPattern.ts';
import { findVerifiedAnswers, setVerifiedAnswerAside } from '../memory/verifiedAnswers.ts';
import { asksToWrite, questionSignature } from './plan.ts';
import type { SchemaLexicon } from './planner/schemaLexicon.ts';

// A question the data team vouches for — in the knowledge file or verified in Slack — or a close
// paraphrase of one, found the way memory finds patterns (same embedder, same similarity bar,
// same values, numbers and periods), is answered with the team's SQL after the guard. One whose
// SQL fails is set aside and its owners told; it is never silently used again.

export interface VerifiedMatch {
  question: string;
  sql: string;
  similarity: number;
  /** Who verified it in Slack and when; absent for the knowledge file's own. */
  by?: string;
  at?: string;
  /** The stored row of a Slack verification, or the file's entry. */
  stored?: number;
  fileEntry?: FileVerified;
}

export interface VerifiedLookup {
  teamId: string;
  question: string;
  embedding: number[] | null;
  lexicon: SchemaLexicon;
  now?: Date;
}

export interface VerifiedSources {
  knowledge?: TeamKnowledge;
  memory?: { db: Db; embedder: Embedder };
}

/** Whether a verified question answers the asked one: the same words, or close in meaning
 *  with the same values, numbers and periods. */
export function answersQuestion(
  verified: string,
  similarity: number,
  asked: { question: string; lexicon: SchemaLexicon; now?: Date },
): boolean {
  if (normalizeQuestion(verified) === normalizeQuestion(asked.question)) return true;
  return (
    similarity > MIN_SIMILARITY &&
    questionSignature(verified, asked.lexicon, asked.now) ===
      questionSignature(asked.question, asked.lexicon, asked.now)
  );
}

export async function findVerified(
  src: VerifiedSources & { log: Logger },
  q: VerifiedLookup,
): Promise<VerifiedMatch | null> {
  // A request to change data is refused as such, never answered as a read that resembles it.
  if (asksToWrite(q.question)) return null;
  const candidates: VerifiedMatch[] = [];
  for (const v of src.knowledge?.verified ?? []) {
    if (v.setAside) continue;
    const similarity = v.embedding && q.embedding ? cosineSimilarity(v.embedding, q.embedding) : 0;
    candidates.push({ question: v.question, sql: v.sql, similarity, fileEntry: v });
  }
  // Only owners named in the file verify in Slack; without them there is nothing to look up.
  if (src.memory && q.embedding && src.knowledge?.owners.length) {
    const stored = await findVerifiedAnswers(src.memory.db, {
      teamId: q.teamId,
      embedding: q.embedding,
      embedder: src.memory.embedder.id,
    }).catch((e: unknown) => {
      // Memory down: the question is still answered, as recall's other parts are.
      src.log.warn({ err: isQuarryError(e) ? e.detail : String(e) }, 'could not look up verified answers');
      return [];
    });
    for (const v of stored)
      candidates.push({
        question: v.question,
        sql: v.sql,
        similarity: v.similarity ?? 0,
        by: v.verifiedBy,
        at: v.verifiedAt,
        stored: v.id,
      });
  }
  const fitting = candidates.filter((c) => answersQuestion(c.question, c.similarity, q));
  fitting.sort(
    (a, b) =>
      Number(normalizeQuestion(b.question) === normalizeQuestion(q.question)) -
        Number(normalizeQuestion(a.question) === normalizeQuestion(q.question)) ||
      b.similarity - a.similarity,
  );
  return fitting[0] ?? null;
}

export const SET_ASIDE_NOTE =
  'A verified answer to this question no longer works, so I set it aside and told the data team; this answer was planned afresh.';

export function verifiedPlan(sql: string): QueryPlan {
  return { baseTable: '', measures: [], dimensions: [], filters: [], sql };
}

/** Runs the verified SQL through `run` (guard, access, read-only execution). On a refusal or a
 *  failed query the entry is set aside, the answer says so and carries whom to tell; false
 *  then, so the question is planned afresh. Timeouts and outages are not the SQL's fault and
 *  end the answer as usual. */
export async function answerVerified(
  match: VerifiedMatch,
  out: Answer,
  run: (plan: QueryPlan) => Promise<void>,
  src: VerifiedSources & { log: Logger },
): Promise<boolean> {
  try {
    await run(verifiedPlan(match.sql));
    out.verified = { ...(match.by ? { by: match.by } : {}), ...(match.at ? { at: match.at } : {}) };
    return true;
  } catch (e) {
    if (!(e instanceof UnsafeSql || e instanceof QueryFailed)) throw e;
    // The person-facing text: a database's own message may quote values.
    const reason = e.userMessage;
    if (match.fileEntry) match.fileEntry.setAside = reason;
    if (match.stored !== undefined && src.memory)
      await setVerifiedAnswerAside(src.memory.db, match.stored, reason).catch((err: unknown) =>
        src.log.warn(
          { err: isQuarryError(err) ? err.detail : String(err) },
          'could not set the verified answer aside',
        ),
      );
    src.log.warn({ kind: e.kind, verified: match.question }, 'verified answer failed: set aside');
    Object.assign(out, { sql: null, plan: null, source: null, columns: [], rows: [], rowCount: 0 });
    out.notes.push(SET_ASIDE_NOTE);
    out.setAside = {
      question: match.question,
      reason,
      notify: match.by ? [match.by] : (src.knowledge?.owners ?? []),
    };
    return false;
  }
}
