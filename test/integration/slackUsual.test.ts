// `/usual` and "show me the usual" through Slack end to end: signed commands and events in,
// the dashboard and its image out at the fake Web API, digests scheduled into the running
// scheduler's queue in Redis, management replies only for the asker (response_url).
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeText } from '../../src/slack/mrkdwn.ts';
import { schedulerIdOf } from '../../src/usual/digestScheduler.ts';
import { FAKE_BOT_ID, FAKE_BOT_USER_ID, type SlackCall } from '../helpers/fakeSlack.ts';
import { TEST_REDIS_URL } from '../helpers/services.ts';
import { type SlackHarness, startSlackHarness, TEAM_ID } from '../helpers/slackHarness.ts';

const CHANNEL = 'C_SALES';
const ANALYST = 'U_MIA';
const NEWCOMER = 'U_NEW';
const LONG_ASKER = 'U_LONG';
// Questions near the 2,000 characters Quarry answers; the padding is words the planner skips.
const PADDING = Array.from({ length: 240 }, () => 'and the').join(' ');
const LONG_QUESTIONS = [
  `Show me total sales for last month, ${PADDING}`,
  `Sales by product category last month, ${PADDING}`,
];
const HISTORY = [
  'Show me total sales for last month',
  'Sales by product category last month',
  'What were our top selling products last week?',
  'Monthly sales over the last 12 months',
];
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let h: SlackHarness;
let redis: Redis;
let digestQueue: Queue;

const isWorking = (body: Record<string, unknown>) => String(body.text).startsWith('Working…');

/** The reply that replaced the "Working…" message in a thread. */
async function replyIn(threadTs: string): Promise<SlackCall> {
  const working = await h.fake.waitForCall(
    'chat.postMessage',
    (b) => b.thread_ts === threadTs && b.channel === CHANNEL && isWorking(b),
  );
  return h.fake.waitForCall('chat.update', (b) => b.ts === working.response.ts && !isWorking(b), 30_000);
}

async function mention(user: string, text: string, ts = h.newTs()): Promise<SlackCall> {
  const res = await h.postEvent({
    type: 'app_mention',
    user,
    text: `<@${FAKE_BOT_USER_ID}> ${text}`,
    ts,
    channel: CHANNEL,
    event_ts: ts,
  });
  expect(res.status).toBe(200);
  return replyIn(ts);
}

interface Block {
  type: string;
  text?: { text: string };
  elements?: { action_id?: string; value?: string }[];
}

const blocksOf = (call: SlackCall): Block[] => JSON.parse(String(call.body.blocks ?? '[]'));

/** Asks `question` as `user` and presses "Add to my usual" under the answer. */
async function askAndPin(user: string, question: string): Promise<void> {
  const threadTs = h.newTs();
  const reply = await mention(user, question, threadTs);
  const answerId = blocksOf(reply)
    .find((b) => b.type === 'actions')
    ?.elements?.find((e) => e.action_id === 'add_to_usual')?.value;
  expect(answerId, String(reply.body.text)).toBeTruthy();
  await h.postAction({
    user: { id: user, team_id: TEAM_ID },
    channel: { id: CHANNEL },
    message: { ts: String(reply.body.ts), thread_ts: threadTs, bot_id: FAKE_BOT_ID },
    actions: [
      {
        type: 'button',
        action_id: 'add_to_usual',
        block_id: 'answer_actions',
        value: answerId,
        action_ts: '1',
      },
    ],
  });
  await h.fake.waitForCall(
    'chat.postEphemeral',
    (b) => b.user === user && b.thread_ts === threadTs && String(b.text).includes('to your usual'),
  );
}

