// A new user's first answers on their own database, run as they would run them: the real binary
// in child processes, `--database-url` and nothing else. Only the embedded memory is made (no
// demo shop), processes started together on one data directory take turns with it, and a reader
// that stops early is no failure.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresDb } from '../../src/db/postgres.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/services.ts';

const BIN = new URL('../../bin/quarry.js', import.meta.url).pathname;
const MB = 1024 * 1024;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function quarry(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        // Nothing else set: no MEMORY_DATABASE_URL, no REDIS_URL, no model.
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'error', ...env },
        timeout: 120_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Bytes of every file under `dir`. */
async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

describe('quarry ask on your own database, nothing else configured', () => {
  let shop: TestDatabase;
  let dataDir: string;

  beforeAll(async () => {
    shop = await createTestDatabase();
    const db = postgresDb(shop.url);
    try {
      await loadDemo(db, { scale: 0.02 });
    } finally {
      await db.close();
    }
    dataDir = await mkdtemp(join(tmpdir(), 'quarry-cli-start-'));
  }, 60_000);

  afterAll(async () => {
    await shop?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('embeds only the memory on a fresh data directory: no demo shop, at most 50 MB', async () => {
    const run = await quarry(['ask', 'how many customers', '--database-url', shop.url], {
      QUARRY_DATA_DIR: dataDir,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Customers: [\d,]+/);
    const embedded = await readdir(join(dataDir, 'embedded'));
    expect(embedded).toContain('memory');
    expect(embedded).not.toContain('target');
    expect(embedded).not.toContain('demo.json');
    expect(embedded.filter((n) => n.endsWith('.lock'))).toEqual([]);
    const size = await sizeOf(dataDir);
    console.log(`data directory after the first answer: ${(size / MB).toFixed(1)} MB`);
    expect(size).toBeLessThanOrEqual(50 * MB);
  }, 120_000);

  it('answers three questions started at once on one data directory, each in its turn', async () => {
    const questions = ['how many customers', 'how many orders', 'how many products'];
    const runs = await Promise.all(
      questions.map((q) => quarry(['ask', q, '--database-url', shop.url], { QUARRY_DATA_DIR: dataDir })),
    );
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      // Anything said on stderr is a process saying which store it waits for.
      for (const line of run.stderr.split('\n').filter(Boolean))
        expect(line).toMatch(
          /^Waiting for Quarry's embedded memory, in use by Quarry process \d+ \(up to 30 s\)…$/,
        );
    }
    expect(runs.map((r) => r.stdout.split('\n')[0])).toEqual([
      expect.stringMatching(/^Customers: /),
      expect.stringMatching(/^Orders: /),
      expect.stringMatching(/^Products: /),
    ]);
  }, 120_000);

  it('answers three questions started at once on a data directory with no store yet', async () => {
    const fresh = await mkdtemp(join(tmpdir(), 'quarry-cli-start-race-'));
    try {
      const runs = await Promise.all(
        ['how many customers', 'how many orders', 'how many products'].map((q) =>
          quarry(['ask', q, '--database-url', shop.url], { QUARRY_DATA_DIR: fresh }),
        ),
      );
      for (const run of runs) expect(run.code, run.stderr).toBe(0);
      expect(runs.map((r) => r.stdout.split('\n')[0])).toEqual([
        expect.stringMatching(/^Customers: /),
        expect.stringMatching(/^Orders: /),
        expect.stringMatching(/^Products: /),
      ]);
      // One store was made, by whichever came first, and nothing was left half made.
      expect((await readdir(join(fresh, 'embedded'))).sort()).toEqual(['memory']);
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  }, 120_000);

  it('finishes quietly, exit 0, when the reader of its output stops early (`| head -1`)', async () => {
    const child = spawn(process.execPath, [BIN, 'ask', 'how many orders', '--database-url', shop.url], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        LOG_LEVEL: 'error',
        QUARRY_DATA_DIR: dataDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The pipe is closed before the answer is written: every write meets EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // The store was closed and unlocked as after any answer.
    expect((await readdir(join(dataDir, 'embedded'))).filter((n) => n.endsWith('.lock'))).toEqual([]);
  }, 60_000);

  it('gives up after the bounded wait with one sentence naming the store', async () => {
    const { lockStore } = await import('../../src/embedded/storeLock.ts');
    const release = await lockStore({
      store: 'memory',
      path: join(dataDir, 'embedded', 'memory.lock'),
      waitMs: 0,
    });
    try {
      const run = await quarry(['ask', 'how many customers', '--database-url', shop.url], {
        QUARRY_DATA_DIR: dataDir,
        QUARRY_EMBEDDED_WAIT_SECONDS: '1',
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        new RegExp(
          `^Waiting for Quarry's embedded memory, in use by Quarry process ${process.pid} \\(up to 1 s\\)…\n` +
            `quarry: Quarry's embedded memory is in use by Quarry process ${process.pid} after 1 s of waiting\\. ` +
            'Close that one, raise QUARRY_EMBEDDED_WAIT_SECONDS, or set MEMORY_DATABASE_URL to keep the memory in PostgreSQL\\.\n$',
        ),
      );
    } finally {
      await release();
    }
  }, 60_000);
});
