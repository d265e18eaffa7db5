// Generated traps on every dev set: each question the offline planner answers, with one part
// inserted (a negation, a number, a threshold on a total, "distinct", "per", a calendar
// period), must give a different plan or a question back — never the original plan, which
// would post the answer to a question nobody asked.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { postgresDb } from '../../src/db/postgres.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { planTables } from '../../src/domain/planParts.ts';
import type { QueryPlan, SchemaInfo } from '../../src/domain/types.ts';
import { readCases } from '../../src/eval/readCases.ts';
import { type TrapKind, trapsFor } from '../../src/eval/traps.ts';
import { planOffline } from '../../src/pipeline/planner/offline.ts';
import { discoverSchema } from '../../src/pipeline/schema.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/services.ts';

const now = new Date('2026-11-25T10:00:00Z');

function planned(question: string, schema: SchemaInfo): QueryPlan | null {
  try {
    return planOffline(question, { schema, defaultLimit: 100, now }).plan;
  } catch {
    return null; // declined
  }
}

interface TrapTally {
  answered: number;
  traps: number;
  kinds: Set<TrapKind>;
  /** Traps answered with the original plan. */
  missed: string[];
}

async function springTraps(file: string, schema: SchemaInfo): Promise<TrapTally> {
  const tally: TrapTally = { answered: 0, traps: 0, kinds: new Set(), missed: [] };
  for (const c of await readCases(file)) {
    const [question, ...followUps] = c.questions;
    if (!question || followUps.length) continue;
    const original = planned(question, schema);
    if (!original) continue;
    tally.answered += 1;
    // "How many meals" already counts distinct meal codes: "distinct" adds nothing to read.
    const countsDistinct = original.measures.some((m) => m.agg === 'count_distinct');
    for (const trap of trapsFor(question, schema, planTables(original))) {
      if (trap.kind === 'distinct' && countsDistinct) continue;
      tally.traps += 1;
      tally.kinds.add(trap.kind);
      const plan = planned(trap.question, schema);
      if (plan && JSON.stringify(plan) === JSON.stringify(original))
        tally.missed.push(`${trap.kind}: ${trap.question}`);
    }
  }
  return tally;
}

interface DevSet {
  name: string;
  file: string;
  load: (db: Db) => Promise<void>;
}

const sqlFile = (path: string) => async (db: Db) => db.exec(await readFile(path, 'utf8'));

const SETS: DevSet[] = [
  {
    name: 'demo',
    file: 'test/fixtures/demo/questions.dev.jsonl',
    load: async (db) => void (await loadDemo(db, { scale: 0.1 })),
  },
  {
    name: 'billing',
    file: 'test/fixtures/billing/questions.jsonl',
    load: async (db) => {
      await sqlFile('test/fixtures/billing/schema.sql')(db);
      await sqlFile('test/fixtures/billing/data.sql')(db);
    },
  },
  ...['academic', 'advising', 'atis', 'scholar', 'yelp'].map((name) => ({
    name,
    file: `test/fixtures/defog/${name}/questions.jsonl`,
    load: sqlFile(`test/fixtures/defog/${name}/schema.sql`),
  })),
];

describe.each(SETS)('traps on the $name questions', ({ file, load }) => {
  let database: TestDatabase;
  let db: Db;
  let schema: SchemaInfo;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = postgresDb(database.url);
    await load(db);
    await db.exec('ANALYZE');
    schema = await discoverSchema(db);
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it('never answers a trap with the plan of the question it was made from', async () => {
    const tally = await springTraps(file, schema);
    expect(tally.missed).toEqual([]);
    // Every answered question yields traps, so the check cannot pass by making none.
    if (tally.answered) expect(tally.traps).toBeGreaterThanOrEqual(tally.answered * 3);
  }, 60_000);
});
