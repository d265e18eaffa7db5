import pgvector from 'pgvector';
import type { Db, DbSession } from '../db/client.ts';
import type { QueryPlan } from '../domain/types.ts';
import { normalizeQuestion } from '../language/questionFeatures.ts';
import { onMemory } from './memoryErrors.ts';
import { planKey } from './planKey.ts';
import { camelFields, idOf, isoOf } from './rows.ts';
import { type PatternEvidence, successRate, userConfidence } from './shouldUseMemoryPattern.ts';

// Question patterns (query_embeddings): what a person asked, the plan that answered it, how
// often it worked. Recall searches them by meaning; learn inserts or bumps them.

export interface PatternInput {
  teamId: string;
  userId: string;
  question: string;
  embedding: number[];
  /** Embedder id (Embedder.id) that made `embedding`. */
  embedder: string;
  plan: QueryPlan;
  /** The compiled SQL, kept for reading; recall re-compiles the plan with fresh dates. */
  sqlTemplate: string | null;
  schemaFingerprint: string;
  /** Whether this run produced an answer. */
  success: boolean;
}

/** Inserts the pattern, or counts one more run of the same normalized question and plan for
 *  this person (bringing back a retired one, now on the current schema). Returns its id. */
export async function upsertPattern(db: DbSession, p: PatternInput): Promise<number> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO query_embeddings AS q (team_id, user_id, question, normalized_question, embedding, embedder,
       plan, plan_key, sql_template, success_count, failure_count, schema_fingerprint)
     VALUES ($1, $2, $3, $4, $5::vector, $6, $7::jsonb, $8, $9, $10, $11, $12)
     ON CONFLICT (team_id, user_id, embedder, normalized_question, plan_key) DO UPDATE SET
       success_count = q.success_count + EXCLUDED.success_count,
       failure_count = q.failure_count + EXCLUDED.failure_count,
       question = EXCLUDED.question,
       embedding = EXCLUDED.embedding,
       sql_template = coalesce(EXCLUDED.sql_template, q.sql_template),
       schema_fingerprint = EXCLUDED.schema_fingerprint,
       retired = false,
       last_used_at = now()
     RETURNING id`,
    [
      p.teamId,
      p.userId,
      p.question,
      normalizeQuestion(p.question),
      pgvector.toSql(p.embedding),
      p.embedder,
      JSON.stringify(p.plan),
      planKey(p.plan),
      p.sqlTemplate,
      p.success ? 1 : 0,
      p.success ? 0 : 1,
      p.schemaFingerprint,
    ],
  );
  return idOf(row!.id);
}

export interface SimilarPattern extends PatternEvidence {
  id: number;
  /** `user`: the asker's own pattern; `team`: a teammate's (context for planning only). */
  owner: 'user' | 'team';
  userId: string;
  question: string;
  plan: QueryPlan;
  sqlTemplate: string | null;
  successCount: number;
  failureCount: number;
  lastUsedAt: string;
}

export interface SimilarQuery {
  teamId: string;
  userId: string;
  embedding: number[];
  embedder: string;
  /** When given, only patterns built on this schema fingerprint. */
  fingerprint?: string;
  /** At most this many of the asker's own, and as many of the team's. */
  limit?: number;
}

interface SimilarRow {
  id: string;
  own: boolean;
  user_id: string;
  question: string;
  plan: QueryPlan;
  sql_template: string | null;
  success_count: number;
  failure_count: number;
  thumbs_up: number;
  thumbs_down: number;
  schema_fingerprint: string;
  last_used_at: unknown;
  distance: number;
}

function similarOf(r: SimilarRow): SimilarPattern {
  return {
    id: idOf(r.id),
    owner: r.own ? 'user' : 'team',
    ...camelFields(r, ['user_id', 'question', 'plan', 'sql_template', 'success_count', 'failure_count']),
    similarity: 1 - Number(r.distance),
    successRate: successRate(r.success_count, r.failure_count),
    userConfidence: r.own ? userConfidence(r.thumbs_up, r.thumbs_down) : null,
    schemaFingerprint: r.schema_fingerprint,
    lastUsedAt: isoOf(r.last_used_at),
  };
}

// Two nearest-neighbour searches, each able to use the HNSW index. Iterative scans keep
// searching the graph until enough rows pass the team/user filter (pgvector ≥ 0.8); relaxed
// order is fine because the outer query sorts again.
const NEAREST = (ownerTest: string, fingerprintTest: string) => `
  (SELECT id, ${ownerTest === '=' ? 'true' : 'false'} AS own, user_id, question, plan, sql_template,
          success_count, failure_count, thumbs_up, thumbs_down, schema_fingerprint, last_used_at,
          embedding <=> $3::vector AS distance
   FROM query_embeddings
   WHERE team_id = $1 AND user_id ${ownerTest} $2 AND embedder = $4 AND NOT retired ${fingerprintTest}
   ORDER BY embedding <=> $3::vector
   LIMIT $5)`;

/** The asker's own nearest patterns (most similar first), then the team's other people's. */
export async function findSimilarPatterns(db: Db, q: SimilarQuery): Promise<SimilarPattern[]> {
  const fingerprintTest = q.fingerprint === undefined ? '' : 'AND schema_fingerprint = $6';
  const params: unknown[] = [q.teamId, q.userId, pgvector.toSql(q.embedding), q.embedder, q.limit ?? 5];
  if (q.fingerprint !== undefined) params.push(q.fingerprint);
  return onMemory(async () => {
    // One statement: the memory database's sessions scan HNSW iteratively (sessionSettings.ts).
    const rows = await db.query<SimilarRow>(
      `SELECT * FROM (${NEAREST('=', fingerprintTest)} UNION ALL ${NEAREST('<>', fingerprintTest)}) nearest
       ORDER BY own DESC, distance`,
      params,
    );
    return rows.map(similarOf);
  });
}

/** Retires the team's patterns built on a schema that has since changed; returns how many. */
export async function retirePatternsForFingerprint(
  db: DbSession,
  teamId: string,
  oldFingerprint: string,
): Promise<number> {
  return onMemory(async () => {
    const rows = await db.query(
      `UPDATE query_embeddings SET retired = true
       WHERE team_id = $1 AND schema_fingerprint = $2 AND NOT retired
       RETURNING id`,
      [teamId, oldFingerprint],
    );
    return rows.length;
  });
}

/** Retires every team's patterns built on a target schema that has since changed: the target
 *  database is shared by all teams of a deployment. Returns how many. */
export async function retirePatternsOfSchema(db: DbSession, oldFingerprint: string): Promise<number> {
  return onMemory(async () => {
    const rows = await db.query(
      'UPDATE query_embeddings SET retired = true WHERE schema_fingerprint = $1 AND NOT retired RETURNING id',
      [oldFingerprint],
    );
    return rows.length;
  });
}

/** Retires the patterns whose question uses `term`: a definition of the term was added,
 *  changed or removed, so their stored plans may no longer mean what the question says. The
 *  team's, or every team's when `teamId` is null (the knowledge file's definitions). */
export async function retirePatternsMentioning(
  db: DbSession,
  teamId: string | null,
  term: string,
): Promise<number> {
  // Normalized questions are words joined by spaces: match the term's words as whole words.
  const words = normalizeQuestion(term).replace(/[\\%_]/g, (c) => `\\${c}`);
  return onMemory(async () => {
    const rows = await db.query(
      `UPDATE query_embeddings SET retired = true
       WHERE ($1::text IS NULL OR team_id = $1) AND NOT retired
         AND ' ' || normalized_question || ' ' LIKE '% ' || $2 || ' %'
       RETURNING id`,
      [teamId, words],
    );
    return rows.length;
  });
}
