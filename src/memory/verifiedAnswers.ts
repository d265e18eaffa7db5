import pgvector from 'pgvector';
import type { Db } from '../db/client.ts';
import { normalizeQuestion } from '../language/questionFeatures.ts';
import { onMemory } from './memoryErrors.ts';
import { camelFields, idOf, isoOf } from './rows.ts';

// Answers a data owner verified in Slack (verified_answers): the workspace's question answered
// with this SQL, who vouched for it and when. One that later fails is set aside, never reused.

export interface VerifiedAnswer {
  id: number;
  teamId: string;
  question: string;
  sql: string;
  verifiedBy: string;
  verifiedAt: string;
  /** 1 − cosine distance to the asked question, when found by similarity. */
  similarity?: number;
}

interface VerifiedRow {
  id: unknown;
  team_id: string;
  question: string;
  sql: string;
  verified_by: string;
  verified_at: unknown;
  distance?: number;
}

const COLUMNS = 'id, team_id, question, sql, verified_by, verified_at';

function verifiedOf(r: VerifiedRow): VerifiedAnswer {
  return {
    id: idOf(r.id),
    ...camelFields(r, ['team_id', 'question', 'sql', 'verified_by']),
    verifiedAt: isoOf(r.verified_at),
    ...(r.distance === undefined ? {} : { similarity: 1 - Number(r.distance) }),
  };
}

export interface VerifyInput {
  teamId: string;
  question: string;
  sql: string;
  answerId: string;
  verifiedBy: string;
  embedding: number[] | null;
  embedder: string;
}

/** Verifies the answer for the workspace; a question verified before takes the new SQL. */
export async function verifyAnswer(db: Db, v: VerifyInput): Promise<VerifiedAnswer> {
  return onMemory(async () => {
    const [row] = await db.query<VerifiedRow>(
      `INSERT INTO verified_answers (team_id, question, normalized_question, sql, embedding, embedder, answer_id, verified_by)
       VALUES ($1, $2, $3, $4, $5::vector, $6, $7, $8)
       ON CONFLICT (team_id, normalized_question) DO UPDATE SET
         question = EXCLUDED.question, sql = EXCLUDED.sql, embedding = EXCLUDED.embedding,
         embedder = EXCLUDED.embedder, answer_id = EXCLUDED.answer_id, verified_by = EXCLUDED.verified_by,
         verified_at = now(), set_aside_at = NULL, set_aside_reason = NULL
       RETURNING ${COLUMNS}`,
      [
        v.teamId,
        v.question,
        normalizeQuestion(v.question),
        v.sql,
        v.embedding ? pgvector.toSql(v.embedding) : null,
        v.embedding ? v.embedder : null,
        v.answerId,
        v.verifiedBy,
      ],
    );
    return verifiedOf(row!);
  });
}

/** The workspace's verified answers nearest the question (most similar first), in use only. */
export async function findVerifiedAnswers(
  db: Db,
  q: { teamId: string; embedding: number[]; embedder: string; limit?: number },
): Promise<VerifiedAnswer[]> {
  return onMemory(async () => {
    const rows = await db.query<VerifiedRow>(
      `SELECT ${COLUMNS}, embedding <=> $2::vector AS distance FROM verified_answers
       WHERE team_id = $1 AND embedder = $3 AND set_aside_at IS NULL
       ORDER BY embedding <=> $2::vector LIMIT $4`,
      [q.teamId, pgvector.toSql(q.embedding), q.embedder, q.limit ?? 3],
    );
    return rows.map(verifiedOf);
  });
}

/** Every verified answer in use, for `quarry knowledge export`. */
export async function listVerifiedAnswers(db: Db): Promise<VerifiedAnswer[]> {
  return onMemory(async () => {
    const rows = await db.query<VerifiedRow>(
      `SELECT ${COLUMNS} FROM verified_answers WHERE set_aside_at IS NULL ORDER BY team_id, verified_at`,
    );
    return rows.map(verifiedOf);
  });
}

/** Stops using a verified answer whose SQL failed; false when it was already set aside. */
export async function setVerifiedAnswerAside(db: Db, id: number, reason: string): Promise<boolean> {
  return onMemory(async () => {
    const rows = await db.query(
      `UPDATE verified_answers SET set_aside_at = now(), set_aside_reason = $2
       WHERE id = $1 AND set_aside_at IS NULL RETURNING id`,
      [id, reason],
    );
    return rows.length > 0;
  });
}