/** `/usual <text>` as `user`; the ephemeral reply posted to the command's response_url. */
async function usualForAsker(user: string, text: string): Promise<string> {
  const before = h.fake.callsOf('response_url').length;
  const res = await h.postCommand({ command: '/usual', text, user_id: user, channel_id: CHANNEL });
  expect(res.status).toBe(200);
  const deadline = Date.now() + 20_000;
  while (h.fake.callsOf('response_url').length === before) {
    if (Date.now() > deadline) throw new Error(`no reply to /usual ${text}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const reply = h.fake.callsOf('response_url')[before]!.body;
  expect(reply.response_type).toBe('ephemeral');
  return String(reply.text);
}

function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The image uploaded into a thread: completeUploadExternal names the thread, the bytes came before. */
async function imageIn(threadTs: string): Promise<Buffer> {
  const done = await h.fake.waitForCall('files.completeUploadExternal', (b) => b.thread_ts === threadTs);
  const [file] = JSON.parse(String(done.body.files)) as { id: string }[];
  return h.fake.uploads.get(file!.id)!.bytes;
}

beforeAll(async () => {
  h = await startSlackHarness({ digests: true, rateLimits: { perUser: 50, perTeam: 500 } });
  h.fake.addChannel(CHANNEL, 'sales');
  h.fake.addChannel('C0BOARD01', 'board', false);
  for (const question of HISTORY) {
    const reply = await mention(ANALYST, question);
    expect(String(reply.body.text)).not.toMatch(/^:warning:/);
  }
  await h.runtime.learnQueue.drain();
  redis = new Redis(TEST_REDIS_URL);
  digestQueue = new Queue('quarry-digests', { connection: redis, prefix: `${h.redisPrefix}bull` });
}, 180_000);

afterAll(async () => {
  await digestQueue?.close();
  redis?.disconnect();
  await h?.close();
});

describe('/usual in Slack', () => {
  it('posts the dashboard in the thread of its message: a line per panel and one combined image', async () => {
    const res = await h.postCommand({ command: '/usual', text: '', user_id: ANALYST, channel_id: CHANNEL });
    expect(res.status).toBe(200);
    const root = await h.fake.waitForCall(
      'chat.postMessage',
      (b) => b.channel === CHANNEL && b.thread_ts === undefined && String(b.text).includes('/usual'),
    );
    const threadTs = String(root.response.ts);
    const reply = await replyIn(threadTs);
    const lines = String(reply.body.text).split('\n');
    expect(lines.length).toBe(HISTORY.length);
    expect(lines.every((l) => l.startsWith('• '))).toBe(true);
    expect(lines.join('\n')).toContain('Total sales for last month: $');
    const image = pngSize(await imageIn(threadTs));
    expect(image.width).toBeGreaterThan(1000);
    expect(image.height).toBeGreaterThan(500);
  });

  it('answers "show me the usual sales dashboard" in a thread with the panels about sales', async () => {
    const reply = await mention(ANALYST, 'show me the usual sales dashboard');
    const lines = String(reply.body.text).split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.every((l) => /^• .*sales/i.test(l))).toBe(true);
  });

  it('shows a dashboard of two pinned near-2,000-character questions whole: update and image both taken', async () => {
    for (const question of LONG_QUESTIONS) await askAndPin(LONG_ASKER, question);
    // "Add to my usual" keeps the whole question as the panel's title.
    const pins = await h.runtime.memoryDb.query<{ title: string }>(
      'SELECT title FROM usual_pins WHERE team_id = $1 AND user_id = $2 ORDER BY id',
      [TEAM_ID, LONG_ASKER],
    );
    expect(pins.map((p) => p.title)).toEqual(LONG_QUESTIONS);

    const res = await h.postCommand({
      command: '/usual',
      text: '',
      user_id: LONG_ASKER,
      channel_id: CHANNEL,
    });
    expect(res.status).toBe(200);
    const root = await h.fake.waitForCall(
      'chat.postMessage',
      (b) =>
        b.channel === CHANNEL && b.thread_ts === undefined && String(b.text).includes(`<@${LONG_ASKER}>`),
    );
    const threadTs = String(root.response.ts);
    // The update Slack took (the fake refuses what Slack refuses) replaced "Working…".
    const reply = await replyIn(threadTs);
    const shown = blocksOf(reply)
      .filter((b) => b.type === 'section')
      .map((b) => b.text!.text)
      .join('\n');
    for (const question of LONG_QUESTIONS) expect(shown).toContain(`• ${escapeText(question)}: $`);
    expect(shown).not.toContain('(shortened)');
    expect(String(reply.body.text).length).toBeLessThanOrEqual(4000);

    const image = pngSize(await imageIn(threadTs));
    expect(image.width).toBeGreaterThan(1000);
    const asked = h.fake.callsOf('files.getUploadURLExternal', (b) => b.filename === 'usual-dashboard.png');
    const alt = String(asked.at(-1)!.body.alt_text);
    expect(alt.length).toBeLessThanOrEqual(1000);
    expect(alt).toContain('Show me total sales for last month, and the');
    expect(alt).toContain('Sales by product category last month, and the');
    expect(h.fake.refusals()).toEqual([]);
  });

  it('offers questions to someone with no history instead of an empty dashboard', async () => {
    const reply = await mention(NEWCOMER, 'show me the usual');
    expect(String(reply.body.text)).toMatch(/none of your questions from the last 30 days/);
    expect(String(reply.body.text)).toMatch(/\n {2}– /);
  });

  it('lists, schedules and stops digests with replies only the asker sees', async () => {
    const listed = await usualForAsker(ANALYST, 'list');
    expect(listed).toContain('From your questions of the last 30 days:');

    const scheduled = await usualForAsker(ANALYST, 'schedule weekdays 08:30 #sales');
    const m =
      /^Scheduled digest #(\d+): weekdays at 08:30 \(Europe\/Berlin\) to #sales, with 4 panels\./.exec(
        scheduled,
      );
    expect(m, scheduled).not.toBeNull();
    const id = Number(m![1]);
    // The running scheduler armed the timer in Redis, in the asker's timezone from Slack.
    const timer = await digestQueue.getJobScheduler(schedulerIdOf(id));
    expect(timer?.tz).toBe('Europe/Berlin');
    expect(timer?.pattern).toBe('30 8 * * 1-5');

    expect(await usualForAsker(ANALYST, 'schedules')).toContain(`#${id} · weekdays at 08:30`);
    expect(await usualForAsker(ANALYST, `stop ${id}`)).toBe(`Stopped digest #${id}.`);
    expect(await digestQueue.getJobScheduler(schedulerIdOf(id))).toBeUndefined();
  });

  it('explains a bad schedule or an unknown channel and stores nothing', async () => {
    expect(await usualForAsker(ANALYST, 'schedule daily 25:00 #sales')).toMatch(/25:00/);
    expect(await usualForAsker(ANALYST, 'schedule daily 09:00 #nowhere')).toBe(
      "The channel #nowhere doesn't exist, or I can't see it.",
    );
    expect(await usualForAsker(ANALYST, 'schedule daily 09:00 #board')).toBe(
      "The channel #board doesn't have me in it.",
    );
    expect(await usualForAsker(ANALYST, 'schedule daily 09:00 <#C0BOARD01|board>')).toBe(
      "The channel #board doesn't have me in it.",
    );
    expect(await usualForAsker(ANALYST, 'schedules')).toMatch(/^No digests yet/);
  });
});
