// Slack's assistant panel end to end: a new thread gets suggested prompts (the person's usual
// first, then questions read from the schema), a question shows progress as the panel's status,
// names the thread, and is answered in it; the next message there is a follow-up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_BOT_USER_ID, type SlackCall } from '../helpers/fakeSlack.ts';
import { type SlackHarness, startSlackHarness, TEAM_ID } from '../helpers/slackHarness.ts';

const DM = 'D_LENA';
const LENA = 'U_LENA';
const REGULAR = 'U_RAY';

let h: SlackHarness;

interface Prompt {
  title: string;
  message: string;
}

function threadStarted(user: string, threadTs: string) {
  return {
    type: 'assistant_thread_started',
    assistant_thread: {
      user_id: user,
      context: { channel_id: 'C_SALES', team_id: TEAM_ID },
      channel_id: DM,
      thread_ts: threadTs,
    },
    event_ts: threadTs,
  };
}

function threadMessage(text: string, threadTs: string) {
  const ts = h.newTs();
  return {
    type: 'message',
    channel_type: 'im',
    channel: DM,
    user: LENA,
    text,
    ts,
    thread_ts: threadTs,
    event_ts: ts,
  };
}

async function promptsFor(user: string): Promise<Prompt[]> {
  const threadTs = h.newTs();
  expect((await h.postEvent(threadStarted(user, threadTs))).status).toBe(200);
  const call = await h.fake.waitForCall(
    'assistant.threads.setSuggestedPrompts',
    (b) => b.thread_ts === threadTs,
  );
  expect(call.body.channel_id).toBe(DM);
  return JSON.parse(String(call.body.prompts)) as Prompt[];
}

/** An answer carries its buttons; a decline or an error is a sentence alone. */
function isAnswer(reply: SlackCall): boolean {
  const blocks = JSON.parse(String(reply.body.blocks ?? '[]')) as { type: string }[];
  return blocks.some((b) => b.type === 'actions');
}

/** The answer posted in the thread after `after` (the assistant replies with a new message). */
function answerIn(threadTs: string, after: number): Promise<SlackCall> {
  return h.fake.waitForCall(
    'chat.postMessage',
    (b, c) => c.seq > after && b.channel === DM && b.thread_ts === threadTs,
    30_000,
  );
}

beforeAll(async () => {
  h = await startSlackHarness();
  // A regular: three questions asked in a channel, so their usual has something in it.
  for (const question of ['Show me total sales for last month', 'How many orders were there last week?']) {
    const ts = h.newTs();
    await h.postEvent({
      type: 'app_mention',
      user: REGULAR,
      text: `<@${FAKE_BOT_USER_ID}> ${question}`,
      ts,
      channel: 'C_SALES',
      event_ts: ts,
    });
    const working = await h.fake.waitForCall('chat.postMessage', (b) => b.thread_ts === ts);
    await h.fake.waitForCall(
      'chat.update',
      (b) => b.ts === working.response.ts && !String(b.text).startsWith('Working…'),
      30_000,
    );
  }
  await h.runtime.learnQueue.drain();
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('the assistant panel', () => {
  it('suggests questions read from the schema to a newcomer, each one it can answer, and the usual', async () => {
    const prompts = await promptsFor(LENA);
    expect(prompts.length).toBeGreaterThanOrEqual(3);
    expect(prompts.length).toBeLessThanOrEqual(4);
    expect(prompts.at(-1)).toEqual({ title: 'My usual dashboard', message: 'Show me the usual' });
    for (const p of prompts) expect(p.title.length).toBeLessThanOrEqual(75);
    // Asked in its own thread, each suggestion gets an answer, not a question back.
    for (const p of prompts.slice(0, -1)) {
      const threadTs = h.newTs();
      const before = h.fake.calls.length;
      await h.postEvent(threadMessage(p.message, threadTs));
      const reply = await answerIn(threadTs, before);
      expect(isAnswer(reply), `${p.message} → ${reply.body.text}`).toBe(true);
    }
  });

  it('puts a regular’s own questions first', async () => {
    const prompts = await promptsFor(REGULAR);
    const messages = prompts.map((p) => p.message);
    expect(messages.slice(0, 2).sort()).toEqual(
      ['How many orders were there last week?', 'Show me total sales for last month'].sort(),
    );
  });

  it('names the thread, shows progress as the status and answers there; the next message follows up', async () => {
    const threadTs = h.newTs();
    const first = h.fake.calls.length;
    await h.postEvent(threadMessage('Show me total sales for last month', threadTs));
    const answer = await answerIn(threadTs, first);
    const title = h.fake.callsOf('assistant.threads.setTitle', (b) => b.thread_ts === threadTs);
    expect(title.map((c) => c.body.title)).toEqual(['Show me total sales for last month']);
    const statuses = h.fake
      .callsOf('assistant.threads.setStatus', (b) => b.thread_ts === threadTs)
      .map((c) => String(c.body.status));
    expect(statuses[0]).toBe('is discovering schema…');
    // No "Working…" message: the status line says it.
    expect(
      h.fake.callsOf(
        'chat.postMessage',
        (b) => b.thread_ts === threadTs && String(b.text).startsWith('Working…'),
      ),
    ).toHaveLength(0);
    expect(isAnswer(answer)).toBe(true);
    expect(String(answer.body.text)).toMatch(/\$[\d,]+\.\d\d/);

    const second = h.fake.calls.length;
    await h.postEvent(threadMessage('Now break that down by product category', threadTs));
    const followUp = await answerIn(threadTs, second);
    expect(String(followUp.body.blocks)).toContain('as a follow-up in this thread');
    expect(h.fake.callsOf('assistant.threads.setTitle', (b) => b.thread_ts === threadTs)).toHaveLength(1);
  });
});
