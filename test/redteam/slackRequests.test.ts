// Requests to /slack/events that Slack did not send, or that are too big to be Slack's: each is
// refused before any work, calls nothing on Slack's Web API and leaves Quarry's memory as it
// was. A real signed request sent alongside still gets its answer.
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_PATH } from '../../src/bot/app.ts';
import { FAKE_BOT_USER_ID } from '../helpers/fakeSlack.ts';
import { type SlackHarness, slackSignature, startSlackHarness, TEAM_ID } from '../helpers/slackHarness.ts';

let h: SlackHarness;

const now = () => Math.floor(Date.now() / 1000);

function mentionBody(text: string): string {
  const ts = h.newTs();
  return JSON.stringify({
    type: 'event_callback',
    team_id: TEAM_ID,
    api_app_id: 'A_QUARRY',
    event_id: `Ev_redteam_${ts}`,
    event_time: now(),
    authorizations: [{ team_id: TEAM_ID, user_id: FAKE_BOT_USER_ID, is_bot: true }],
    event: {
      type: 'app_mention',
      user: 'U_MALLORY',
      text: `<@${FAKE_BOT_USER_ID}> ${text}`,
      ts,
      channel: 'C_X',
      event_ts: ts,
    },
  });
}

const commandBody = () =>
  new URLSearchParams({
    command: '/usual',
    text: 'schedules',
    user_id: 'U_MALLORY',
    channel_id: 'C_X',
    team_id: TEAM_ID,
  }).toString();

const actionBody = () =>
  new URLSearchParams({
    payload: JSON.stringify({
      type: 'block_actions',
      team: { id: TEAM_ID },
      user: { id: 'U_MALLORY', team_id: TEAM_ID },
      actions: [{ type: 'button', action_id: 'feedback_down', value: 'any-answer' }],
    }),
  }).toString();

interface Forgery {
  name: string;
  body: () => string;
  contentType: string;
  headers: (body: string) => Record<string, string>;
  status: number;
}

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const signed = (body: string, at = now(), secret = h.signingSecret) => ({
  'X-Slack-Request-Timestamp': String(at),
  'X-Slack-Signature': slackSignature(secret, at, body),
});

const FORGERIES: Forgery[] = [
  {
    name: 'an event signed with another secret',
    body: () => mentionBody('Show me total sales for last month'),
    contentType: JSON_TYPE,
    headers: (b) => signed(b, now(), 'f'.repeat(32)),
    status: 401,
  },
  {
    name: 'an event signed six minutes ago (a replay)',
    body: () => mentionBody('Show me total sales for last month'),
    contentType: JSON_TYPE,
    headers: (b) => signed(b, now() - 6 * 60),
    status: 401,
  },
  {
    name: 'an event without a signature',
    body: () => mentionBody('Show me total sales for last month'),
    contentType: JSON_TYPE,
    headers: () => ({ 'X-Slack-Request-Timestamp': String(now()) }),
    status: 401,
  },
  {
    name: 'an event without a timestamp',
    body: () => mentionBody('Show me total sales for last month'),
    contentType: JSON_TYPE,
    headers: (b) => ({ 'X-Slack-Signature': slackSignature(h.signingSecret, now(), b) }),
    status: 401,
  },
  {
    name: 'an event whose body was changed after signing',
    body: () => mentionBody('DROP TABLE orders'),
    contentType: JSON_TYPE,
    headers: (b) => signed(b.replace('DROP TABLE orders', 'Show me total sales')),
    status: 401,
  },
  {
    name: 'a signature with the right secret over another timestamp',
    body: () => mentionBody('Show me total sales for last month'),
    contentType: JSON_TYPE,
    headers: (b) => ({ ...signed(b, now() - 1), 'X-Slack-Request-Timestamp': String(now()) }),
    status: 401,
  },
  {
    name: 'a signature made with SHA-1 instead of SHA-256',
    body: () => mentionBody('Show me total sales for last month'),
    contentType: JSON_TYPE,
    headers: (b) => ({
      'X-Slack-Request-Timestamp': String(now()),
      'X-Slack-Signature': `v0=${createHmac('sha1', h.signingSecret).update(`v0:${now()}:${b}`).digest('hex')}`,
    }),
    status: 401,
  },
  {
    name: 'a slash command with a forged signature',
    body: commandBody,
    contentType: FORM_TYPE,
    headers: (b) => signed(b, now(), '0'.repeat(32)),
    status: 401,
  },
  {
    name: 'a button click with a forged signature',
    body: actionBody,
    contentType: FORM_TYPE,
    headers: (b) => signed(b, now(), '0'.repeat(32)),
    status: 401,
  },
  {
    name: 'a signed body of 5 MB (beyond anything Slack sends)',
    body: () => mentionBody('x'.repeat(5 * 1024 * 1024)),
    contentType: JSON_TYPE,
    headers: (b) => signed(b),
    status: 413,
  },
  {
    name: 'an ssl_check smuggling an event payload',
    body: () => new URLSearchParams({ ssl_check: '1', payload: mentionBody('delete my orders') }).toString(),
    contentType: FORM_TYPE,
    headers: () => ({}),
    status: 200,
  },
];

async function memoryRows(): Promise<number> {
  const [row] = await h.runtime.memoryDb.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM user_query_history) + (SELECT count(*) FROM answer_feedback)
          + (SELECT count(*) FROM digest_schedules) AS n`,
  );
  return Number(row!.n);
}

/** A POST on a connection of its own (a refused 5 MB body ends its connection); the status. */
function postAlone(body: string, contentType: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${h.baseUrl}${EVENTS_PATH}`, {
      method: 'POST',
      agent: false,
      headers: { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), ...headers },
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    // The server may answer 413 and close before reading the whole body.
    req.on('error', (e) => (req.writableEnded ? undefined : reject(e)));
    req.end(body);
  });
}

beforeAll(async () => {
  h = await startSlackHarness();
  // Bolt checks the bot token once at start; that call is not one of the requests below.
  await h.fake.waitForCall('auth.test');
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('requests Slack did not send', () => {
  it.each(FORGERIES)('refuses $name', async ({ body, contentType, headers, status }) => {
    const callsBefore = h.fake.calls.length;
    const rowsBefore = await memoryRows();
    const text = body();
    expect(await postAlone(text, contentType, headers(text))).toBe(status);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fake.calls.length).toBe(callsBefore);
    expect(await memoryRows()).toBe(rowsBefore);
  });

  it('still answers a correctly signed request, and refuses a 10,000-character question in words', async () => {
    const answered = async (question: string) => {
      const body = mentionBody(question);
      const { ts } = JSON.parse(body).event as { ts: string };
      const res = await h.post(body, JSON_TYPE);
      expect(res.status).toBe(200);
      const working = await h.fake.waitForCall('chat.postMessage', (b) => b.thread_ts === ts);
      return h.fake.waitForCall(
        'chat.update',
        (b) => b.ts === working.response.ts && !String(b.text).startsWith('Working…'),
        30_000,
      );
    };
    expect(String((await answered('How many customers do we have?')).body.text)).toMatch(/\d/);
    expect(String((await answered(`total sales ${'very '.repeat(2000)}`)).body.text)).toMatch(
      /characters long; please keep it under 2000/,
    );
  });
});
