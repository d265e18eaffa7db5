// Scheduled digests on real services: BullMQ on Redis (a queue name per test, this file's key
// prefix), schedules in PostgreSQL, the demo shop as the target, and Slack's Web API played by
// the local fake. Several scheduler instances share Redis and PostgreSQL the way replicas do.

import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { QueryPlan } from '../../src/domain/types.ts';
import { createLogger } from '../../src/log.ts';
import {
  createDigestSchedule,
  getDigestSchedule,
  listDigestSchedules,
} from '../../src/memory/digestSchedules.ts';
import { memoryKv } from '../../src/memory/memoryKv.ts';
import { answer } from '../../src/pipeline/index.ts';
import { createSlackDigestPoster, type DigestPoster } from '../../src/usual/digestPoster.ts';
import { type DigestOutcome, runDigest } from '../../src/usual/digestRun.ts';
import {
  type DigestScheduler,
  type DigestSchedulerOptions,
  schedulerIdOf,
  startDigestScheduler,
} from '../../src/usual/digestScheduler.ts';
import type { CronSchedule } from '../../src/usual/scheduleSpec.ts';
import { handleUsual } from '../../src/usual/usualCommands.ts';
import { ordersLastWeek } from '../fixtures/demoPlans.ts';
import { type DemoPipeline, openDemoPipeline } from '../helpers/demoPipeline.ts';
import { type FakeSlack, type SlackCall, startFakeSlack } from '../helpers/fakeSlack.ts';
import { createTestRedis, TEST_REDIS_URL, type TestRedis, uniqueName } from '../helpers/services.ts';

const TEAM = 'T-digest';
const OWNER = 'U-owner';
const SALES = 'C0SALES001';
/** Every two seconds, the test stand-in for "daily 09:00": same code path, shorter wait. */
const EVERY_2S: CronSchedule = { pattern: '*/2 * * * * *', tz: 'UTC' };

let demo: DemoPipeline;
let testRedis: TestRedis;
let fake: FakeSlack;
let slack: SlackFront;
let poster: DigestPoster;
let services: DigestSchedulerOptions['services'];
const log = createLogger('silent');
const running: DigestScheduler[] = [];

/** In front of the fake Slack: channels made "gone" answer as Slack does for them, the rest
 *  passes through. The fake itself only ever says ok. */
interface SlackFront {
  apiUrl: string;
  gone: Map<string, string>;
  close(): Promise<void>;
}

async function startSlackFront(upstream: FakeSlack): Promise<SlackFront> {
  const gone = new Map<string, string>();
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const type = String(req.headers['content-type'] ?? '');
    const fields = type.includes('application/x-www-form-urlencoded')
      ? Object.fromEntries(new URLSearchParams(raw.toString('utf8')))
      : {};
    const channel = fields.channel ?? fields.channel_id;
    const error = channel ? gone.get(channel) : undefined;
    if (error) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error }));
      return;
    }
    const forwarded = await fetch(new URL(req.url ?? '/', upstream.url), {
      method: req.method,
      headers: { 'content-type': type },
      body: req.method === 'GET' ? undefined : raw,
    });
    res.writeHead(forwarded.status, {
      'Content-Type': forwarded.headers.get('content-type') ?? 'text/plain',
    });
    res.end(Buffer.from(await forwarded.arrayBuffer()));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl: `${base}/api/`,
    gone,
    async close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

interface DigestPost {
  scheduleId: number;
  slot: string;
  channel: string;
  text: string;
}

/** Digest messages the fake Slack received (chat.postMessage with digest metadata). */
function digestPosts(scheduleId?: number): DigestPost[] {
  return fake
    .callsOf('chat.postMessage', (b) => typeof b.metadata === 'string')
    .map((c: SlackCall) => {
      const meta = JSON.parse(String(c.body.metadata)) as {
        event_payload: { schedule_id: number; slot: string };
      };
      return {
        scheduleId: meta.event_payload.schedule_id,
        slot: meta.event_payload.slot,
        channel: String(c.body.channel),
        text: String(c.body.text),
      };
    })
    .filter((p) => scheduleId === undefined || p.scheduleId === scheduleId);
}

function dmsTo(userId: string): string[] {
  return fake.callsOf('chat.postMessage', (b) => b.channel === userId).map((c) => String(c.body.text));
}

