// The data team's knowledge file on the demo shop: its definitions, synonyms, verified questions
// and hidden columns change answers; a file that names what the database lacks stops Quarry.
// Real PostgreSQL + pgvector, in-process kv.

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../../src/pipeline/index.ts';
import { SET_ASIDE_NOTE } from '../../src/pipeline/verifiedAnswer.ts';
import type { Runtime } from '../../src/runtime.ts';
import { type DemoRuntime, openDemoRuntime } from '../helpers/demoRuntime.ts';
import {
  BIG_TICKET_QUESTION,
  BIG_TICKET_SQL,
  DATA_OWNER,
  DEMO_KNOWLEDGE,
  type KnowledgeDir,
  knowledgeDir,
  MISSING_COLUMN_KNOWLEDGE,
} from '../helpers/knowledgeFiles.ts';
import { openTestRuntime } from '../helpers/testRuntime.ts';

async function queryOne<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows[0]!;
  } finally {
    await client.end();
  }
}

const LAST_MONTH = `created_at >= date_trunc('month', now()) - interval '1 month' AND created_at < date_trunc('month', now())`;

describe('the knowledge file', () => {
  let files: KnowledgeDir;
  let demo: DemoRuntime;
  let runtime: Runtime;
  let file: string;
  let n = 0;
  const ask = (q: string, user = 'U1', team = 'T1') =>
    answer(
      q,
      { teamId: team, userId: user, session: { teamId: team, channelId: 'C', threadTs: `t${++n}` } },
      runtime.pipeline,
    );
  const reopen = async (text: string) => {
    await runtime.close();
    const path = await files.write(`quarry-${++n}.yml`, text);
    runtime = await openTestRuntime({
      DATABASE_URL: demo.target.url,
      MEMORY_DATABASE_URL: demo.memory.url,
      QUARRY_KNOWLEDGE: path,
    });
  };

  beforeAll(async () => {
    files = await knowledgeDir();
    file = await files.write('quarry.yml', DEMO_KNOWLEDGE);
    demo = await openDemoRuntime({ env: { QUARRY_KNOWLEDGE: file } });
    runtime = demo.runtime;
  }, 120_000);

  afterAll(async () => {
    await demo?.close();
    await files?.remove();
  });

  it('answers a verified question, and a paraphrase of it, with the team’s SQL', async () => {
    const expected = await queryOne<{ n: string }>(
      demo.target.url,
      "SELECT COUNT(*) AS n FROM orders WHERE total > 500 AND status <> 'cancelled'",
    );
    for (const q of [
      BIG_TICKET_QUESTION,
      'how many big ticket orders did we have',
      'How many big-ticket orders have we had?',
    ]) {
      const a = await ask(q);
      expect(a.error, q).toBeNull();
      expect(a.source, q).toBe('verified');
      expect(a.sql, q).toBe(BIG_TICKET_SQL);
      expect(a.verified, q).toEqual({});
      expect(String(a.rows[0]![0]), q).toBe(expected.n);
    }
  });

  it('refuses a request to change data that resembles a verified question', async () => {
    const a = await ask('Delete how many big-ticket orders did we have');
    expect(a.source).toBeNull();
    expect(a.error?.kind).toBe('write_refused');
  });

  it('computes revenue from completed orders only, as the file defines it', async () => {
    const a = await ask('revenue last month');
    expect(a.error).toBeNull();
    expect(a.sql).toContain('SUM(orders.total)');
    expect(a.sql).toContain("orders.status = 'completed'");
    expect(a.assumptions.join(' ')).toContain("the data team's definition");
    const completed = await queryOne<{ v: string }>(
      demo.target.url,
      `SELECT SUM(total) AS v FROM orders WHERE status = 'completed' AND ${LAST_MONTH}`,
    );
    const all = await queryOne<{ v: string }>(
      demo.target.url,
      `SELECT SUM(total) AS v FROM orders WHERE ${LAST_MONTH}`,
    );
    expect(Number(a.rows[0]![0])).toBeCloseTo(Number(completed.v), 2);
    expect(Number(completed.v)).toBeLessThan(Number(all.v));
  });

  it('keeps the defined measure in a follow-up', async () => {
    const session = { teamId: 'T1', channelId: 'C', threadTs: 'follow' };
    const ctx = { teamId: 'T1', userId: 'U5', session };
    await answer('revenue last month', ctx, runtime.pipeline);
    const byCountry = await answer('now by country', ctx, runtime.pipeline);
    expect(byCountry.source).toBe('followup');
    expect(byCountry.sql).toContain('SUM(orders.total)');
    expect(byCountry.sql).toContain("orders.status = 'completed'");
  });

  it('wins over a chat definition of the same word', async () => {
    await ask('remember that revenue means shipped orders');
    const a = await ask('revenue last month', 'U2');
    expect(a.sql).toContain("orders.status = 'completed'");
    expect(a.sql).not.toContain('shipped');
  });

  it('reads a synonym as the table it names, and never reads a hidden column', async () => {
    const a = await ask('how many patrons do we have');
    expect(a.error).toBeNull();
    expect(a.sql).toMatch(/FROM customers/);
    const email = await ask('list customer emails');
    expect(email.sql ?? '').not.toContain('email');
  });

  it('names rows by the column the file labels them with', async () => {
    const before = await ask('top 5 customers by sales');
    expect(before.sql).toContain('customers.name');
    await reopen(DEMO_KNOWLEDGE.replace('labels: { customers: name }', 'labels: { customers: city }'));
    const after = await ask('top 3 customers by sales', 'U9');
    expect(after.error).toBeNull();
    expect(after.sql).toContain('customers.city');
    expect(after.source).toBe('rules');
    expect(after.sql).not.toContain('customers.name');
    await reopen(DEMO_KNOWLEDGE);
  }, 60_000);

  it('retires the patterns built on a definition the file changed', async () => {
    for (let i = 0; i < 3; i++) await ask('revenue last month', 'U7');
    await new Promise((r) => setTimeout(r, 300));
    expect((await ask('revenue last month', 'U7')).source).toBe('memory');
    await reopen(
      DEMO_KNOWLEDGE.replace("orders.status = 'completed'", "orders.status IN ('completed', 'shipped')"),
    );
    const a = await ask('revenue last month', 'U7');
    expect(a.source).toBe('rules');
    expect(a.sql).toContain('shipped');
  }, 60_000);

  it('sets a verified question aside when its SQL fails, says so, and plans it afresh after', async () => {
    const target = new pg.Client({ connectionString: demo.target.url });
    await target.connect();
    try {
      await target.query('ALTER TABLE orders RENAME COLUMN status TO state');
      const failed = await ask(BIG_TICKET_QUESTION);
      expect(failed.source).not.toBe('verified');
      expect(failed.notes).toContain(SET_ASIDE_NOTE);
      expect(failed.setAside).toMatchObject({ question: BIG_TICKET_QUESTION, notify: [DATA_OWNER] });
      const after = await ask(BIG_TICKET_QUESTION);
      expect(after.source).not.toBe('verified');
      expect(after.setAside).toBeUndefined();
    } finally {
      await target.query('ALTER TABLE orders RENAME COLUMN state TO status').catch(() => {});
      await target.end();
    }
  });

  it('stops with one sentence naming the file and the missing column', async () => {
    const bad = await files.write('missing.yml', MISSING_COLUMN_KNOWLEDGE);
    await expect(
      openTestRuntime({
        DATABASE_URL: demo.target.url,
        MEMORY_DATABASE_URL: demo.memory.url,
        QUARRY_KNOWLEDGE: bad,
      }),
    ).rejects.toThrow(
      /missing\.yml: definitions\[0\] \("revenue"\): the column orders\.grand_total is not in the database; correct the SQL/,
    );
  }, 60_000);
});
