// Redis loses everything between a question in a Slack thread and its follow-up — flushed, or
// killed and started again empty, as a Redis without persistence, a failover or an eviction
// leaves it — and the reply in the thread is still answered as a follow-up: the thread's marker
// and session come back from the query history. The Slack app runs for real over signed HTTP
// against the local fake Slack; Redis is this file's own server, stopped by its pid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_BOT_USER_ID, type SlackCall } from '../helpers/fakeSlack.ts';
import { type SlackHarness, startSlackHarness, TEAM_ID } from '../helpers/slackHarness.ts';
import { startThrowawayRedis, type ThrowawayRedis } from '../helpers/throwawayRedis.ts';

const CHANNEL = 'C_SALES';
const ASKER = 'U_ANA';
let redis: ThrowawayRedis;
let h: SlackHarness;

beforeAll(async () => {
  redis = await startThrowawayRedis();
  h = await startSlackHarness({ redisUrl: redis.url });
}, 120_000);

afterAll(async () => {
  await h?.close();
  await redis?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isWorking = (body: Record<string, unknown>) => String(body.text).startsWith('Working…');

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe().catch(() => undefined);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not in time`);
    await sleep(100);
  }
}

/** The reply that replaced the thread's `n`th "Working…" message. */
async function reply(threadTs: string, n: number): Promise<SlackCall> {
  const working = await until(
    async () => h.fake.callsOf('chat.postMessage', (b) => b.thread_ts === threadTs && isWorking(b))[n - 1],
    `working message ${n}`,
  );
  return h.fake.waitForCall('chat.update', (b) => b.ts === working.response.ts && !isWorking(b), 30_000);
}

interface Recorded {
  question: string;
  source: string | null;
  sql: string | null;
  success: boolean;
}

/** What the query history recorded for the thread, oldest first. */
function recorded(threadTs: string): Promise<Recorded[]> {
  return h.runtime.memoryDb.query<Recorded>(
    `SELECT question, source, sql, success FROM user_query_history
     WHERE team_id = $1 AND channel_id = $2 AND thread_ts = $3 ORDER BY created_at`,
    [TEAM_ID, CHANNEL, threadTs],
  );
}

async function askInThread(threadTs: string): Promise<void> {
  await h.postEvent({
    type: 'app_mention',
    user: ASKER,
    text: `<@${FAKE_BOT_USER_ID}> Show me total sales for last month`,
    ts: threadTs,
    channel: CHANNEL,
    event_ts: threadTs,
  });
  await reply(threadTs, 1);
  // The answer is on record once its learning is written, right after the reply.
  await until(async () => ((await recorded(threadTs)).length === 1 ? true : undefined), 'history row');
}

async function followUpInThread(threadTs: string): Promise<SlackCall> {
  const ts = h.newTs();
  await h.postEvent({
    type: 'message',
    channel_type: 'channel',
    user: ASKER,
    text: 'Now break that down by product category',
    ts,
    thread_ts: threadTs,
    channel: CHANNEL,
    event_ts: ts,
  });
  return reply(threadTs, 2);
}

async function expectAnsweredAsFollowUp(threadTs: string, final: SlackCall): Promise<void> {
  // In Slack: last month's sales, now by category.
  expect(String(final.body.text)).toMatch(/^Sales by category, last month .*; top: /);
  const [first, followUp] = await until(async () => {
    const rows = await recorded(threadTs);
    return rows.length === 2 ? rows : undefined;
  }, 'follow-up in the history');
  expect(first!.success).toBe(true);
  // The last plan edited: last month's sales, now grouped by category.
  expect(followUp).toMatchObject({ success: true, source: 'followup' });
  expect(followUp!.sql).toContain('GROUP BY products.category');
  expect(followUp!.sql).toContain("date_trunc('month', now())");
}

describe('a Slack thread whose Redis lost everything', () => {
  it('answers the reply after a flush as a follow-up of the last plan', async () => {
    const threadTs = h.newTs();
    await askInThread(threadTs);
    await redis.flushAll();
    await expectAnsweredAsFollowUp(threadTs, await followUpInThread(threadTs));
  }, 90_000);

  it('answers the reply after Redis was killed and started again empty', async () => {
    const threadTs = h.newTs();
    await askInThread(threadTs);
    await redis.stop();
    await redis.start();
    // Quarry's client reconnects on its own (every few seconds at most).
    await until(async () => ((await h.runtime.kv.get('probe')) === null ? true : undefined), 'Redis back');
    await expectAnsweredAsFollowUp(threadTs, await followUpInThread(threadTs));
  }, 90_000);
});
