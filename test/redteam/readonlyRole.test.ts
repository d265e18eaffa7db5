// scripts/readonly-role.sql and `quarry doctor`: the role the script makes cannot write even
// with Quarry's guard out of the way, the doctor passes it and fails the owner, and Quarry
// answers through it.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/client.ts';
import { postgresDb } from '../../src/db/postgres.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { runDoctor } from '../../src/doctor/runDoctor.ts';
import { answer } from '../../src/pipeline/index.ts';
import { createTestDatabase, TEST_PG_ADMIN_URL, type TestDatabase, uniqueName } from '../helpers/services.ts';
import { openTestRuntime } from '../helpers/testRuntime.ts';

const run = promisify(execFile);
const reader = uniqueName('quarry_reader');
const group = uniqueName('quarry_readers');
let target: TestDatabase;
let memory: TestDatabase;
let owner: Db;
let readerUrl: string;
let canary: () => Promise<string>;

function urlAs(role: string, database: string): string {
  const u = new URL(TEST_PG_ADMIN_URL);
  u.username = role;
  u.password = 'reader-pass';
  u.pathname = `/${database}`;
  return u.toString();
}

async function doctorCli(databaseUrl: string): Promise<{ code: number; stdout: string }> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  try {
    const { stdout } = await run('node', ['bin/quarry.js', 'doctor', '--database-url', databaseUrl], { env });
    return { code: 0, stdout };
  } catch (e) {
    const failure = e as { code: number; stdout: string };
    return { code: failure.code, stdout: failure.stdout };
  }
}

beforeAll(async () => {
  [target, memory] = await Promise.all([createTestDatabase(), createTestDatabase({ vector: true })]);
  owner = postgresDb(target.url, { max: 2 });
  await loadDemo(owner, { scale: 0.01 });
  await owner.exec(
    "CREATE TABLE canary (id int PRIMARY KEY, note text); INSERT INTO canary VALUES (1, 'alpha')",
  );
  canary = async () => JSON.stringify(await owner.query('SELECT id, note FROM canary ORDER BY id'));
  await run('psql', [
    target.url,
    '-q',
    '-v',
    `reader=${reader}`,
    '-v',
    `group=${group}`,
    '-v',
    'password=reader-pass',
    '-v',
    'timeout=5s',
    '-f',
    'scripts/readonly-role.sql',
  ]);
  readerUrl = urlAs(reader, target.name);
}, 120_000);

afterAll(async () => {
  await owner?.close();
  await target?.drop();
  await memory?.drop();
  const admin = postgresDb(TEST_PG_ADMIN_URL, { max: 1 });
  await admin.exec(`DROP ROLE IF EXISTS ${reader}; DROP ROLE IF EXISTS ${group}`);
  await admin.close();
});

describe('the read-only role', () => {
  it('cannot write even when it turns its read-only default off', async () => {
    const db = postgresDb(readerUrl, { max: 1 });
    try {
      await expect(db.query('DELETE FROM canary')).rejects.toMatchObject({ code: '25006' });
      await db.session(async (s) => {
        await s.exec('SET default_transaction_read_only = off');
        await expect(s.query('DELETE FROM canary')).rejects.toMatchObject({ code: '42501' });
        await expect(s.query('CREATE TABLE public.hacked (id int)')).rejects.toMatchObject({ code: '42501' });
      });
      const [settings] = await db.query<{ timeout: string }>(
        "SELECT current_setting('statement_timeout') AS timeout",
      );
      expect(settings!.timeout).toBe('5s');
    } finally {
      await db.close();
    }
    expect(await canary()).toBe('[{"id":1,"note":"alpha"}]');
  });

  it('reads tables created after the script ran', async () => {
    await owner.exec('CREATE TABLE later (id int); INSERT INTO later VALUES (7)');
    const db = postgresDb(readerUrl, { max: 1 });
    try {
      expect(await db.query('SELECT id FROM later')).toEqual([{ id: 7 }]);
    } finally {
      await db.close();
    }
  });

  it('passes the doctor, which fails the owning role with exit code 1', async () => {
    const results = await runDoctor(loadConfig({ DATABASE_URL: readerUrl }));
    const targetChecks = results.filter((r) => r.area === 'Target database');
    expect(targetChecks.filter((r) => r.status === 'fail')).toEqual([]);
    expect(targetChecks.map((r) => r.title).join('\n')).toMatch(
      /cannot change data[\s\S]*refused \(read-only\)/,
    );

    const asReader = await doctorCli(readerUrl);
    expect(asReader.code).toBe(0);
    expect(asReader.stdout).not.toContain('reader-pass');
    const asOwner = await doctorCli(target.url);
    expect(asOwner.code).toBe(1);
    expect(asOwner.stdout).toMatch(/✗ role postgres can write: it is a superuser/);
    expect(asOwner.stdout).toContain('scripts/readonly-role.sql');
  });

  it('is what Quarry answers through', async () => {
    const runtime = await openTestRuntime({ DATABASE_URL: readerUrl, MEMORY_DATABASE_URL: memory.url });
    try {
      const a = await answer('how many orders', { teamId: 'T', userId: 'U' }, runtime.pipeline);
      expect(a.error).toBeNull();
      expect(Number(a.rows[0]![0])).toBeGreaterThan(0);
    } finally {
      await runtime.close();
    }
  });
});
