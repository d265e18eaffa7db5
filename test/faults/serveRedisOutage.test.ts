// `quarry serve` (the real binary, in a child process) while its Redis goes away twice and comes
// back: everything it writes to stderr is its JSON log — no raw stack traces from the queue's
// or the clients' connections — and each outage is logged once per Redis client set (the
// short-term memory, the digest queue) however many times they retry, and its end once.
// Redis is this file's own server, stopped by its pid; the databases are this file's own.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../helpers/fakeSlack.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/services.ts';
import { freePort } from '../helpers/throwawayPostgres.ts';
import { startThrowawayRedis, type ThrowawayRedis } from '../helpers/throwawayRedis.ts';

const BIN = new URL('../../bin/quarry.js', import.meta.url).pathname;
const SECRET = '0123456789abcdef0123456789abcdef';
/** Longer than several reconnect attempts of every client (they retry within seconds). */
const DOWN_FOR_MS = 7000;

let fake: FakeSlack;
let target: TestDatabase;
let memory: TestDatabase;
let redis: ThrowawayRedis;
let dataDir: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  [fake, target, memory, redis] = await Promise.all([
    startFakeSlack(),
    createTestDatabase(),
    createTestDatabase({ vector: true }),
    startThrowawayRedis(),
  ]);
  dataDir = await mkdtemp(join(tmpdir(), 'quarry-outage-'));
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = once(child, 'exit');
    process.kill(child.pid!, 'SIGKILL');
    await exited;
  }
  await Promise.all([fake?.close(), target?.drop(), memory?.drop(), redis?.stop()]);
  await rm(dataDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface LogLine {
  level: number;
  msg: string;
  surface?: string;
}

describe('quarry serve while Redis goes away', () => {
  it('logs each outage once through its JSON log, and nothing else on stderr', async () => {
    const port = await freePort();
    child = spawn(process.execPath, [BIN, 'serve'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        LOG_LEVEL: 'info',
        QUARRY_DATA_DIR: dataDir,
        DATABASE_URL: target.url,
        MEMORY_DATABASE_URL: memory.url,
        REDIS_URL: redis.url,
        SLACK_BOT_TOKEN: 'xoxb-outage',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: fake.apiUrl,
        PORT: String(port),
      },
    });
    let stderr = '';
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    const deadline = Date.now() + 30_000;
    while (!stderr.includes('listening for Slack events')) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`serve did not start:\n${stderr}`);
      await sleep(100);
    }

    for (let outage = 0; outage < 2; outage++) {
      await redis.stop();
      await sleep(DOWN_FOR_MS);
      await redis.start();
      await sleep(DOWN_FOR_MS);
    }
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    expect((await exited)[0]).toBe(0);

    const raw = stderr.split('\n').filter((l) => l.trim());
    const notJson = raw.filter((l) => {
      try {
        return typeof JSON.parse(l) !== 'object';
      } catch {
        return true;
      }
    });
    expect(notJson, stderr).toEqual([]);
    const lines = raw.map((l) => JSON.parse(l) as LogLine);
    const lost = lines.filter((l) => /Redis is unreachable/.test(l.msg));
    const back = lines.filter((l) => /Redis is reachable again/.test(l.msg));
    // Two outages, each said once by the short-term memory and once by the digest queue.
    expect(lost.map((l) => l.msg).sort(), stderr).toEqual([
      'digest queue: Redis is unreachable; retrying until it is back',
      'digest queue: Redis is unreachable; retrying until it is back',
      'short-term memory: Redis is unreachable; retrying until it is back',
      'short-term memory: Redis is unreachable; retrying until it is back',
    ]);
    expect(back).toHaveLength(4);
    // Nothing else about the connection: no line per retry.
    const other = lines.filter((l) => l.level >= 40 && !lost.includes(l));
    expect(
      other.map((l) => l.msg),
      stderr,
    ).toEqual([]);
  }, 120_000);
});
