// The command-line contract (docs/architecture.md#the-command-line-contract), run as a person or a
// script runs it: the real binary in a child process, against real PostgreSQL and the embedded
// default.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresDb } from '../../src/db/postgres.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/services.ts';

const BIN = new URL('../../bin/quarry.js', import.meta.url).pathname;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function quarry(args: string[], env: Record<string, string> = {}, input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'error', ...env },
        timeout: 120_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input ?? '');
  });
}

/** One sentence on stderr, never a stack trace. */
function expectOneClearLine(run: Run) {
  const lines = run.stderr.trim().split('\n');
  expect(run.code).not.toBe(0);
  expect(lines.some((l) => /^\s+at /.test(l))).toBe(false);
  expect(lines[0]!.length).toBeGreaterThan(10);
}

describe('quarry command line', () => {
  let shop: TestDatabase;
  let memory: TestDatabase;
  let dataDir: string;
  const env = () => ({ QUARRY_DATA_DIR: dataDir, MEMORY_DATABASE_URL: memory.url });

  beforeAll(async () => {
    [shop, memory] = await Promise.all([createTestDatabase(), createTestDatabase({ vector: true })]);
    dataDir = await mkdtemp(join(tmpdir(), 'quarry-cli-'));
  });

  afterAll(async () => {
    await Promise.all([shop?.drop(), memory?.drop()]);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints the version of the package and lists the exit codes in --help', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    const version = await quarry(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(pkg.version);
    const help = await quarry(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /Exit codes:\n\s+0\s+answered\n\s+2\s+not understood.*\n\s+1\s+any other failure/,
    );
  });

  it('loads the demo shop, and loading twice leaves the same data', async () => {
    const first = await quarry(['demo', 'load', '--database-url', shop.url, '--scale', '0.05']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Loaded the demo shop in [\d.]+ s: [\d,]+ customers/);
    const db = postgresDb(shop.url);
    // Today's orders are spread over the part of today already past, so only their times move
    // with the clock; everything else is identical.
    const digest = async () =>
      (
        await db.query<{ h: string }>(
          `SELECT md5(string_agg(concat_ws('|', o.id, o.customer_id, o.status, o.total,
             CASE WHEN o.created_at < date_trunc('day', now()) THEN o.created_at::text END), ',' ORDER BY o.id)) AS h
           FROM orders o`,
        )
      )[0]!.h;
    const before = await digest();
    const again = await quarry(['demo', 'load', '--database-url', shop.url, '--scale', '0.05']);
    expect(again.code).toBe(0);
    expect(await digest()).toBe(before);
    await db.close();
  }, 120_000);

  it('migrates an empty memory database, and a second run does nothing', async () => {
    const empty = await createTestDatabase();
    try {
      const first = await quarry(['migrate', '--database-url', empty.url]);
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/Applied \d+ migration/);
      const second = await quarry(['migrate', '--database-url', empty.url]);
      expect(second.stdout).toContain('Already up to date.');
    } finally {
      await empty.drop();
    }
  });

  it('prints the JSON contract and exits 0 for an answer, 2 for a question it does not understand', async () => {
    const ok = await quarry(
      ['ask', 'How many customers do we have?', '--database-url', shop.url, '--format', 'json'],
      env(),
    );
    expect(ok.code).toBe(0);
    const json = JSON.parse(ok.stdout);
    expect(Object.keys(json).sort()).toEqual(
      [
        'assumptions',
        'chart',
        'columns',
        'error',
        'notes',
        'question',
        'row_count',
        'rows',
        'source',
        'sql',
        'summary',
        'timings',
        'truncated',
        'truncated_by',
      ].sort(),
    );
    expect(json.source).toBe('rules');
    expect(json.truncated).toBe(false);
    expect(json.truncated_by).toBeNull();
    expect(json.rows[0][0]).toBeGreaterThan(0);
    // The terminal's and Slack's headline, word for word.
    expect(json.summary).toBe(`Customers: ${json.rows[0][0].toLocaleString('en-US')}`);

    const unclear = await quarry(
      ['ask', 'What is the churn rate of subscribers?', '--database-url', shop.url, '--format', 'json'],
      env(),
    );
    expect(unclear.code).toBe(2);
    expect(JSON.parse(unclear.stdout).error.kind).toBe('not_understood');
  }, 60_000);

  it('writes the chart PNG with --chart', async () => {
    const file = join(dataDir, 'chart.png');
    const run = await quarry(
      [
        'ask',
        'Number of customers by country',
        '--database-url',
        shop.url,
        '--format',
        'json',
        '--chart',
        file,
      ],
      env(),
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).chart).toBe(file);
  }, 60_000);

  it('applies follow-ups in a piped thread, and answers a repeated question from memory', async () => {
    const thread = 'Show me total sales for last month\nNow break that down by product category\n';
    const chat = await quarry(
      ['chat', '--database-url', shop.url, '--format', 'jsonl', '--user', 'U1'],
      env(),
      thread,
    );
    expect(chat.code).toBe(0);
    const answers = chat.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(answers.map((a) => a.source)).toEqual(['rules', 'followup']);
    expect(answers[1].sql).toContain('products.category');

    const again = await quarry(
      [
        'ask',
        'Show me total sales for last month',
        '--database-url',
        shop.url,
        '--format',
        'json',
        '--user',
        'U1',
      ],
      env(),
    );
    expect(JSON.parse(again.stdout).source).toBe('memory');
  }, 60_000);

  it('answers a piped question on the embedded default with nothing configured', async () => {
    const run = await quarry(
      [],
      { QUARRY_DATA_DIR: join(dataDir, 'embedded-home') },
      'total sales last month\n',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Sales, last month \(1–\d\d \w{3} \d{4}\): \$[\d,]+\.\d\d/);
  }, 120_000);

  it('gives one clear sentence and a non-zero exit for bad input', async () => {
    expectOneClearLine(
      await quarry(['ask', 'x', '--database-url', 'postgres://nobody@127.0.0.1:1/none'], env()),
    );
    expectOneClearLine(await quarry(['ask', 'x'], { ...env(), DATABASE_URL: 'mysql://db/x' }));
    expectOneClearLine(
      await quarry(['ask', 'x', '--database-url', shop.url], { ...env(), REDIS_URL: 'redis://127.0.0.1:1' }),
    );
    expectOneClearLine(await quarry(['ask', '--formt', 'json', 'x']));
    expectOneClearLine(await quarry(['demo', 'load', '--database-url', shop.url, '--scale', 'abc']));
    const redis = await quarry(['ask', 'x', '--database-url', shop.url], {
      ...env(),
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(redis.stderr).toContain('REDIS_URL');
  }, 60_000);
});
