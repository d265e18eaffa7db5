// Slack acknowledgement under load: N signed app_mention events sent at once to /slack/events
// while their answers are computed (demo shop in PostgreSQL, memory in PostgreSQL + Redis, Web
// API on a local fake). Prints p50/p99 time to the HTTP acknowledgement (target p99 ≤ 50 ms;
// Slack retries after 3 s) and how long until every answer was posted. The events are sent from
// a worker thread, as Slack sends them from elsewhere, over connections opened beforehand.
// The same burst first goes to a bare node:http server that only reads, verifies and parses each
// request before answering 200: the floor this machine sets for any receiver, and the baseline
// of the printed ratio.
// Needs the local PostgreSQL with pgvector and Redis (TEST_PG_URL, TEST_REDIS_URL).
//   node --import tsx bench/slack-ack.ts [events=100] [scale=0.05] [concurrent answers=4]
import { timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

/** Sends the burst from a worker thread; answers the time of each request to its response. */
async function sendBurst(
  base: string,
  requests: SignedRequest[],
): Promise<{ sentAt: number; times: number[] }> {
  const sender = new Worker(SENDER, { eval: true, workerData: { base, path: EVENTS_PATH } });
  try {
    sender.postMessage(requests);
    await once(sender, 'message');
    const [result] = (await once(sender, 'message')) as [{ sentAt: number; times: number[] }];
    return result;
  } finally {
    await sender.terminate();
  }
}

/** The floor: read the body, check the signature, parse the JSON, answer 200. */
async function bareReceiverBurst(requests: SignedRequest[], secret: string): Promise<number[]> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const timestamp = Number(req.headers['x-slack-request-timestamp']);
      const expected = Buffer.from(slackSignature(secret, timestamp, body));
      const given = Buffer.from(String(req.headers['x-slack-signature'] ?? ''));
      const ok = body === '' || (given.length === expected.length && timingSafeEqual(given, expected));
      if (body) JSON.parse(body);
      res.writeHead(ok ? 200 : 401);
      res.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const { port } = server.address() as AddressInfo;
    return (await sendBurst(`http://127.0.0.1:${port}`, requests)).times;
  } finally {
    server.close();
  }
}

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
  const floor = [...(await bareReceiverBurst(requests, h.signingSecret))].sort((a, b) => a - b);
  const { sentAt, times: acks } = await sendBurst(h.baseUrl, requests);
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
  console.log(
    `  bare node:http receiver, same burst: p50 ${ms(percentile(floor, 50))}  p99 ${ms(percentile(floor, 99))}` +
      `  → Quarry's p99 is ${(percentile(sorted, 99) / percentile(floor, 99)).toFixed(2)}× the floor`,
  );
  console.log(`  all ${events} acknowledged after ${ms(allAcked)}`);
  console.log(`  all ${events} answers posted after ${ms(allPosted)}`);
  console.log(`  target: ack p99 ≤ 50 ms → ${percentile(sorted, 99) <= 50 ? 'met' : 'NOT met'}`);
} finally {
  await h.close();
}
