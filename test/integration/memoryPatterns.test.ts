import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import type { QueryPlan } from '../../src/domain/types.ts';
import { applyLearning } from '../../src/memory/applyLearning.ts';
import { recordFeedback } from '../../src/memory/feedback.ts';
import { localEmbedder } from '../../src/memory/localEmbedder.ts';
import {
  findSimilarPatterns,
  retirePatternsForFingerprint,
  upsertPattern,
} from '../../src/memory/patterns.ts';
import { shouldUseMemoryPattern } from '../../src/memory/shouldUseMemoryPattern.ts';
import { openMemoryTestDb } from '../helpers/memoryDatabase.ts';

const embedder = localEmbedder();
const FP = 'fp-1';

const salesPlan: QueryPlan = {
  baseTable: 'public.orders',
  measures: [
    { agg: 'sum', expr: { kind: 'column', ref: { table: 'public.orders', column: 'total' } }, as: 'sales' },
  ],
  dimensions: [],
  filters: [],
  timeRange: {
    column: { table: 'public.orders', column: 'created_at' },
    kind: 'previous',
    unit: 'month',
    n: 1,
  },
};
const customersPlan: QueryPlan = {
  baseTable: 'public.customers',
  measures: [{ agg: 'count', expr: { kind: 'rows', table: 'public.customers' }, as: 'customers' }],
  dimensions: [{ ref: { table: 'public.customers', column: 'country' }, as: 'country' }],
  filters: [],
};

let db: Db;

async function embed(text: string): Promise<number[]> {
  return (await embedder.embed([text]))[0]!;
}

async function savePattern(
  teamId: string,
  userId: string,
  question: string,
  plan: QueryPlan,
  options: { success?: boolean; fingerprint?: string; embedder?: string } = {},
): Promise<number> {
  return upsertPattern(db, {
    teamId,
    userId,
    question,
    embedding: await embed(question),
    embedder: options.embedder ?? embedder.id,
    plan,
    sqlTemplate: 'SELECT …',
    schemaFingerprint: options.fingerprint ?? FP,
    success: options.success ?? true,
  });
}

async function similar(teamId: string, userId: string, question: string, fingerprint?: string) {
  return findSimilarPatterns(db, {
    teamId,
    userId,
    embedding: await embed(question),
    embedder: embedder.id,
    fingerprint,
  });
}

async function counts(id: number) {
  const [row] = await db.query<{
    success_count: number;
    failure_count: number;
    thumbs_up: number;
    thumbs_down: number;
  }>('SELECT success_count, failure_count, thumbs_up, thumbs_down FROM query_embeddings WHERE id = $1', [id]);
  return row!;
}

beforeAll(async () => {
  db = await openMemoryTestDb({ max: 4 });
});

afterAll(async () => {
  await db.close();
});

describe('upsertPattern', () => {
  it('counts another run of the same normalized question and plan on the same row', async () => {
    const first = await savePattern('TU', 'U1', 'Total sales last month?', salesPlan);
    const again = await savePattern('TU', 'U1', 'total sales, last month', salesPlan);
    const failed = await savePattern('TU', 'U1', 'total sales last month', salesPlan, { success: false });
    expect(again).toBe(first);
    expect(failed).toBe(first);
    expect(await counts(first)).toMatchObject({ success_count: 2, failure_count: 1 });
  });

  it('keeps a different plan, another person or another team apart', async () => {
    const base = await savePattern('TU', 'U1', 'customers by country', customersPlan);
    expect(await savePattern('TU', 'U1', 'customers by country', salesPlan)).not.toBe(base);
    expect(await savePattern('TU', 'U2', 'customers by country', customersPlan)).not.toBe(base);
    expect(await savePattern('TU2', 'U1', 'customers by country', customersPlan)).not.toBe(base);
  });
});