async function waitFor(
  what: string,
  done: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function startInstance(
  queueName: string,
  repeat: CronSchedule,
  outcomes?: DigestOutcome[],
): Promise<DigestScheduler> {
  const scheduler = await startDigestScheduler({
    services,
    poster,
    log,
    redisUrl: TEST_REDIS_URL,
    prefix: testRedis.prefix.replace(/:$/, ''),
    queueName,
    concurrency: 4,
    repeatOf: () => repeat,
  });
  if (outcomes) scheduler.onRun((r) => outcomes.push(r.outcome));
  running.push(scheduler);
  return scheduler;
}

async function stop(scheduler: DigestScheduler): Promise<void> {
  await scheduler.close();
  running.splice(running.indexOf(scheduler), 1);
}

function scheduleRow(channelId: string, panels: { title: string; plan: QueryPlan }[], owner = OWNER) {
  return {
    teamId: TEAM,
    ownerUserId: owner,
    channelId,
    cadence: 'daily' as const,
    timeOfDay: '09:00',
    timezone: 'UTC',
    panels,
  };
}

beforeAll(async () => {
  [demo, testRedis, fake] = await Promise.all([openDemoPipeline(), createTestRedis(), startFakeSlack()]);
  slack = await startSlackFront(fake);
  services = demo.services({ kv: memoryKv(), log, statementTimeoutMs: 15_000 });
  poster = createSlackDigestPoster({ token: 'xoxb-test', apiUrl: slack.apiUrl });
  // The owner's usual: two of the seed's questions, asked through the pipeline.
  for (const q of ['Show me total sales for last month', 'Monthly sales over the last 12 months']) {
    for (let i = 0; i < 2; i++) {
      const a = await answer(q, { teamId: TEAM, userId: OWNER }, services);
      expect(a.error).toBeNull();
    }
  }
}, 120_000);

afterEach(async () => {
  for (const s of [...running]) await stop(s);
  await demo.memory.query('DELETE FROM digest_schedules');
  slack.gone.clear();
});

afterAll(async () => {
  for (const s of running) await s.close().catch(() => {});
  await slack?.close();
  await fake?.close();
  await testRedis?.cleanup();
  await demo?.close();
});

describe('digests across two replicas', () => {
  it('post each slot exactly once over 20 ticks, and lose none when one replica stops', async () => {
    const queueName = uniqueName('digests');
    const a = await startInstance(queueName, EVERY_2S);
    const b = await startInstance(queueName, EVERY_2S);
    const reply = await handleUsual(
      'schedule daily 09:00 <#C0SALES001|sales>',
      { teamId: TEAM, userId: OWNER, timeZone: 'UTC' },
      { services, poster, scheduler: a },
    );
    expect(reply.text).toMatch(/^Scheduled digest #(\d+): daily at 09:00 \(UTC\) to #sales, with 2 panels\./);
    const id = Number(/#(\d+)/.exec(reply.text)![1]);

    await waitFor('8 digests', () => digestPosts(id).length >= 8, 40_000);
    await stop(a); // one replica goes away mid-run
    await waitFor('20 digests', () => digestPosts(id).length >= 20, 60_000);
    await stop(b);

    const posts = digestPosts(id);
    const slots = posts.map((p) => Date.parse(p.slot));
    expect(new Set(slots).size).toBe(slots.length); // none twice
    const ordered = [...slots].sort((x, y) => x - y);
    const gaps = ordered.slice(1).map((t, i) => t - ordered[i]!);
    expect(gaps.every((g) => g === 2000)).toBe(true); // none skipped
    expect(posts.every((p) => p.channel === SALES)).toBe(true);
    expect(posts[0]!.text).toMatch(/^\*Usual digest\* for <@U-owner>/);
    expect(posts[0]!.text).toContain('• Total sales for last month: $');
    // Each digest's image went up too.
    expect(fake.callsOf('files.completeUploadExternal', (b) => b.channel_id === SALES).length).toBe(
      posts.length,
    );
    const stored = await getDigestSchedule(demo.memory, TEAM, id);
    expect(stored?.lastRunKey).toBe(posts.at(-1)!.slot);
  }, 120_000);

  it('after every replica was down, delivers the slot that fell due on restart', async () => {
    const queueName = uniqueName('digests');
    const first = await startInstance(queueName, EVERY_2S);
    const s = await createDigestSchedule(
      demo.memory,
      scheduleRow(SALES, [{ title: 'Orders last week', plan: ordersLastWeek() }]),
    );
    await first.arm(s);
    await waitFor('a first digest', () => digestPosts(s.id).length >= 1, 20_000);
    await stop(first);
    const delivered = digestPosts(s.id).map((p) => p.slot);
    const lastBefore = Date.parse(delivered.at(-1)!);
    await new Promise((r) => setTimeout(r, 4500)); // two slots pass with nobody running

    const outcomes: DigestOutcome[] = [];
    const second = await startInstance(queueName, EVERY_2S, outcomes);
    await waitFor(
      'digests after the restart',
      () => digestPosts(s.id).length >= delivered.length + 2,
      20_000,
    );
    await stop(second);
    const slots = digestPosts(s.id).map((p) => Date.parse(p.slot));
    expect(new Set(slots).size).toBe(slots.length);
    // The slot due right after the last delivered one was kept in Redis and posted late.
    expect(slots).toContain(lastBefore + 2000);
    expect(outcomes.filter((o) => o === 'posted').length).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('posts 1,000 schedules due in the same second once each', async () => {
    const count = 1000;
    const queueName = uniqueName('digests');
    const rows = Array.from({ length: count }, (_, i) =>
      createDigestSchedule(
        demo.memory,
        scheduleRow(
          `C0BULK${String(i).padStart(4, '0')}`,
          [{ title: 'Orders last week', plan: ordersLastWeek() }],
          `U-bulk-${i}`,
        ),
      ),
    );
    const created = await Promise.all(rows);
    const due = new Date(Math.ceil((Date.now() + 8000) / 1000) * 1000);
    // Once a day at that second: a single slot for all of them.
    const oneSlot: CronSchedule = {
      pattern: `${due.getUTCSeconds()} ${due.getUTCMinutes()} ${due.getUTCHours()} * * *`,
      tz: 'UTC',
    };
    const before = digestPosts().length;
    const outcomes: DigestOutcome[] = [];
    await Promise.all([
      startInstance(queueName, oneSlot, outcomes),
      startInstance(queueName, oneSlot, outcomes),
    ]);
    const bulk = () => digestPosts().slice(before);
    await waitFor(`${count} digests`, () => bulk().length >= count, 240_000);
    await new Promise((r) => setTimeout(r, 1500)); // time for any second copy to show up
    const posts = bulk();
    expect(posts).toHaveLength(count);
    expect(new Set(posts.map((p) => p.scheduleId))).toEqual(new Set(created.map((s) => s.id)));
    expect(new Set(posts.map((p) => p.slot))).toEqual(new Set([due.toISOString()]));
    expect(outcomes.filter((o) => o === 'posted')).toHaveLength(count);
  }, 300_000);
});

describe('one run slot', () => {
  it('is posted once however many runs of it race (a job delivered twice)', async () => {
    const s = await createDigestSchedule(
      demo.memory,
      scheduleRow('C0RACE0001', [{ title: 'Orders', plan: ordersLastWeek() }]),
    );
    const slot = new Date('2026-11-25T09:00:00Z');
    const deps = { services, poster, log };
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => runDigest(deps, { teamId: TEAM, scheduleId: s.id, slot })),
    );
    expect(outcomes.sort()).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate', 'posted']);
    expect(digestPosts(s.id).map((p) => p.slot)).toEqual([slot.toISOString()]);
    // An earlier slot arriving late is not posted after a later one.
    expect(
      await runDigest(deps, { teamId: TEAM, scheduleId: s.id, slot: new Date('2026-11-24T09:00:00Z') }),
    ).toBe('duplicate');
    expect(await runDigest(deps, { teamId: 'T-other', scheduleId: s.id, slot })).toBe('inactive');
  });
});

describe('digests that cannot be delivered as planned', () => {
  it('refuse bad schedules with a clear message and store nothing', async () => {
    slack.gone.set('C0GONE0001', 'channel_not_found');
    const ctx = { teamId: TEAM, userId: OWNER, timeZone: 'Europe/Berlin' };
    const deps = { services, poster };
    const replies = await Promise.all(
      [
        'schedule 2020-01-01 09:00 #sales',
        'schedule daily 9:75 #sales',
        'schedule daily 09:00 sales',
        'schedule daily 09:00 <#C0GONE0001|old-team>',
        'schedule fortnightly 09:00 #sales',
      ].map((text) => handleUsual(text, ctx, deps)),
    );
    expect(replies.map((r) => r.text)).toEqual([
      expect.stringMatching(/^2020-01-01 09:00 \(Europe\/Berlin\) has already passed\./),
      expect.stringMatching(/^"9:75" isn't a time of day I can use/),
      expect.stringMatching(/^"sales" isn't a channel I can post to/),
      "The channel #old-team doesn't exist, or I can't see it.",
      expect.stringMatching(/^I don't know the schedule "fortnightly"/),
    ]);
    expect(await listDigestSchedules(demo.memory, TEAM)).toEqual([]);
    expect((await handleUsual('stop 999', ctx, deps)).text).toMatch(/There is no digest #999/);
  });

  it('pauses a digest whose channel was archived, tells its owner and stops its timer', async () => {
    const queueName = uniqueName('digests');
    const outcomes: DigestOutcome[] = [];
    const scheduler = await startInstance(queueName, EVERY_2S, outcomes);
    const s = await createDigestSchedule(
      demo.memory,
      scheduleRow('C0ARCHIVE1', [{ title: 'Orders', plan: ordersLastWeek() }], 'U-arch'),
    );
    slack.gone.set('C0ARCHIVE1', 'is_archived');
    await scheduler.arm(s);
    await waitFor('the owner to be told', () => dmsTo('U-arch').length > 0, 20_000);
    expect(dmsTo('U-arch')[0]).toBe(
      `I paused your digest #${s.id}: The channel <#C0ARCHIVE1> was archived. Invite me to a channel and run \`/usual resume ${s.id}\`, or \`/usual stop ${s.id}\` to remove it.`,
    );
    expect((await getDigestSchedule(demo.memory, TEAM, s.id))?.paused).toBe(true);
    await waitFor('the timer to go', async () => !(await jobSchedulerExists(queueName, s.id)), 5000);
    expect(outcomes).toEqual(['paused']);
    expect(digestPosts(s.id)).toEqual([]);

    // Back in business: resume re-checks the channel and re-arms.
    slack.gone.delete('C0ARCHIVE1');
    const resumed = await handleUsual(
      `resume ${s.id}`,
      { teamId: TEAM, userId: 'U-arch' },
      { services, poster, scheduler },
    );
    expect(resumed.text).toBe(`Resumed digest #${s.id}: daily at 09:00 to <#C0ARCHIVE1>.`);
    await waitFor('a digest after resuming', () => digestPosts(s.id).length > 0, 20_000);
  }, 60_000);

  it('posts what it can when a query fails and tells the owner; posts nothing when all fail', async () => {
    const queueName = uniqueName('digests');
    const outcomes: DigestOutcome[] = [];
    const broken: QueryPlan = {
      ...ordersLastWeek(),
      measures: [
        {
          agg: 'sum',
          expr: { kind: 'column', ref: { table: 'public.orders', column: 'gross_total' } },
          as: 'gross',
        },
      ],
    };
    const partial = await createDigestSchedule(
      demo.memory,
      scheduleRow(
        'C0PARTIAL1',
        [
          { title: 'Orders last week', plan: ordersLastWeek() },
          { title: 'Gross last week', plan: broken },
        ],
        'U-partial',
      ),
    );
    const failing = await createDigestSchedule(
      demo.memory,
      scheduleRow('C0FAILING1', [{ title: 'Gross last week', plan: broken }], 'U-failing'),
    );
    await startInstance(queueName, EVERY_2S, outcomes);
    await waitFor(
      'both owners told',
      () => dmsTo('U-partial').length > 0 && dmsTo('U-failing').length > 0,
      20_000,
    );

    const [post] = digestPosts(partial.id);
    expect(post?.text).toContain('• Orders last week: ');
    expect(post?.text).toContain('• Gross last week: ⚠️ ');
    expect(dmsTo('U-partial')[0]).toMatch(
      new RegExp(
        `^Your digest #${partial.id} to <#C0PARTIAL1> went out without 1 of its 2 panels\\.\\n• Gross last week: .+\\nI will try again at the next scheduled time\\.$`,
      ),
    );
    expect(digestPosts(failing.id)).toEqual([]);
    expect(dmsTo('U-failing')[0]).toMatch(
      new RegExp(
        `^Your digest #${failing.id} to <#C0FAILING1> was not posted: none of its panels could be run\\.`,
      ),
    );
    expect(outcomes).toContain('failed');
  }, 60_000);
});

async function jobSchedulerExists(queueName: string, scheduleId: number): Promise<boolean> {
  const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(queueName, { connection, prefix: testRedis.prefix.replace(/:$/, '') });
  try {
    return (await queue.getJobScheduler(schedulerIdOf(scheduleId))) !== undefined;
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
