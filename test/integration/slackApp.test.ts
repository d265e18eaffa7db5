// The Slack app end to end: signed requests in, Web API calls out (to a local fake), answers
// computed on the demo shop in a real PostgreSQL with memory in another and Redis.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RATE_LIMITED } from '../../src/bot/blocks/notices.ts';
import { FAKE_BOT_ID, FAKE_BOT_USER_ID, type SlackCall } from '../helpers/fakeSlack.ts';
import { type SlackHarness, startSlackHarness, TEAM_ID } from '../helpers/slackHarness.ts';

interface Block {
  type: string;
  block_id?: string;
  text?: { text: string };
  elements?: { action_id?: string; value?: string; text?: string | { text: string } }[];
}

const CHANNEL = 'C_SALES';
const ASKER = 'U_ANA';
// Each test asks as its own person, so only the rate-limit test meets the limit.
const PER_USER_LIMIT = 5;

let h: SlackHarness;

beforeAll(async () => {
  h = await startSlackHarness({ rateLimits: { perUser: PER_USER_LIMIT, perTeam: 500 } });
}, 120_000);

afterAll(async () => {
  await h?.close();
});

const blocksOf = (call: SlackCall): Block[] => JSON.parse(String(call.body.blocks ?? '[]'));
const sectionTexts = (blocks: Block[]) => blocks.filter((b) => b.type === 'section').map((b) => b.text!.text);
const isWorking = (body: Record<string, unknown>) => String(body.text).startsWith('Working…');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function mention(text: string, ts: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'app_mention',
    user: ASKER,
    text: `<@${FAKE_BOT_USER_ID}> ${text}`,
    ts,
    channel: CHANNEL,
    event_ts: ts,
    ...extra,
  };
}

function channelMessage(text: string, ts: string, threadTs: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'message',
    channel_type: 'channel',
    user: ASKER,
    text,
    ts,
    thread_ts: threadTs,
    channel: CHANNEL,
    event_ts: ts,
    ...extra,
  };
}

/** The "Working…" message posted in a thread and the update that replaced it with the reply. */
async function replyIn(
  threadTs: string,
  channel = CHANNEL,
): Promise<{ working: SlackCall; final: SlackCall }> {
  const working = await h.fake.waitForCall(
    'chat.postMessage',
    (b) => b.thread_ts === threadTs && b.channel === channel && isWorking(b),
  );
  return { working, final: await replacement(working) };
}

/** Clicks "Show SQL" under an answer; its SQL, from the message redrawn in place. */
async function shownSql(answer: SlackCall): Promise<string> {
  const answerId = blocksOf(answer)
    .find((b) => b.type === 'actions')!
    .elements!.find((e) => e.action_id === 'show_sql')!.value!;
  const ts = String(answer.body.ts);
  const before = h.fake.calls.length;
  await h.postAction({
    user: { id: ASKER, team_id: TEAM_ID },
    channel: { id: CHANNEL },
    message: { ts, thread_ts: String(answer.body.thread_ts ?? ''), bot_id: FAKE_BOT_ID },
    actions: [
      { type: 'button', action_id: 'show_sql', block_id: 'answer_actions', value: answerId, action_ts: '1' },
    ],
  });
  const redrawn = await h.fake.waitForCall('chat.update', (b, c) => c.seq > before && b.ts === ts);
  const [summary, sql] = sectionTexts(blocksOf(redrawn));
  expect(summary).toBe(sectionTexts(blocksOf(answer))[0]);
  expect(
    blocksOf(redrawn)
      .find((b) => b.type === 'actions')!
      .elements!.map((e) => e.action_id),
  ).toContain('hide_sql');
  return sql!;
}

/** The update that replaced a "Working…" message with the reply. */
function replacement(working: SlackCall): Promise<SlackCall> {
  return h.fake.waitForCall('chat.update', (b) => b.ts === working.response.ts && !isWorking(b), 30_000);
}

async function waitUntil(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}

