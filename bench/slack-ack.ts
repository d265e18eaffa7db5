// Slack acknowledgement under load: N signed app_mention events sent at once to /slack/events
// of a real `quarry serve` process while their answers are computed (demo shop in PostgreSQL,
// memory in PostgreSQL + pgvector, its own Redis, Slack's Web API played by a local fake in
// this process, as Slack would be elsewhere). Prints p50/p99 time to the HTTP acknowledgement
// (target p99 ≤ 50 ms; Slack retries after 3 s) and how long until every answer was posted.
// The events are sent from a worker thread over connections opened beforehand. The same burst
// first goes to a bare node:http server that only reads, verifies and parses each request before
// answering 200: the floor this machine sets for any receiver, and the baseline of the ratio;
// then to Quarry as messages it only looks up and leaves, to tell receiving from answering.
// Needs the local PostgreSQL with pgvector (TEST_PG_URL) and Debian's redis-server.
//   node --import tsx bench/slack-ack.ts [events=100] [scale=0.05] [concurrent answers=4]

import { spawn } from 'node:child_process';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EVENTS_PATH } from '../src/bot/app.ts';
import { postgresDb } from '../src/db/postgres.ts';
import { loadDemo } from '../src/demo/load.ts';
import { FAKE_BOT_USER_ID, startFakeSlack } from '../test/helpers/fakeSlack.ts';
import { createTestDatabase } from '../test/helpers/services.ts';
import { slackSignature, TEAM_ID } from '../test/helpers/slackHarness.ts';
import { freePort } from '../test/helpers/throwawayPostgres.ts';
import { startThrowawayRedis } from '../test/helpers/throwawayRedis.ts';

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

/** Sends the requests it is given all at once, each on a connection opened beforehand and
 *  written as raw HTTP (a fetch() per request costs the sending thread more than the server
 *  needs to answer, and would be measured instead); answers each one's time to the first byte
 *  of its response, which must be a 200. */
