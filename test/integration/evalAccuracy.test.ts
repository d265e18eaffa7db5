// Execution accuracy of the offline planner on the demo shop, the separately written billing
// schema and the five public defog databases, against real PostgreSQL: a regression guard for
// the planner, and the gate on the worst outcome — on every set, at most 5% of questions are
// answered wrongly.

import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { postgresDb } from '../../src/db/postgres.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { readCases } from '../../src/eval/readCases.ts';
import { runEval } from '../../src/eval/runEval.ts';
import { createLogger } from '../../src/log.ts';
import type { PipelineServices } from '../../src/pipeline/index.ts';
import { memorySchemaLayer } from '../../src/pipeline/schema/cacheLayers.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/services.ts';

const log = createLogger('silent');
const DEFOG = ['academic', 'advising', 'atis', 'scholar', 'yelp'];

/** At most 5% of a set's questions may be answered wrongly. */
const wrongAllowed = (questions: number) => Math.floor(0.05 * questions);
const services = (target: Db): PipelineServices => ({
  target,
  schemaLayers: [memorySchemaLayer()],
  limits: { statementTimeoutMs: 15_000, maxRows: 1000 },
  log,
});

describe('execution accuracy', () => {
  let shopDb: TestDatabase;
  let billingDb: TestDatabase;
  let shop: Db;
  let billing: Db;

  beforeAll(async () => {
    [shopDb, billingDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    shop = postgresDb(shopDb.url);
    billing = postgresDb(billingDb.url);
    await loadDemo(shop, { scale: 0.1 });
    const dir = new URL('../fixtures/billing/', import.meta.url);
    await billing.exec(await readFile(new URL('schema.sql', dir), 'utf8'));
    await billing.exec(await readFile(new URL('data.sql', dir), 'utf8'));
    await billing.exec('ANALYZE');
  }, 120_000);

  afterAll(async () => {
    await Promise.all([shop?.close(), billing?.close()]);
    await Promise.all([shopDb?.drop(), billingDb?.drop()]);
  });

  it('answers at least 90% of the demo questions correctly', async () => {
    const report = await runEval(await readCases('test/fixtures/demo/questions.dev.jsonl'), services(shop), {
      teamId: 'T',
      userId: 'U',
    });
    expect(report.overall.total).toBe(24);
    expect(report.overall.correct / report.overall.total).toBeGreaterThanOrEqual(0.9);
    expect(report.overall.wrong).toBeLessThanOrEqual(wrongAllowed(report.overall.total));
  }, 60_000);

  it('answers at least 90% of the billing questions and declines the unanswerable ones', async () => {
    const report = await runEval(
      await readCases('test/fixtures/billing/questions.jsonl'),
      services(billing),
      {
        teamId: 'T',
        userId: 'U',
      },
    );
    expect(report.overall.correct / report.overall.total).toBeGreaterThanOrEqual(0.9);
    expect(report.overall.wrong).toBeLessThanOrEqual(wrongAllowed(report.overall.total));
    const unanswerable = (await readFile('test/fixtures/billing/unanswerable.jsonl', 'utf8'))
      .trim()
      .split('\n')
      .map((l) => ({ questions: [(JSON.parse(l) as { question: string }).question], goldSql: ['SELECT 1'] }));
    const declined = await runEval(unanswerable, services(billing), { teamId: 'T', userId: 'U' });
    expect(declined.overall.declined).toBe(unanswerable.length);
  }, 60_000);

  describe.each(DEFOG)('on the defog %s database, never seen while tuning', (name) => {
    let database: TestDatabase;
    let db: Db;

    beforeAll(async () => {
      database = await createTestDatabase();
      db = postgresDb(database.url);
      await db.exec(await readFile(`test/fixtures/defog/${name}/schema.sql`, 'utf8'));
      await db.exec('ANALYZE');
    }, 60_000);

    afterAll(async () => {
      await db?.close();
      await database?.drop();
    });

    it('answers wrongly at most 5% of its questions', async () => {
      const cases = await readCases(`test/fixtures/defog/${name}/questions.jsonl`);
      const report = await runEval(cases, services(db), { teamId: 'T', userId: 'U' });
      expect(report.overall.total).toBe(cases.length);
      expect(report.overall.error).toBe(0);
      const wrong = report.results.filter((r) => r.outcome === 'wrong').map((r) => r.question);
      expect(wrong.length, `wrong: ${wrong.join(' | ')}`).toBeLessThanOrEqual(wrongAllowed(cases.length));
    }, 120_000);
  });
});
