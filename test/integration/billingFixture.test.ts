// The billing evaluation fixture: a SaaS billing database unrelated to the demo shop, with
// questions and gold SQL. This checks the fixture itself: it loads, its totals are consistent,
// and every gold query runs and finds data, including those on relative time windows.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/services.ts';

interface GoldQuestion {
  question: string;
  gold_sql: string;
  category: string;
}

const CATEGORIES = ['aggregate', 'aggregate_time', 'breakdown', 'filter', 'top_n', 'trend'];

function read(name: string): string {
  return readFileSync(new URL(`../fixtures/billing/${name}`, import.meta.url), 'utf8');
}

function jsonLines<T>(name: string): T[] {
  return read(name)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

const questions = jsonLines<GoldQuestion>('questions.jsonl');
const unanswerable = jsonLines<{ question: string }>('unanswerable.jsonl');
const relative = questions.filter((q) => q.gold_sql.includes('now()'));
const topN = questions.filter((q) => /\bLIMIT \d+$/.test(q.gold_sql));

/** "over the last 12 months" → 12: a trend over whole periods should have a row for each. */
function expectedPeriods(q: GoldQuestion): number | undefined {
  if (q.category !== 'trend') return undefined;
  const m = /\blast (\d+) (day|week|month|quarter)s\b/.exec(q.question);
  return m ? Number(m[1]) : undefined;
}

function isNumeric(v: unknown): boolean {
  return typeof v === 'number' || (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v));
}

describe('billing evaluation fixture', () => {
  let db: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(read('schema.sql'));
    await client.query(read('data.sql'));
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('has enough well-formed questions in every category', () => {
    expect(questions.length).toBeGreaterThanOrEqual(35);
    expect(new Set(questions.map((q) => q.question.toLowerCase())).size).toBe(questions.length);
    for (const q of questions) {
      expect(CATEGORIES).toContain(q.category);
      expect(q.question.trim()).not.toBe('');
      expect(q.gold_sql.trim()).toMatch(/^SELECT /);
    }
    for (const c of CATEGORIES) expect(questions.filter((q) => q.category === c).length).toBeGreaterThan(0);
    expect(unanswerable).toHaveLength(5);
    for (const u of unanswerable) expect(u.question.trim()).not.toBe('');
  });

  it('loads a few hundred to a few thousand rows per table', async () => {
    const { rows } = await client.query<{ t: string; n: string }>(`
      SELECT 'accounts' AS t, count(*) AS n FROM accounts
      UNION ALL SELECT 'subscriptions', count(*) FROM subscriptions
      UNION ALL SELECT 'invoices', count(*) FROM invoices
      UNION ALL SELECT 'tbl_invoice_lines', count(*) FROM tbl_invoice_lines
      UNION ALL SELECT 'paymentAttempts', count(*) FROM "paymentAttempts"`);
    for (const r of rows) {
      expect(Number(r.n), r.t).toBeGreaterThanOrEqual(300);
      expect(Number(r.n), r.t).toBeLessThanOrEqual(10_000);
    }
    const plans = await client.query('SELECT count(*)::int AS n FROM plans');
    expect(plans.rows[0].n).toBe(5);
  });

  it('keeps money consistent across tables', async () => {
    const lines = await client.query(`
      SELECT count(*)::int AS n FROM invoices i
      WHERE i.amount IS DISTINCT FROM
        (SELECT sum(l.il_amount) FROM tbl_invoice_lines l WHERE l.il_invoice_id = i.id)`);
    expect(lines.rows[0].n).toBe(0);
    const lineMath = await client.query(
      'SELECT count(*)::int AS n FROM tbl_invoice_lines WHERE il_amount <> il_quantity * il_unit_price',
    );
    expect(lineMath.rows[0].n).toBe(0);
    const payments = await client.query(`
      SELECT count(*)::int AS n FROM invoices i
      WHERE (i.status = 'paid') <> (i.paid_at IS NOT NULL)
         OR (i.status = 'paid') <> EXISTS (
              SELECT 1 FROM "paymentAttempts" p
              WHERE p."invoiceId" = i.id AND p.outcome = 'succeeded' AND p.amount = i.amount)`);
    expect(payments.rows[0].n).toBe(0);
  });

  it('leaves invoices without declared foreign keys whose references still resolve', async () => {
    const fks = await client.query(`
      SELECT count(*)::int AS n FROM pg_constraint
      WHERE contype = 'f' AND conrelid = 'public.invoices'::regclass`);
    expect(fks.rows[0].n).toBe(0);
    const dangling = await client.query(`
      SELECT count(*)::int AS n FROM invoices i
      WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = i.account_id)
         OR NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.id = i.subscription_id AND s."accountId" = i.account_id)`);
    expect(dangling.rows[0].n).toBe(0);
  });

  it.each(questions)('gold SQL runs and returns rows: $question', async (q) => {
    const { rows } = await client.query(q.gold_sql);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('has relative-time questions', () => {
    expect(relative.length).toBeGreaterThanOrEqual(20);
  });

  it.each(relative)('relative-time window has data: $question', async (q) => {
    const { rows } = await client.query(q.gold_sql);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows as Record<string, unknown>[]) {
      for (const [column, value] of Object.entries(row)) {
        expect(value, column).not.toBeNull();
        if (isNumeric(value)) expect(Number(value), column).toBeGreaterThan(0);
      }
    }
    const periods = expectedPeriods(q);
    if (periods !== undefined) expect(rows).toHaveLength(periods);
  });

  it.each(topN)('top-N answer has no tie at the cut-off: $question', async (q) => {
    const match = /\bLIMIT (\d+)$/.exec(q.gold_sql)!;
    const n = Number(match[1]);
    const { rows, fields } = await client.query(q.gold_sql.replace(/\bLIMIT \d+$/, `LIMIT ${n + 1}`));
    if (rows.length <= n) return;
    const measure = fields[fields.length - 1]!.name;
    expect(String(rows[n - 1][measure])).not.toBe(String(rows[n][measure]));
  });
});