const SENDER = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const net = require('node:net');
parentPort.on('message', async (requests) => {
  const { hostname, port } = new URL(workerData.base);
  const sockets = await Promise.all(requests.map(() => new Promise((resolve, reject) => {
    const s = net.connect(Number(port), hostname, () => resolve(s));
    s.setNoDelay(true);
    s.once('error', reject);
  })));
  const raw = requests.map(({ headers, body }) => Buffer.from(
    'POST ' + workerData.path + ' HTTP/1.1\\r\\nHost: ' + hostname + '\\r\\n' +
    Object.entries(headers).map(([k, v]) => k + ': ' + v + '\\r\\n').join('') +
    'Content-Length: ' + Buffer.byteLength(body) + '\\r\\n\\r\\n' + body));
  parentPort.postMessage('warm');
  const sentAt = performance.timeOrigin + performance.now();
  const times = await Promise.all(sockets.map((s, i) => new Promise((resolve, reject) => {
    const start = performance.now();
    s.once('data', (chunk) => {
      const took = performance.now() - start;
      s.destroy();
      const status = chunk.toString('latin1').split(' ')[1];
      if (status !== '200') reject(new Error('HTTP ' + status));
      else resolve(took);
    });
    s.write(raw[i]);
  })));
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

const [target, memory, redis, fake] = await Promise.all([
  createTestDatabase(),
  createTestDatabase({ vector: true }),
  startThrowawayRedis(),
  startFakeSlack(),
]);
const dataDir = await mkdtemp(join(tmpdir(), 'quarry-ack-'));
const signingSecret = randomBytes(16).toString('hex');
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const shop = postgresDb(target.url);
await loadDemo(shop, { scale }).finally(() => shop.close());
const quarry = spawn(process.execPath, [new URL('../bin/quarry.js', import.meta.url).pathname, 'serve'], {
  env: {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    DATABASE_URL: target.url,
    MEMORY_DATABASE_URL: memory.url,
    REDIS_URL: redis.url,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: fake.apiUrl,
    PORT: String(port),
    QUARRY_CONCURRENT_ANSWERS: String(concurrentAnswers),
    QUARRY_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
let tsCounter = 0;
const newTs = () => `${Math.floor(Date.now() / 1000)}.${String(++tsCounter).padStart(6, '0')}`;
function signed(i: number, event: Record<string, unknown>) {
  const body = JSON.stringify({
    type: 'event_callback',
    team_id: TEAM_ID,
    event_id: `Ev_BENCH_${i}_${event.ts}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM_ID, user_id: FAKE_BOT_USER_ID, is_bot: true }],
    event,
  });
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    'Content-Type': 'application/json',
    'X-Slack-Request-Timestamp': String(timestamp),
    'X-Slack-Signature': slackSignature(signingSecret, timestamp, body),
  };
  return { headers, body };
}

/** A mention: acknowledged, then answered in its thread. */
const mention = (i: number, ts: string, user: string, question: string) =>
  signed(i, {
    type: 'app_mention',
    user,
    text: `<@${FAKE_BOT_USER_ID}> ${question}`,
    ts,
    channel: 'C_BENCH',
    event_ts: ts,
  });

/** A reply in a thread Quarry never answered: acknowledged, looked up, and left alone. */
const chatter = (i: number, ts: string) =>
  signed(i, {
    type: 'message',
    channel_type: 'channel',
    user: `U_CHAT_${i % 10}`,
    text: 'see you at lunch',
    ts,
    thread_ts: `${ts}9`,
    channel: 'C_BENCH',
    event_ts: ts,
  });

try {
  for (const deadline = Date.now() + 60_000; ; ) {
    const up = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline || quarry.exitCode !== null) throw new Error('quarry serve did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
  // One question first so the schema is discovered and cached, as in a running deployment.
  const warm = mention(-1, newTs(), 'U_WARM', QUESTIONS[0]!);
  await fetch(`${base}${EVENTS_PATH}`, { method: 'POST', headers: warm.headers, body: warm.body });
  await fake.waitForCall('chat.update', (b) => !String(b.text).startsWith('Working…'), 60_000);

  const threads = Array.from({ length: events }, () => newTs());
  const requests = threads.map((ts, i) =>
    mention(i, ts, `U_BENCH_${i % 10}`, QUESTIONS[i % QUESTIONS.length]!),
  );
  const floor = [...(await bareReceiverBurst(requests, signingSecret))].sort((a, b) => a - b);
  const idle = [
    ...(
      await sendBurst(
        base,
        threads.map((_, i) => chatter(i, newTs())),
      )
    ).times,
  ].sort((a, b) => a - b);
  const { sentAt, times: acks } = await sendBurst(base, requests);
  const allAcked = Math.max(...acks);

  // Each thread's "Working…" message, then the update that replaced it with the answer.
  const finals = await Promise.all(
    threads.map(async (ts) => {
      const working = await fake.waitForCall(
        'chat.postMessage',
        (b) => b.thread_ts === ts && String(b.text).startsWith('Working…'),
        120_000,
      );
      const final = await fake.waitForCall(
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
  console.log(
    `  Quarry, same-size burst of messages it only looks up and leaves (nothing to answer): ` +
      `p50 ${ms(percentile(idle, 50))}  p99 ${ms(percentile(idle, 99))}`,
  );
  console.log(`  all ${events} acknowledged after ${ms(allAcked)}`);
  console.log(`  all ${events} answers posted after ${ms(allPosted)}`);
  console.log(`  target: ack p99 ≤ 50 ms → ${percentile(sorted, 99) <= 50 ? 'met' : 'NOT met'}`);
} finally {
  quarry.kill('SIGTERM');
  await new Promise((r) => quarry.once('exit', r));
  await fake.close();
  await redis.stop();
  await Promise.all([target.drop(), memory.drop()]);
  await rm(dataDir, { recursive: true, force: true });
}