async function queryTarget<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: h.targetUrl });
  await client.connect();
  try {
    await client.query(`SET TIME ZONE 'Europe/Berlin'`);
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function queryOne<T extends pg.QueryResultRow>(sql: string): Promise<T> {
  return (await queryTarget<T>(sql))[0]!;
}

const money = (v: string | number) =>
  new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Number(v));

const LAST_MONTH = `o.created_at >= date_trunc('month', now()) - interval '1 month' AND o.created_at < date_trunc('month', now())`;

describe('Slack app over HTTP', () => {
  const thread = { ts: '', answerId: '' };

  it('answers the url_verification challenge', async () => {
    const res = await h.post(
      JSON.stringify({ token: 't', challenge: 'challenge-3b1f', type: 'url_verification' }),
      'application/json',
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('challenge-3b1f');
  });

  it('answers a mention in its thread: summary, SQL, table, buttons and a chart image', async () => {
    thread.ts = h.newTs();
    const res = await h.postEvent(mention('Show me total sales for last month', thread.ts));
    expect(res.status).toBe(200);
    const { working, final } = await replyIn(thread.ts);
    expect(working.body.thread_ts).toBe(thread.ts);

    const { sum } = await queryOne<{ sum: string }>(
      `SELECT sum(o.total) AS sum FROM orders o WHERE ${LAST_MONTH}`,
    );
    const blocks = blocksOf(final);
    const [summary, table] = sectionTexts(blocks);
    const sql = await shownSql(final);
    expect(final.body.text).toContain(money(sum));
    expect(summary).toContain(money(sum));
    expect(sql).toMatch(/^```SELECT SUM\(orders\.total\)/);
    expect(sql).toContain("date_trunc('month', now())");
    expect(table).toContain(money(sum));
    const buttons = blocks.find((b) => b.type === 'actions')!.elements!;
    expect(buttons.map((b) => b.action_id)).toEqual([
      'feedback_up',
      'feedback_down',
      'show_sql',
      'download_csv',
      'add_to_usual',
    ]);
    thread.answerId = buttons[0]!.value!;
    expect(new Set(buttons.map((b) => b.value))).toEqual(new Set([thread.answerId]));

    const completed = await h.fake.waitForCall(
      'files.completeUploadExternal',
      (b) => b.thread_ts === thread.ts && b.channel_id === CHANNEL,
    );
    const [file] = JSON.parse(String(completed.body.files)) as { id: string }[];
    const png = h.fake.uploads.get(file!.id)!;
    expect(png.filename).toBe('chart.png');
    expect(png.bytes.length).toBe(png.length);
    expect(png.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect(png.bytes.readUInt32BE(16)).toBeGreaterThan(100);
    expect(png.bytes.readUInt32BE(20)).toBeGreaterThan(100);
  });

  it('stores the timezone and locale Slack reports in the asker’s profile', async () => {
    const [profile] = await h.runtime.memoryDb.query<{ timezone: string; locale: string }>(
      `SELECT preferences->>'timezone' AS timezone, locale FROM user_profiles WHERE team_id = $1 AND user_id = $2`,
      [TEAM_ID, ASKER],
    );
    expect(profile).toEqual({ timezone: 'Europe/Berlin', locale: 'en-US' });
  });

  it('treats a reply in the thread as a follow-up, and ignores other threads, bots and edits', async () => {
    const otherThread = h.newTs();
    await h.postEvent(channelMessage('Now break that down by product category', h.newTs(), otherThread));
    await h.postEvent(
      channelMessage('Now break that down by product category', h.newTs(), thread.ts, {
        bot_id: 'B_OTHER',
        subtype: 'bot_message',
      }),
    );
    await h.postEvent({
      type: 'message',
      subtype: 'message_changed',
      channel: CHANNEL,
      channel_type: 'channel',
      ts: h.newTs(),
      message: { type: 'message', user: ASKER, text: 'edited', ts: thread.ts, thread_ts: thread.ts },
    });
    await h.postEvent(channelMessage('Now break that down by product category', h.newTs(), thread.ts));

    const workingPosts = () =>
      h.fake.callsOf('chat.postMessage', (b) => b.thread_ts === thread.ts && isWorking(b));
    await waitUntil(() => workingPosts().length === 2);
    const final = await replacement(workingPosts()[1]!);
    const [summary, table] = sectionTexts(blocksOf(final));
    const sql = await shownSql(final);
    expect(sql).toContain('products.category');
    expect(sql).toContain('GROUP BY products.category');
    expect(sql).toContain('order_items.price * order_items.quantity');

    const byCategory = await queryTarget<{ category: string; sales: string }>(
      `SELECT p.category, sum(i.price * i.quantity) AS sales
       FROM order_items i JOIN products p ON p.id = i.product_id JOIN orders o ON o.id = i.order_id
       WHERE ${LAST_MONTH} GROUP BY p.category ORDER BY sales DESC`,
    );
    expect(summary).toContain(byCategory[0]!.category);
    for (const row of byCategory) expect(table).toContain(`${row.category}`);
    expect(table).toContain(money(byCategory[0]!.sales));

    await sleep(300);
    expect(h.fake.callsOf('chat.postMessage', (b) => b.thread_ts === otherThread)).toHaveLength(0);
    expect(workingPosts()).toHaveLength(2);
  });

  it('answers a DM in a thread under the message', async () => {
    const ts = h.newTs();
    await h.postEvent({
      type: 'message',
      channel_type: 'im',
      channel: 'D_DANA',
      user: 'U_DANA',
      text: 'How many customers do we have?',
      ts,
      event_ts: ts,
    });
    const { working, final } = await replyIn(ts, 'D_DANA');
    expect(working.body.thread_ts).toBe(ts);
    const { count } = await queryOne<{ count: string }>('SELECT count(*) FROM customers');
    expect(String(final.body.text)).toContain(new Intl.NumberFormat('en-US').format(Number(count)));
  });

  it('rejects a wrongly signed and a stale request with 401, calling nothing', async () => {
    await sleep(500);
    const before = h.fake.calls.length;
    const forged = await h.postEvent(mention('Show me total sales for last month', h.newTs()), {
      secret: 'f'.repeat(32),
    });
    expect(forged.status).toBe(401);
    const stale = await h.postEvent(mention('Show me total sales for last month', h.newTs()), {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(stale.status).toBe(401);
    await sleep(500);
    expect(h.fake.calls.length).toBe(before);
  });

  it('answers an event delivered three times at once exactly once', async () => {
    const ts = h.newTs();
    const event = mention('How many orders were there last week?', ts, { user: 'U_RETRY' });
    const responses = await Promise.all(
      [undefined, '1', '2'].map((retry) =>
        h.postEvent(event, {
          eventId: 'Ev_RETRIED_ONCE',
          headers: retry ? { 'X-Slack-Retry-Num': retry, 'X-Slack-Retry-Reason': 'http_timeout' } : {},
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    await replyIn(ts);
    await sleep(500);
    expect(h.fake.callsOf('chat.postMessage', (b) => b.thread_ts === ts)).toHaveLength(1);
  });

  it('still delivers when Slack answers 429 once', async () => {
    h.fake.rateLimitOnce('chat.postMessage', 1);
    const ts = h.newTs();
    await h.postEvent(mention('How many products do we sell?', ts, { user: 'U_LIMITED' }));
    const { final } = await replyIn(ts);
    expect(blocksOf(final).length).toBeGreaterThan(0);
    const limited = h.fake.calls.filter((c) => c.method === 'chat.postMessage' && c.status === 429);
    expect(limited).toHaveLength(1);
    expect(limited[0]!.body.thread_ts).toBe(ts);
  });

  it('says what went wrong, without a stack trace, when a question cannot be answered', async () => {
    const ts = h.newTs();
    await h.postEvent(
      mention('What is the airspeed velocity of an unladen swallow?', ts, { user: 'U_CURIOUS' }),
    );
    const { final } = await replyIn(ts);
    const blocks = blocksOf(final);
    expect(sectionTexts(blocks)[0]).toMatch(/^:warning: \S/);
    expect(String(final.body.text)).not.toMatch(/\n\s+at |Error:/);
    expect(blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('asks back with readings as buttons; a reply "2" or a press answers the reading picked', async () => {
    const ts = h.newTs();
    const user = 'U_PICKER';
    await h.postEvent(mention('top customers', ts, { user }));
    const { final: askedBack } = await replyIn(ts);
    const blocks = blocksOf(askedBack);
    const buttons = blocks.find((b) => b.block_id === 'readings')!.elements!;
    expect(buttons.map((e) => e.action_id)).toEqual(['pick_reading_1', 'pick_reading_2', 'pick_reading_3']);
    expect(buttons.map((e) => e.value)).toContain('top customers by number of orders');
    const second = buttons.findIndex((e) => e.value === 'top customers by number of orders') + 1;
    expect(String(askedBack.body.text)).toContain(`${second}. Orders by customer`);

    const [top] = await queryTarget<{ name: string; orders: string }>(
      `SELECT c.name, count(*) AS orders FROM orders o JOIN customers c ON c.id = o.customer_id
       GROUP BY c.id, c.name ORDER BY orders DESC LIMIT 1`,
    );
    const before = h.fake.calls.length;
    await h.postEvent(channelMessage(String(second), h.newTs(), ts, { user }));
    const working = await h.fake.waitForCall(
      'chat.postMessage',
      (b, c) => c.seq > before && b.thread_ts === ts && isWorking(b),
    );
    const picked = sectionTexts(blocksOf(await replacement(working)))[0]!;
    expect(picked).toMatch(/^\*Orders by customer: top 100 of [\d,]+ customers; top: /);
    expect(picked).toContain(`${top!.name} with ${top!.orders} orders`);

    // The first button, pressed on the message that asked back.
    const first = buttons[0]!;
    const label = typeof first.text === 'string' ? first.text : first.text!.text;
    const pressedAt = h.fake.calls.length;
    await h.postAction({
      user: { id: user, team_id: TEAM_ID },
      channel: { id: CHANNEL },
      message: {
        ts: String(askedBack.body.ts),
        thread_ts: ts,
        bot_id: FAKE_BOT_ID,
        text: 'asked back',
        blocks,
      },
      actions: [
        {
          type: 'button',
          action_id: first.action_id,
          value: first.value,
          block_id: 'readings',
          action_ts: '1',
          text: { type: 'plain_text', text: label },
        },
      ],
    });
    const marked = await h.fake.waitForCall(
      'chat.update',
      (b, c) => c.seq > pressedAt && b.ts === askedBack.body.ts,
    );
    const markedBlocks = blocksOf(marked);
    expect(markedBlocks.some((b) => b.block_id?.startsWith('readings'))).toBe(false);
    expect(JSON.stringify(markedBlocks)).toContain(`<@${user}> picked: 1. `);
    const answered = await h.fake.waitForCall(
      'chat.postMessage',
      (b, c) => c.seq > pressedAt && b.thread_ts === ts && isWorking(b),
    );
    const reading = sectionTexts(blocksOf(await replacement(answered)))[0]!;
    expect(reading.startsWith(`*${label.replace(/^1\. /, '').replace(/, top 100$/, '')}: top 100 of `)).toBe(
      true,
    );
  });

  it('records 👍 on an answer', async () => {
    const res = await h.postAction({
      user: { id: ASKER, team_id: TEAM_ID },
      channel: { id: CHANNEL },
      message: { ts: h.newTs(), thread_ts: thread.ts, bot_id: FAKE_BOT_ID },
      actions: [
        {
          type: 'button',
          action_id: 'feedback_up',
          block_id: 'answer_actions',
          value: thread.answerId,
          action_ts: '1',
        },
      ],
    });
    expect(res.status).toBe(200);
    await h.fake.waitForCall('chat.postEphemeral', (b) => b.user === ASKER && b.thread_ts === thread.ts);
    const rows = await h.runtime.memoryDb.query<{ rating: string }>(
      'SELECT rating FROM answer_feedback WHERE team_id = $1 AND user_id = $2 AND answer_id = $3',
      [TEAM_ID, ASKER, thread.answerId],
    );
    expect(rows).toEqual([{ rating: 'up' }]);
  });

  it('uploads the shown rows as CSV and pins the answer to the usual', async () => {
    const click = (actionId: string) =>
      h.postAction({
        user: { id: ASKER, team_id: TEAM_ID },
        channel: { id: CHANNEL },
        message: { ts: h.newTs(), thread_ts: thread.ts, bot_id: FAKE_BOT_ID },
        actions: [
          {
            type: 'button',
            action_id: actionId,
            block_id: 'answer_actions',
            value: thread.answerId,
            action_ts: '1',
          },
        ],
      });
    await click('download_csv');
    const done = await h.fake.waitForCall('files.completeUploadExternal', (b) =>
      [...h.fake.uploads.values()].some((u) => u.filename.endsWith('.csv') && String(b.files).includes(u.id)),
    );
    const [file] = JSON.parse(String(done.body.files)) as { id: string }[];
    const csv = h.fake.uploads.get(file!.id)!;
    expect(csv.filename).toBe('show-me-total-sales-for-last-month.csv');
    const { sum } = await queryOne<{ sum: string }>(
      `SELECT sum(o.total) AS sum FROM orders o WHERE ${LAST_MONTH}`,
    );
    expect(csv.bytes.toString('utf8')).toBe(`sales\n${sum}\n`);

    await click('add_to_usual');
    await h.fake.waitForCall('chat.postEphemeral', (b) => String(b.text).includes('to your usual'));
    const pins = await h.runtime.memoryDb.query<{ title: string }>(
      'SELECT title FROM usual_pins WHERE team_id = $1 AND user_id = $2',
      [TEAM_ID, ASKER],
    );
    expect(pins).toEqual([{ title: 'Show me total sales for last month' }]);
  });

  it('asks a person over the per-minute limit to wait, once', async () => {
    const threads = Array.from({ length: PER_USER_LIMIT + 2 }, () => h.newTs());
    for (const ts of threads)
      await h.postEvent(mention('How many customers do we have?', ts, { user: 'U_BUSY' }));
    const inThreads = (b: Record<string, unknown>) => threads.includes(String(b.thread_ts));
    const working = () => h.fake.callsOf('chat.postMessage', (b) => isWorking(b) && inThreads(b));
    const refusals = () => h.fake.callsOf('chat.postMessage', (b) => b.text === RATE_LIMITED && inThreads(b));
    await waitUntil(() => working().length >= PER_USER_LIMIT && refusals().length >= 1);
    await Promise.all(working().map(replacement));
    await sleep(300);
    expect(working()).toHaveLength(PER_USER_LIMIT);
    expect(refusals()).toHaveLength(1);
    const silent = threads.filter(
      (ts) => !h.fake.callsOf('chat.postMessage', (b) => b.thread_ts === ts).length,
    );
    expect(silent).toHaveLength(1);
  });

  it('serves /healthz and /metrics beside the events endpoint', async () => {
    const health = await fetch(`${h.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    const metrics = await (await fetch(`${h.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/quarry_answers_total\{source="rules",error_kind="none"\} [1-9]/);
    expect(metrics).toMatch(/quarry_answers_total\{source="none",error_kind="not_understood"\} [1-9]/);
    expect(metrics).toMatch(/quarry_stage_duration_seconds_count\{stage="execute"\} [1-9]/);
    expect(metrics).toContain('quarry_memory_hit_ratio');
  });
});
