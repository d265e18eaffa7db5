// `quarry serve` as a person runs it: the real binary in a child process, its Web API calls
// going to a local fake Slack.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../helpers/fakeSlack.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/services.ts';

const BIN = new URL('../../bin/quarry.js', import.meta.url).pathname;
const SECRET = '0123456789abcdef0123456789abcdef';

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function serve(env: Record<string, string>): { child: ChildProcess; exit: Promise<Exit> } {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exit = once(child, 'exit').then(([code]) => ({ code: code as number | null, stdout, stderr }));
  return { child, exit };
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

describe('quarry serve', () => {
  let fake: FakeSlack;
  let target: TestDatabase;
  let memory: TestDatabase;
  let dataDir: string;

  beforeAll(async () => {
    [fake, target, memory] = await Promise.all([
      startFakeSlack(),
      createTestDatabase(),
      createTestDatabase({ vector: true }),
    ]);
    dataDir = await mkdtemp(join(tmpdir(), 'quarry-serve-'));
  });

  afterAll(async () => {
    await Promise.all([fake?.close(), target?.drop(), memory?.drop()]);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('says which Slack variables are missing and where to get them', async () => {
    const { stderr, code } = await serve({ QUARRY_DATA_DIR: dataDir }).exit;
    expect(code).toBe(1);
    expect(stderr).toContain('SLACK_BOT_TOKEN is required for serve');
    expect(stderr).toContain('SLACK_SIGNING_SECRET is required for serve');
    expect(stderr).toContain('https://api.slack.com/apps');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a malformed signing secret, naming it', async () => {
    const { stderr, code } = await serve({
      QUARRY_DATA_DIR: dataDir,
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'not-hex',
    }).exit;
    expect(code).toBe(1);
    expect(stderr).toContain('SLACK_SIGNING_SECRET must be the 32 hex characters');
  });

  it('stops with a sentence when Slack rejects the bot token', async () => {
    fake.revokeToken('xoxb-revoked');
    const { stderr, code } = await serve({
      QUARRY_DATA_DIR: dataDir,
      SLACK_BOT_TOKEN: 'xoxb-revoked',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
    }).exit;
    expect(code).toBe(1);
    expect(stderr).toContain('Slack rejected SLACK_BOT_TOKEN (invalid_auth)');
  });

  it('listens on PORT with /healthz, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const { child, exit } = serve({
      QUARRY_DATA_DIR: dataDir,
      DATABASE_URL: target.url,
      MEMORY_DATABASE_URL: memory.url,
      SLACK_BOT_TOKEN: 'xoxb-serve',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
    });
    let health: Response | null = null;
    for (let i = 0; i < 200 && !health; i++) {
      health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
      if (!health) await new Promise((r) => setTimeout(r, 100));
    }
    expect(health?.status).toBe(200);
    const unsigned = await fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'url_verification', challenge: 'c' }),
    });
    expect(unsigned.status).toBe(401);
    child.kill('SIGTERM');
    const { code, stderr } = await exit;
    expect(code).toBe(0);
    expect(stderr).toContain(`listening for Slack events on port ${port} at /slack/events`);
  });
});
