// Quarry's Slack app running for real against real services: the demo shop in its own
// PostgreSQL database, memory in another, Redis under its own key prefix, and the Web API
// pointed at a local fake. Requests reach /slack/events signed the way Slack signs them.
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSlackApp, EVENTS_PATH, type SlackApp } from '../../src/bot/app.ts';
import type { BotOptions } from '../../src/bot/services.ts';
import { requireSlackSettings } from '../../src/bot/slackSettings.ts';
import { loadConfig } from '../../src/config.ts';
import { postgresDb } from '../../src/db/postgres.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import { startDigests } from '../../src/usual/startDigests.ts';
import { FAKE_BOT_USER_ID, type FakeSlack, startFakeSlack } from './fakeSlack.ts';
import {
  createTestDatabase,
  createTestRedis,
  TEST_REDIS_URL,
  type TestDatabase,
  uniqueName,
} from './services.ts';

export const TEAM_ID = 'T_QUARRY_TEST';

export interface SignOptions {
  /** Seconds since the epoch; now by default. */
  timestamp?: number;
  /** Signs with another secret (a forged request). */
  secret?: string;
  headers?: Record<string, string>;
}

export interface EventOptions extends SignOptions {
  eventId?: string;
}

export interface SlackHarness {
  fake: FakeSlack;
  runtime: Runtime;
  slack: SlackApp;
  /** http://127.0.0.1:<port> of Quarry's HTTP server. */
  baseUrl: string;
  targetUrl: string;
  /** The test's Redis key prefix (sessions, caches and the digest queue live under it). */
  redisPrefix: string;
  signingSecret: string;
  /** A fresh message timestamp, as Slack writes them. */
  newTs(): string;
  /** POSTs a raw body to /slack/events, signed (v0 HMAC-SHA256 of `v0:{timestamp}:{body}`). */
  post(body: string, contentType: string, options?: SignOptions): Promise<Response>;
  /** An Events API callback wrapping `event`. */
  postEvent(event: Record<string, unknown>, options?: EventOptions): Promise<Response>;
  /** A slash command, form-encoded as Slack sends it. */
  postCommand(fields: Record<string, string>, options?: SignOptions): Promise<Response>;
  /** An interactivity payload (`payload=<json>`). */
  postAction(payload: Record<string, unknown>, options?: SignOptions): Promise<Response>;
  close(): Promise<void>;
}

export interface HarnessOptions extends Omit<BotOptions, 'digests'> {
  /** Demo shop size (1 ≈ 50,000 orders). */
  scale?: number;
  /** Runs the digest scheduler, as `quarry serve` does, with its queue under the test's prefix. */
  digests?: boolean;
  /** Installs to many workspaces through OAuth (SLACK_CLIENT_ID …) instead of one bot token. */
  oauth?: boolean;
  /** The knowledge file Quarry reads (QUARRY_KNOWLEDGE). */
  knowledge?: string;
  /** A Redis of the test's own (a throwaway server it may stop or flush); the shared one, under
   *  a key prefix of the test's, by default. */
  redisUrl?: string;
}

export const OAUTH_CLIENT_ID = '1111111111.2222222222';

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export async function startSlackHarness(options: HarnessOptions = {}): Promise<SlackHarness> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  };
  try {
    const target: TestDatabase = await createTestDatabase();
    cleanups.push(() => target.drop());
    const memory = await createTestDatabase({ vector: true });
    cleanups.push(() => memory.drop());
    // A throwaway server is the test's own: nothing of it needs cleaning up.
    const redis = options.redisUrl ? { prefix: `${uniqueName()}:` } : await createTestRedis();
    if ('cleanup' in redis) cleanups.push(() => redis.cleanup());
    const dataDir = await mkdtemp(join(tmpdir(), 'quarry-slack-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const shop = postgresDb(target.url);
    await loadDemo(shop, { scale: options.scale ?? 0.05 }).finally(() => shop.close());
    const fake = await startFakeSlack();
    cleanups.push(() => fake.close());

    const signingSecret = randomBytes(16).toString('hex');
    const config = loadConfig({
      DATABASE_URL: target.url,
      MEMORY_DATABASE_URL: memory.url,
      REDIS_URL: options.redisUrl ?? TEST_REDIS_URL,
      ...(options.oauth
        ? {
            SLACK_CLIENT_ID: OAUTH_CLIENT_ID,
            SLACK_CLIENT_SECRET: randomBytes(16).toString('hex'),
            SLACK_STATE_SECRET: randomBytes(16).toString('hex'),
          }
        : { SLACK_BOT_TOKEN: 'xoxb-test-token' }),
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: fake.apiUrl,
      QUARRY_DATA_DIR: dataDir,
      ...(options.knowledge ? { QUARRY_KNOWLEDGE: options.knowledge } : {}),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    });
    const runtime = await openRuntime(config, { kvPrefix: redis.prefix });
    cleanups.push(() => runtime.close());
    const digests = options.digests ? await startDigests(runtime, { prefix: `${redis.prefix}bull` }) : null;
    if (digests) cleanups.push(() => digests.scheduler.close());
    const slack = createSlackApp(runtime, {
      ...options,
      digests: digests?.scheduler,
      settings: requireSlackSettings(config),
      port: 0,
    });
    const { port } = await slack.start();
    cleanups.push(() => slack.stop());
    const baseUrl = `http://127.0.0.1:${port}`;

    let tsCounter = 0;
    const post = (body: string, contentType: string, sign: SignOptions = {}) => {
      const timestamp = sign.timestamp ?? Math.floor(Date.now() / 1000);
      return fetch(`${baseUrl}${EVENTS_PATH}`, {
        method: 'POST',
        headers: {
          'Content-Type': contentType,
          'X-Slack-Request-Timestamp': String(timestamp),
          'X-Slack-Signature': slackSignature(sign.secret ?? signingSecret, timestamp, body),
          ...sign.headers,
        },
        body,
      });
    };
    const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

    return {
      fake,
      runtime,
      slack,
      baseUrl,
      targetUrl: target.url,
      redisPrefix: redis.prefix,
      signingSecret,
      newTs: () => `${Math.floor(Date.now() / 1000)}.${String(++tsCounter).padStart(6, '0')}`,
      post,
      postEvent(event, eventOptions = {}) {
        const body = JSON.stringify({
          token: 'legacy-verification-token',
          team_id: TEAM_ID,
          api_app_id: 'A_QUARRY',
          type: 'event_callback',
          event_id: eventOptions.eventId ?? `Ev${randomBytes(6).toString('hex')}`,
          event_time: Math.floor(Date.now() / 1000),
          authorizations: [{ team_id: TEAM_ID, user_id: FAKE_BOT_USER_ID, is_bot: true }],
          event,
        });
        return post(body, 'application/json', eventOptions);
      },
      postCommand(fields, sign) {
        return post(
          form({
            token: 'legacy-verification-token',
            team_id: TEAM_ID,
            api_app_id: 'A_QUARRY',
            response_url: `${fake.url}/response/${randomBytes(4).toString('hex')}`,
            trigger_id: randomBytes(6).toString('hex'),
            text: '',
            ...fields,
          }),
          'application/x-www-form-urlencoded',
          sign,
        );
      },
      postAction(payload, sign) {
        return post(
          form({ payload: JSON.stringify({ type: 'block_actions', team: { id: TEAM_ID }, ...payload }) }),
          'application/x-www-form-urlencoded',
          sign,
        );
      },
      close: cleanup,
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