describe('findSimilarPatterns', () => {
  let own: number;
  let ownOther: number;
  let teammate: number;

  beforeAll(async () => {
    own = await savePattern('T1', 'U1', 'total sales last month', salesPlan);
    ownOther = await savePattern('T1', 'U1', 'number of customers by country', customersPlan);
    // The teammate's wording is the asker's exactly: still ranked after the asker's own.
    teammate = await savePattern('T1', 'U2', 'what was our revenue last month', salesPlan);
    // Another team, the same user id and the same words: never visible from T1.
    await savePattern('T2', 'U1', 'what was our revenue last month', salesPlan);
    await savePattern('T2', 'U3', 'what was our revenue last month', salesPlan);
    // Another embedder's vectors are not comparable.
    await savePattern('T1', 'U1', 'what was our revenue last month', salesPlan, {
      embedder: 'other-embedder:256',
    });
  });

  it("returns the asker's own patterns first, most similar first, then the team's", async () => {
    const found = await similar('T1', 'U1', 'what was our revenue last month');
    expect(found.map((p) => [p.id, p.owner])).toEqual([
      [own, 'user'],
      [ownOther, 'user'],
      [teammate, 'team'],
    ]);
    const [mine, , theirs] = found;
    expect(mine!.similarity).toBeGreaterThan(0.85);
    expect(theirs!.similarity).toBeCloseTo(1, 6);
    expect(mine).toMatchObject({ successRate: 1, userConfidence: 1, schemaFingerprint: FP, plan: salesPlan });
    expect(theirs!.userConfidence).toBeNull();
    expect(shouldUseMemoryPattern(mine!, FP)).toBe(true);
    expect(shouldUseMemoryPattern(theirs!, FP)).toBe(false);
  });

  it('never shows one team the rows of another, even for the same user id', async () => {
    const idsOf = async (teamId: string) =>
      (await db.query<{ id: string }>('SELECT id FROM query_embeddings WHERE team_id = $1', [teamId])).map(
        (r) => Number(r.id),
      );
    const [t1Ids, t2Ids] = [await idsOf('T1'), await idsOf('T2')];
    const fromT1 = await similar('T1', 'U1', 'what was our revenue last month');
    const fromT2 = await similar('T2', 'U1', 'what was our revenue last month');
    expect(fromT1.every((p) => t1Ids.includes(p.id))).toBe(true);
    expect(fromT2.map((p) => p.id).sort()).toEqual(t2Ids.sort());
    expect(fromT2.map((p) => [p.userId, p.owner])).toEqual([
      ['U1', 'user'],
      ['U3', 'team'],
    ]);
    expect(await similar('T3', 'U1', 'what was our revenue last month')).toEqual([]);
  });

  it('filters by schema fingerprint when asked, and drops retired patterns', async () => {
    const old = await savePattern('T4', 'U1', 'total sales last month', salesPlan, { fingerprint: 'fp-old' });
    expect((await similar('T4', 'U1', 'total sales last month', FP)).map((p) => p.id)).toEqual([]);
    expect((await similar('T4', 'U1', 'total sales last month')).map((p) => p.id)).toEqual([old]);
    expect(await retirePatternsForFingerprint(db, 'T4', 'fp-old')).toBe(1);
    expect(await similar('T4', 'U1', 'total sales last month')).toEqual([]);
    // The same question answered again on the new schema brings the pattern back.
    expect(await savePattern('T4', 'U1', 'total sales last month', salesPlan)).toBe(old);
    expect((await similar('T4', 'U1', 'total sales last month', FP)).map((p) => p.id)).toEqual([old]);
  });
});

