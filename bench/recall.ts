// Recall at scale: 100,000 patterns of one team (many people) in a fresh PostgreSQL database,
// then findSimilarPatterns top-5 timed for random people and questions; also the local
// embedder's time per question. Needs the local PostgreSQL with pgvector (TEST_PG_URL).
//   node --import tsx bench/recall.ts [patterns=100000] [people=200] [queries=300]
import { performance } from 'node:perf_hooks';
import pgvector from 'pgvector';
import type { QueryPlan } from '../src/domain/types.ts';
import { normalizeQuestion } from '../src/language/questionFeatures.ts';
import { localEmbedder } from '../src/memory/localEmbedder.ts';
import { findSimilarPatterns } from '../src/memory/patterns.ts';
import { planKey } from '../src/memory/planKey.ts';
import { openMemoryTestDb } from '../test/helpers/memoryDatabase.ts';

const [patterns = 100_000, people = 200, queries = 300] = process.argv.slice(2).map(Number);
const TEAM = 'T-bench';
const BATCH = 2000;

/** Deterministic pseudo-random numbers (mulberry32), so every run builds the same data. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = random(42);
const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
const MEASURES = [
  'total sales',
  'revenue',
  'number of orders',
  'average order value',
  'units sold',
  'refunds',
  'new customers',
  'margin',
];
const GROUPS = [
  '',
  'by category',
  'by country',
  'by product',
  'by channel',
  'per region',
  'by month',
  'by week',
  'by supplier',
];
const TIMES = [
  '',
  'last month',
  'this year',
  'last 7 days',
  'last quarter',
  'yesterday',
  'in March',
  'last 30 days',
  'this week',
];
const EXTRAS = [
  '',
  'top 10',
  'top 5',
  'for Germany',
  'for premium customers',
  'excluding cancelled',
  'with more than 5 orders',
];

function question(): string {
  return [pick(EXTRAS), pick(MEASURES), pick(GROUPS), pick(TIMES)].filter(Boolean).join(' ');
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const embedder = localEmbedder();
const db = await openMemoryTestDb({ max: 4 });
try {
  // Building the HNSW index once after loading is much faster than growing it row by row.
  await db.exec('DROP INDEX query_embeddings_embedding');
  const loadStart = performance.now();
  for (let start = 0; start < patterns; start += BATCH) {
    const n = Math.min(BATCH, patterns - start);
    const users: string[] = [];
    const questions: string[] = [];
    const normalized: string[] = [];
    const vectors: string[] = [];
    const plans: string[] = [];
    const keys: string[] = [];
    for (let i = 0; i < n; i++) {
      const q = question();
      const plan: QueryPlan = {
        baseTable: `public.t${(start + i) % 40}`,
        measures: [],
        dimensions: [],
        filters: [],
        limit: start + i,
      };
      users.push(`U${Math.floor(rand() * people)}`);
      questions.push(q);
      normalized.push(normalizeQuestion(q));
      vectors.push(pgvector.toSql((await embedder.embed([q]))[0]!));
      plans.push(JSON.stringify(plan));
      keys.push(planKey(plan));
    }
    await db.query(
      `INSERT INTO query_embeddings (team_id, user_id, question, normalized_question, embedding, embedder, plan, plan_key,
         success_count, schema_fingerprint)
       SELECT $1, u, q, nq, v::vector, $2, p::jsonb, k, 1, 'fp'
       FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS x(u, q, nq, v, p, k)`,
      [TEAM, embedder.id, users, questions, normalized, vectors, plans, keys],
    );
  }
  const loaded = performance.now();
  await db.exec(`SET maintenance_work_mem = '512MB'`);
  await db.exec(
    'CREATE INDEX query_embeddings_embedding ON query_embeddings USING hnsw (embedding vector_cosine_ops)',
  );
  await db.exec('ANALYZE query_embeddings');
  const indexed = performance.now();
  console.log(
    `loaded ${patterns} patterns for ${people} people in ${((loaded - loadStart) / 1000).toFixed(1)} s; ` +
      `HNSW index built in ${((indexed - loaded) / 1000).toFixed(1)} s`,
  );

  const asks = Array.from({ length: queries }, () => ({
    userId: `U${Math.floor(rand() * people)}`,
    q: question(),
  }));
  type Ask = (typeof asks)[number];
  const embed = async (a: Ask) => (await embedder.embed([a.q]))[0]!;
  const top5 = (a: Ask, embedding: number[]) =>
    findSimilarPatterns(db, { teamId: TEAM, userId: a.userId, embedding, embedder: embedder.id, limit: 5 });
  for (const a of asks.slice(0, 30)) await top5(a, await embed(a)); // warm the cache and the pool
  const times: number[] = [];
  let returned = 0;
  for (const a of asks) {
    const embedding = await embed(a);
    const t0 = performance.now();
    const found = await top5(a, embedding);
    times.push(performance.now() - t0);
    returned += found.length;
  }
  times.sort((x, y) => x - y);
  console.log(
    `findSimilarPatterns top-5 (own + team), ${queries} queries: p50 ${percentile(times, 50).toFixed(2)} ms, ` +
      `p95 ${percentile(times, 95).toFixed(2)} ms, max ${times.at(-1)!.toFixed(2)} ms, ` +
      `${(returned / queries).toFixed(1)} rows per query`,
  );

  // Recall against an exact scan. Many generated questions repeat, so nearest rows tie: a found
  // row counts when it is at least as near as the exact fifth of its group (own / team).
  let hits = 0;
  let wanted = 0;
  const exactTimes: number[] = [];
  for (const a of asks.slice(0, 50)) {
    const embedding = await embed(a);
    const found = await top5(a, embedding);
    const e0 = performance.now();
    const exact = await db.session(async (s) => {
      await s.exec('BEGIN; SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off');
      const rows = await s.query<{ own: boolean; distance: number }>(
        `(SELECT true AS own, embedding <=> $3::vector AS distance FROM query_embeddings
          WHERE team_id = $1 AND user_id = $2 ORDER BY 2 LIMIT 5)
         UNION ALL
         (SELECT false, embedding <=> $3::vector FROM query_embeddings
          WHERE team_id = $1 AND user_id <> $2 ORDER BY 2 LIMIT 5)`,
        [TEAM, a.userId, pgvector.toSql(embedding)],
      );
      await s.exec('COMMIT');
      return rows;
    });
    exactTimes.push(performance.now() - e0);
    for (const own of [true, false]) {
      const group = exact.filter((r) => r.own === own);
      const farthest = Math.max(...group.map((r) => r.distance));
      wanted += group.length;
      hits += found.filter((p) => (p.owner === 'user') === own && 1 - p.similarity <= farthest + 1e-6).length;
    }
  }
  console.log(`recall@5 against an exact scan (50 queries): ${((hits / wanted) * 100).toFixed(1)} %`);
  exactTimes.sort((x, y) => x - y);
  console.log(
    `exact scan (no vector index), same questions: p50 ${percentile(exactTimes, 50).toFixed(2)} ms ` +
      `→ the index answers ${(percentile(exactTimes, 50) / percentile(times, 50)).toFixed(1)}× faster at p50`,
  );

  const texts = Array.from({ length: 10_000 }, question);
  const e0 = performance.now();
  for (const t of texts) await embedder.embed([t]);
  console.log(
    `local embedder: ${(((performance.now() - e0) / texts.length) * 1000).toFixed(1)} µs per question`,
  );
} finally {
  await db.close();
}
