// The fuzz of bench/fuzz.ts, short enough for every CI run: generated questions, follow-up
// threads and random plans never crash the planner or compiler, every SQL they emit passes the
// guard with its values as parameters, and a sample runs on the real demo shop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeSample, fuzz } from '../../bench/fuzz.ts';
import type { Db } from '../../src/db/client.ts';
import { postgresDb } from '../../src/db/postgres.ts';
import { loadDemo } from '../../src/demo/load.ts';
import type { SchemaInfo } from '../../src/domain/types.ts';
import { discoverSchema } from '../../src/pipeline/schema.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/services.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20_240_601);
let database: TestDatabase;
let db: Db;
let schema: SchemaInfo;

beforeAll(async () => {
  database = await createTestDatabase();
  db = postgresDb(database.url, { max: 2 });
  await loadDemo(db, { scale: 0.02 });
  schema = await discoverSchema(db);
}, 120_000);

afterAll(async () => {
  await db?.close();
  await database?.drop();
});

describe('fuzz', () => {
  it(`finds nothing in 500 questions and 500 random plans (seed ${SEED})`, async () => {
    const report = await fuzz({ seed: SEED, questions: 500, plans: 500, schema });
    expect(report.findings).toEqual([]);
    expect(report.questions).toBe(500);
    expect(report.followUps).toBeGreaterThan(50);
    expect(report.planned).toBeGreaterThan(100);
    expect(report.compiled).toBeGreaterThan(300);
    expect(report.guarded).toBe(report.planned + report.compiled - report.malformedRefused);

    // What the planner writes from real questions, the database accepts; random plans may
    // be rejected (a text value for a number column), but only with a typed error.
    const planner = await executeSample(db, report.sample.questions);
    expect(planner.findings).toEqual([]);
    expect(planner.rejected).toBe(0);
    expect(planner.ran).toBe(report.sample.questions.length);
    expect((await executeSample(db, report.sample.plans)).findings).toEqual([]);
  }, 60_000);
});