describe('recordFeedback', () => {
  const answerId = randomUUID();
  let patternId: number;

  beforeAll(async () => {
    await applyLearning(db, {
      answerId,
      teamId: 'TF',
      userId: 'U1',
      query: { question: 'total sales last month', plan: salesPlan, success: true, rowCount: 1 },
      pattern: {
        question: 'total sales last month',
        embedding: await embed('total sales last month'),
        embedder: embedder.id,
        plan: salesPlan,
        sqlTemplate: 'SELECT …',
        schemaFingerprint: FP,
        success: true,
      },
    });
    const [row] = await db.query<{ pattern_id: string }>(
      'SELECT pattern_id FROM user_query_history WHERE answer_id = $1',
      [answerId],
    );
    patternId = Number(row!.pattern_id);
    // A second successful run, so a 👎 leaves one success.
    await savePattern('TF', 'U1', 'total sales last month', salesPlan);
  });

  it("the asker's 👎 turns a success into a failure and blocks reuse", async () => {
    const result = await recordFeedback(db, { teamId: 'TF', userId: 'U1', answerId, rating: 'down' });
    expect(result).toEqual({ adjustedPatternId: patternId, previous: null });
    expect(await counts(patternId)).toEqual({
      success_count: 1,
      failure_count: 1,
      thumbs_up: 0,
      thumbs_down: 1,
    });
    const [mine] = await similar('TF', 'U1', 'total sales last month');
    expect(mine!.userConfidence).toBeCloseTo(1 / 3);
    expect(shouldUseMemoryPattern(mine!, FP)).toBe(false);
  });

  it('clicking the same vote again changes nothing', async () => {
    const result = await recordFeedback(db, { teamId: 'TF', userId: 'U1', answerId, rating: 'down' });
    expect(result).toEqual({ adjustedPatternId: null, previous: 'down' });
    expect(await counts(patternId)).toEqual({
      success_count: 1,
      failure_count: 1,
      thumbs_up: 0,
      thumbs_down: 1,
    });
  });

  it('changing the vote to 👍 undoes the 👎', async () => {
    await recordFeedback(db, { teamId: 'TF', userId: 'U1', answerId, rating: 'up' });
    expect(await counts(patternId)).toEqual({
      success_count: 2,
      failure_count: 0,
      thumbs_up: 1,
      thumbs_down: 0,
    });
    const [mine] = await similar('TF', 'U1', 'total sales last month');
    expect(shouldUseMemoryPattern(mine!, FP)).toBe(true);
  });

  it("a teammate's vote is stored but does not move the asker's pattern", async () => {
    const result = await recordFeedback(db, {
      teamId: 'TF',
      userId: 'U9',
      answerId,
      rating: 'down',
      comment: 'wrong',
    });
    expect(result.adjustedPatternId).toBeNull();
    expect(await counts(patternId)).toEqual({
      success_count: 2,
      failure_count: 0,
      thumbs_up: 1,
      thumbs_down: 0,
    });
    const votes = await db.query<{ user_id: string; rating: string }>(
      'SELECT user_id, rating FROM answer_feedback WHERE answer_id = $1 ORDER BY user_id',
      [answerId],
    );
    expect(votes).toEqual([
      { user_id: 'U1', rating: 'up' },
      { user_id: 'U9', rating: 'down' },
    ]);
  });

  it('concurrent clicks of the same vote count once', async () => {
    const other = randomUUID();
    await applyLearning(db, {
      answerId: other,
      teamId: 'TF',
      userId: 'U5',
      query: { question: 'customers by country', plan: customersPlan, success: true },
      pattern: {
        question: 'customers by country',
        embedding: await embed('customers by country'),
        embedder: embedder.id,
        plan: customersPlan,
        sqlTemplate: null,
        schemaFingerprint: FP,
        success: true,
      },
    });
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        recordFeedback(db, { teamId: 'TF', userId: 'U5', answerId: other, rating: 'down' }),
      ),
    );
    expect(results.filter((r) => r.adjustedPatternId !== null)).toHaveLength(1);
    const [row] = await db.query<{ thumbs_down: number }>(
      `SELECT p.thumbs_down FROM query_embeddings p JOIN user_query_history h ON h.pattern_id = p.id WHERE h.answer_id = $1`,
      [other],
    );
    expect(row!.thumbs_down).toBe(1);
  });
});
