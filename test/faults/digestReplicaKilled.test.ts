// A digest replica killed (SIGKILL, its own process) in the middle of posting a digest, with
// another replica sharing its Redis queue and memory database: the digest of that slot reaches
// the channel exactly once — whether Slack had received it before the kill or not — and no
// later slot is lost. BullMQ hands the dead replica's job to the other after its lock runs out;
// the claim in PostgreSQL lets that next attempt take the slot over and look in the channel.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { createDigestSchedule, stopDigestSchedule } from '../../src/memory/digestSchedules.ts';
import { memoryKv } from '../../src/memory/memoryKv.ts';
import { createSlackDigestPoster } from '../../src/usual/digestPoster.ts';
import type { DigestOutcome } from '../../src/usual/digestRun.ts';
import { type DigestScheduler, startDigestScheduler } from '../../src/usual/digestScheduler.ts';
import { ordersLastWeek } from '../fixtures/demoPlans.ts';
import { type DemoPipeline, openDemoPipeline } from '../helpers/demoPipeline.ts';
import type { ReplicaSettings } from '../helpers/digestReplica.ts';
import { type FakeSlack, startFakeSlack } from '../helpers/fakeSlack.ts';
import { createTestRedis, TEST_REDIS_URL, type TestRedis, uniqueName } from '../helpers/services.ts';

const TEAM = 'T-killed';
const EVERY_2S = '*/2 * * * * *';
const LOCK_MS = 2000;
const REPLICA = new URL('../helpers/digestReplica.ts', import.meta.url).pathname;

let demo: DemoPipeline;
let redis: TestRedis;
let fake: FakeSlack;
let dataDir: string;
const children: ChildProcess[] = [];
const log = createLogger('silent');

/** The slots of the digests of `scheduleId` that reached the fake Slack, in arrival order. */
function postedSlots(scheduleId: number): string[] {
  return fake
    .callsOf('chat.postMessage', (b) => typeof b.metadata === 'string')
    .map((c) => JSON.parse(String(c.body.metadata)).event_payload as { schedule_id: number; slot: string })
    .filter((p) => p.schedule_id === scheduleId)
    .map((p) => p.slot);
}

async function waitFor(
  what: string,
  done: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function settings(queueName: string): ReplicaSettings {
  return {
    targetUrl: demo.urls.target,
    memoryUrl: demo.urls.memory,
    redisUrl: TEST_REDIS_URL,
    prefix: `${redis.prefix}bull`,
    queueName,
    slackApiUrl: fake.apiUrl,
    pattern: EVERY_2S,
    lockDurationMs: LOCK_MS,
    dataDir,
  };
}

/** A replica in a child process, taking jobs once this resolves. */
async function startChildReplica(queueName: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', REPLICA, JSON.stringify(settings(queueName))], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  await waitFor('the replica to start', () => out.includes('ready\n'), 30_000);
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

/** A replica in this process, recording the outcome of every slot it runs. */
async function startReplica(queueName: string, runs: Map<string, DigestOutcome>): Promise<DigestScheduler> {
  const scheduler = await startDigestScheduler({
    services: demo.services({ kv: memoryKv(), log, statementTimeoutMs: 15_000 }),
    poster: createSlackDigestPoster({ token: 'xoxb-survivor', apiUrl: fake.apiUrl }),
    log,
    redisUrl: TEST_REDIS_URL,
    prefix: `${redis.prefix}bull`,
    queueName,
    repeatOf: () => ({ pattern: EVERY_2S, tz: 'UTC' }),
    lockDurationMs: LOCK_MS,
  });
  scheduler.onRun((run) => runs.set(run.slot, run.outcome));
  return scheduler;
}

function schedule(channelId: string) {
  return createDigestSchedule(demo.memory, {
    teamId: TEAM,
    ownerUserId: 'U-owner',
    channelId,
    cadence: 'daily',
    timeOfDay: '09:00',
    timezone: 'UTC',
    panels: [{ title: 'Orders last week', plan: ordersLastWeek() }],
  });
}

/** Every slot from the first to the last posted once, two seconds apart. */
function expectEverySlotOnce(slots: string[]): void {
  expect(new Set(slots).size).toBe(slots.length);
  const times = slots.map((s) => Date.parse(s)).sort((a, b) => a - b);
  expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual(times.slice(1).map(() => 2000));
}

beforeAll(async () => {
  [demo, redis, fake] = await Promise.all([openDemoPipeline(), createTestRedis(), startFakeSlack()]);
  dataDir = await mkdtemp(join(tmpdir(), 'quarry-replica-'));
}, 120_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await fake?.close();
  await redis?.cleanup();
  await demo?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('a replica killed while posting a digest', () => {
  it('after Slack received it: the other replica finds it in the channel and does not post it again', async () => {
    const s = await schedule('C0KILLED01');
    const queueName = uniqueName('digests');
    fake.delayReplies('chat.postMessage', 10_000);
    const doomed = await startChildReplica(queueName);
    await waitFor('the first digest to reach Slack', () => postedSlots(s.id).length === 1);
    await kill(doomed);
    fake.delayReplies('chat.postMessage', 0);
    const [killedSlot] = postedSlots(s.id);

    const runs = new Map<string, DigestOutcome>();
    const survivor = await startReplica(queueName, runs);
    try {
      await waitFor('the killed slot to be taken over', () => runs.has(killedSlot!));
      await waitFor('four more digests', () => postedSlots(s.id).length >= 5);
    } finally {
      await survivor.close();
      await stopDigestSchedule(demo.memory, TEAM, s.id);
    }
    expect(runs.get(killedSlot!)).toBe('duplicate');
    // Taken over, it looked in the channel before deciding.
    expect(fake.callsOf('conversations.history', (b) => b.channel === 'C0KILLED01')).toHaveLength(1);
    expect(postedSlots(s.id).filter((slot) => slot === killedSlot)).toHaveLength(1);
    expectEverySlotOnce(postedSlots(s.id));
  }, 120_000);

  it('before it reached Slack: the other replica posts it, once', async () => {
    const s = await schedule('C0KILLED02');
    const queueName = uniqueName('digests');
    const swallowed = fake.swallowNext('chat.postMessage');
    const doomed = await startChildReplica(queueName);
    await swallowed;
    await kill(doomed);
    const [claimed] = await demo.memory.query<{ run_key: string }>(
      'SELECT run_key FROM digest_runs WHERE schedule_id = $1 AND delivered_at IS NULL',
      [s.id],
    );
    const killedSlot = claimed!.run_key;
    expect(killedSlot).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(postedSlots(s.id)).toEqual([]);

    const runs = new Map<string, DigestOutcome>();
    const survivor = await startReplica(queueName, runs);
    try {
      await waitFor('the killed slot to be posted', () => runs.has(killedSlot));
      await waitFor('four more digests', () => postedSlots(s.id).length >= 5);
    } finally {
      await survivor.close();
      await stopDigestSchedule(demo.memory, TEAM, s.id);
    }
    expect(runs.get(killedSlot)).toBe('posted');
    expect(postedSlots(s.id).filter((slot) => slot === killedSlot)).toHaveLength(1);
    expectEverySlotOnce(postedSlots(s.id));
  }, 120_000);
});
