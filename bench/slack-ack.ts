// Slack acknowledgement under load: N signed app_mention events sent at once to /slack/events
// while their answers are computed (demo shop in PostgreSQL, memory in PostgreSQL + Redis, Web
// API on a local fake). Prints p50/p99 time to the HTTP acknowledgement (target p99 ≤ 50 ms;
// Slack retries after 3 s) and how long until every answer was posted. The events are sent from
// a worker thread, as Slack sends them from elsewhere, over connections opened beforehand.
// Needs the local PostgreSQL with pgvector and Redis (TEST_PG_URL, TEST_REDIS_URL).
//   node --import tsx bench/slack-ack.ts [events=100] [scale=0.05] [concurrent answers=4]
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { EVENTS_PATH } from '../src/bot/app.ts';
import { FAKE_BOT_USER_ID } from '../test/helpers/fakeSlack.ts';
import { slackSignature, startSlackHarness, TEAM_ID } from '../test/helpers/slackHarness.ts';

const [events = 100, scale = 0.05, concurrentAnswers = 4] = process.argv.slice(2).map(Number);
const QUESTIONS = [
  'Show me total sales for last month',
  'What were our top selling products last week?',
  'How many customers do we have in Germany?',
  'Sales by product category this year',
  'How many orders were there last week?',
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

/** Sends the requests it is given all at once; answers each one's time to its HTTP response. */
const SENDER = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
parentPort.on('message', async (requests) => {
  await Promise.all(requests.map(() => fetch(workerData.base + '/healthz').then((r) => r.arrayBuffer())));
  parentPort.postMessage('warm');
  const sentAt = performance.timeOrigin + performance.now();
  const times = await Promise.all(requests.map(async ({ headers, body }) => {
    const start = performance.now();
    const res = await fetch(workerData.base + workerData.path, { method: 'POST', headers, body });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error('HTTP ' + res.status);
    return performance.now() - start;
  }));
  parentPort.postMessage({ sentAt, times });
});`;

const h = await startSlackHarness({
  scale,
  rateLimits: { perUser: events, perTeam: events * 2 },
  maxConcurrentAnswers: concurrentAnswers,
});
try {
  // One question first so the schema is discovered and cached, as in a running deployment.
  const warmTs = h.newTs();
  await h.postEvent({
    type: 'app_mention',
    user: 'U_WARM',
    text: `<@${FAKE_BOT_USER_ID}> ${QUESTIONS[0]}`,
    ts: warmTs,
    channel: 'C_BENCH',
    event_ts: warmTs,
  });
  await h.fake.waitForCall('chat.update', (b) => !String(b.text).startsWith('Working…'), 60_000);

  const threads = Array.from({ length: events }, () => h.newTs());
  const requests = threads.map((ts, i) => {
    const body = JSON.stringify({
      type: 'event_callback',
      team_id: TEAM_ID,
      event_id: `Ev_BENCH_${i}_${ts}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: TEAM_ID, user_id: FAKE_BOT_USER_ID, is_bot: true }],
      event: {
        type: 'app_mention',
        user: `U_BENCH_${i % 10}`,
        text: `<@${FAKE_BOT_USER_ID}> ${QUESTIONS[i % QUESTIONS.length]}`,
        ts,
        channel: 'C_BENCH',
        event_ts: ts,
      },
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'Content-Type': 'application/json',
      'X-Slack-Request-Timestamp': String(timestamp),
      'X-Slack-Signature': slackSignature(h.signingSecret, timestamp, body),
    };
    return { headers, body };
  });
  const sender = new Worker(SENDER, { eval: true, workerData: { base: h.baseUrl, path: EVENTS_PATH } });
  sender.postMessage(requests);
  await once(sender, 'message');
  const [{ sentAt, times: acks }] = (await once(sender, 'message')) as [{ sentAt: number; times: number[] }];
  await sender.terminate();
  const allAcked = Math.max(...acks);

  // Each thread's "Working…" message, then the update that replaced it with the answer.
  const finals = await Promise.all(
    threads.map(async (ts) => {
      const working = await h.fake.waitForCall(
        'chat.postMessage',
        (b) => b.thread_ts === ts && String(b.text).startsWith('Working…'),
        120_000,
      );
      const final = await h.fake.waitForCall(
        'chat.update',
        (b) => b.ts === working.response.ts && !String(b.text).startsWith('Working…'),
        120_000,
      );
      return final.at;
    }),
  );
  const allPosted = Math.max(...finals) - sentAt;

  const sorted = [...acks].sort((a, b) => a - b);
  console.log(
    `Slack acknowledgement, ${events} concurrent signed events (demo scale ${scale}, ${concurrentAnswers} answers at a time)`,
  );
  console.log(
    `  ack p50 ${ms(percentile(sorted, 50))}  p99 ${ms(percentile(sorted, 99))}  max ${ms(sorted.at(-1)!)}`,
  );
  console.log(`  all ${events} acknowledged after ${ms(allAcked)}`);
  console.log(`  all ${events} answers posted after ${ms(allPosted)}`);
  console.log(`  target: ack p99 ≤ 50 ms → ${percentile(sorted, 99) <= 50 ? 'met' : 'NOT met'}`);
} finally {
  await h.close();
}
