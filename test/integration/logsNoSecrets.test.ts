// Everything Quarry logs during a realistic run — answers, follow-ups, refusals, a timeout,
// a model that fails, the doctor — with passwords in the connection strings, Slack-like
// tokens and an API key in the configuration, at the most verbose level. The captured logs
// must hold none of the secrets, no row values and no values of a denied column; the answers
// on stdout show the rows (so the run really read them) but no secret and no denied value.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { postgresDb } from '../../src/db/postgres.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fakeOpenAI.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/services.ts';
import { startThrowawayRedis, type ThrowawayRedis } from '../helpers/throwawayRedis.ts';

const SECRETS = {
  targetPassword: 'TargetPassw0rd-s3cret',
  memoryPassword: 'MemoryPassw0rd-s3cret',
  botToken: 'xoxb-1111-2222-SECRETBOTTOKEN',
  appToken: 'xapp-1-A111-SECRETAPPTOKEN',
  signingSecret: '0123456789abcdef0123456789abcdef',
  apiKey: 'sk-test-SECRETOPENAIKEY',
};
/** A row value the answers show, and a value of the denied column customers.email. */
const ROW_VALUE = 'Qzv Rowvalue Canary';
const MASKED_VALUE = 'masked-canary-4412@example.test';

const QUESTIONS = [
  'total sales last month',
  'now break that down by product category',
  'list customers',
  'show customer emails',
  'how many nightly reports',
  'what is the airspeed velocity of an unladen swallow',
  'which customers have a numeric name',
  'SELECT pg_sleep(10); DROP TABLE orders',
];

let target: TestDatabase;
let memory: TestDatabase;
let owner: Db;
let redis: ThrowawayRedis;
let model: FakeOpenAI;
let dataDir: string;

function withPassword(url: string, password: string): string {
  const u = new URL(url);
  u.password = password;
  return u.toString();
}

function runQuarry(
  args: string[],
  env: Record<string, string>,
  stdin = '',
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', ['bin/quarry.js', ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', () => resolve({ stdout, stderr }));
    child.stdin.end(stdin);
  });
}

beforeAll(async () => {
  [target, memory, redis, model] = await Promise.all([
    createTestDatabase(),
    createTestDatabase({ vector: true }),
    startThrowawayRedis(),
    startFakeOpenAI(),
  ]);
  owner = postgresDb(target.url, { max: 1 });
  await loadDemo(owner, { scale: 0.01 });
  await owner.exec(`UPDATE customers SET name = '${ROW_VALUE}', email = '${MASKED_VALUE}' WHERE id = 1;
    CREATE VIEW nightly_reports AS SELECT g AS id FROM generate_series(1, 2000000000) AS g`);
  dataDir = await mkdtemp(join(tmpdir(), 'quarry-logs-'));
}, 120_000);

afterAll(async () => {
  await owner?.close();
  await Promise.all([target?.drop(), memory?.drop(), redis?.stop(), model?.close()]);
  await rm(dataDir, { recursive: true, force: true });
});

describe('logs of a realistic run', () => {
  it('hold no secret, no row value and no denied value', async () => {
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATABASE_URL: withPassword(target.url, SECRETS.targetPassword),
      MEMORY_DATABASE_URL: withPassword(memory.url, SECRETS.memoryPassword),
      REDIS_URL: redis.url,
      SLACK_BOT_TOKEN: SECRETS.botToken,
      SLACK_APP_TOKEN: SECRETS.appToken,
      SLACK_SIGNING_SECRET: SECRETS.signingSecret,
      OPENAI_API_KEY: SECRETS.apiKey,
      OPENAI_BASE_URL: model.baseURL,
      QUARRY_DENY: 'customers.email',
      QUARRY_STATEMENT_TIMEOUT_MS: '1000',
      QUARRY_DATA_DIR: dataDir,
      LOG_LEVEL: 'trace',
    };
    // The model fails, then keeps writing a read whose error message quotes row values.
    model.script(
      { status: 500 },
      { status: 500 },
      { status: 500 },
      ...Array.from({ length: 3 }, () => ({
        tool: { action: 'sql', explanation: 'names as numbers', sql: 'SELECT name::int AS n FROM customers' },
      })),
    );
    const chat = await runQuarry(
      ['chat', '--format', 'jsonl', '--user', 'U_logs'],
      env,
      `${QUESTIONS.join('\n')}\n`,
    );
    const doctor = await runQuarry(['doctor'], env);

    // The run did what it should: every question answered or refused in JSON, rows shown,
    // the model asked, and the logs are there to scan.
    const answers = chat.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { error: { kind: string } | null });
    expect(answers).toHaveLength(QUESTIONS.length);
    expect(answers.map((a) => a.error?.kind ?? null)).toContain('timeout');
    expect(chat.stdout).toContain(ROW_VALUE);
    expect(model.requests.length).toBeGreaterThan(0);
    const logLines = chat.stderr.split('\n').filter((l) => l.startsWith('{'));
    expect(logLines.length).toBeGreaterThan(3);
    expect(doctor.stdout).toContain('Quarry doctor');
    // Each question's lines carry its own request id, so one answer's story can be read alone.
    const failures = logLines
      .map((l) => JSON.parse(l) as { msg: string; requestId?: string })
      .filter((l) => l.msg === 'question failed');
    expect(failures.length).toBeGreaterThan(1);
    for (const f of failures) expect(f.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(failures.map((f) => f.requestId)).size).toBe(failures.length);

    const logs = chat.stderr + doctor.stderr;
    for (const [name, secret] of Object.entries(SECRETS)) {
      expect(logs, `${name} in the logs`).not.toContain(secret);
      expect(chat.stdout + doctor.stdout, `${name} in the output`).not.toContain(secret);
    }
    const rowValues = (await owner.query<{ name: string }>('SELECT name FROM customers')).map((r) => r.name);
    expect(rowValues).toContain(ROW_VALUE);
    for (const value of rowValues) expect(logs, 'a row value in the logs').not.toContain(value);
    expect(logs + chat.stdout + doctor.stdout).not.toContain(MASKED_VALUE);
  }, 120_000);
});
