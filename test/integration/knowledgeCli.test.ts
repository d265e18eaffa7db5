// `quarry knowledge check` and `quarry knowledge export` as a person runs them: the real binary
// in a child process against the demo shop and a memory database on the real PostgreSQL.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresDb } from '../../src/db/postgres.ts';
import { parseKnowledge } from '../../src/knowledge/knowledgeFile.ts';
import { migrate } from '../../src/memory/migrate.ts';
import { defineTerm } from '../../src/memory/teamDefinitions.ts';
import { verifyAnswer } from '../../src/memory/verifiedAnswers.ts';
import { loadDemoShop } from '../helpers/demoShop.ts';
import {
  BIG_TICKET_QUESTION,
  BIG_TICKET_SQL,
  DEMO_KNOWLEDGE,
  type KnowledgeDir,
  knowledgeDir,
  MISSING_COLUMN_KNOWLEDGE,
} from '../helpers/knowledgeFiles.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/services.ts';

const BIN = new URL('../../bin/quarry.js', import.meta.url).pathname;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('quarry knowledge', () => {
  let shop: TestDatabase;
  let memory: TestDatabase;
  let files: KnowledgeDir;
  let dataDir: string;

  const quarry = (args: string[], env: Record<string, string> = {}): Promise<Run> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [BIN, ...args],
        {
          env: {
            PATH: process.env.PATH ?? '',
            HOME: process.env.HOME ?? '/tmp',
            LOG_LEVEL: 'error',
            DATABASE_URL: shop.url,
            MEMORY_DATABASE_URL: memory.url,
            QUARRY_DATA_DIR: dataDir,
            ...env,
          },
          timeout: 120_000,
        },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    [shop, memory] = await Promise.all([createTestDatabase(), createTestDatabase({ vector: true })]);
    await loadDemoShop(shop.url, 0.02);
    files = await knowledgeDir();
    dataDir = await mkdtemp(join(tmpdir(), 'quarry-knowledge-cli-'));
  }, 120_000);

  afterAll(async () => {
    await Promise.all([shop?.drop(), memory?.drop()]);
    await files?.remove();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('check prints every entry and exits 0 on a good file', async () => {
    const file = await files.write('good.yml', DEMO_KNOWLEDGE);
    const run = await quarry(['knowledge', 'check'], { QUARRY_KNOWLEDGE: file });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/definitions\[0\] \("revenue"\)\s+ok\s+SUM\(orders\.total\)/);
    expect(run.stdout).toMatch(
      /verified\[0\] \("How many big-ticket orders did we have\?"\)\s+ok\s+1 row in \d+ ms/,
    );
    expect(run.stdout).toMatch(/synonyms\.patrons\s+ok/);
    expect(run.stdout).toContain('all 4 entries are good.');
  }, 60_000);

  it('answers a verified question with the team’s SQL, marked in JSON and in the terminal', async () => {
    const file = await files.write('answers.yml', DEMO_KNOWLEDGE);
    const json = await quarry(['ask', BIG_TICKET_QUESTION, '--format', 'json'], { QUARRY_KNOWLEDGE: file });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ source: 'verified', sql: BIG_TICKET_SQL, error: null });
    const text = await quarry(['ask', BIG_TICKET_QUESTION], { QUARRY_KNOWLEDGE: file });
    expect(text.stdout).toContain('✓ Verified by the data team');
  }, 60_000);

  it('check exits 1 naming the missing column, and any other command stops with one sentence', async () => {
    const file = await files.write('missing.yml', MISSING_COLUMN_KNOWLEDGE);
    const check = await quarry(['knowledge', 'check'], { QUARRY_KNOWLEDGE: file });
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(
      /definitions\[0\] \("revenue"\)\s+PROBLEM\s+the column orders\.grand_total is not in the database/,
    );
    expect(check.stdout).toContain('1 problem in 4 entries.');
    const ask = await quarry(['ask', 'revenue last month'], { QUARRY_KNOWLEDGE: file });
    expect(ask.code).toBe(1);
    expect(ask.stdout).toBe('');
    expect(ask.stderr.trim()).toBe(
      `quarry: ${file}: definitions[0] ("revenue"): the column orders.grand_total is not in the database; correct the SQL or remove the entry.`,
    );
  }, 60_000);

  it('export writes chat definitions and Slack verifications as a file Quarry reads', async () => {
    const db = postgresDb(memory.url);
    try {
      await migrate(db);
      await defineTerm(db, {
        teamId: 'T1',
        term: 'gmv',
        definition: 'all orders, cancelled included',
        createdBy: 'U1',
      });
      await verifyAnswer(db, {
        teamId: 'T1',
        question: 'How many customers are in Germany?',
        sql: "SELECT COUNT(*) FROM customers WHERE country = 'Germany'",
        answerId: 'a1',
        verifiedBy: 'U0DATAOWNER',
        embedding: null,
        embedder: 'none',
      });
    } finally {
      await db.close();
    }
    const run = await quarry(['knowledge', 'export']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('verified by U0DATAOWNER on');
    const k = parseKnowledge(run.stdout, 'export.yml');
    expect(k.definitions).toEqual([{ term: 'gmv', means: 'all orders, cancelled included' }]);
    expect(k.verified).toEqual([
      {
        question: 'How many customers are in Germany?',
        sql: "SELECT COUNT(*) FROM customers WHERE country = 'Germany'",
      },
    ]);
  }, 60_000);
});
