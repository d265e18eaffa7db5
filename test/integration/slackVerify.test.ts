// Verify in the thread, against the fake Slack: a data owner's press makes another person's
// same question come back verified; anyone else's press changes nothing; a verified answer that
// later fails is set aside and its owner told in a DM.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_BOT_ID, FAKE_BOT_USER_ID, type SlackCall } from '../helpers/fakeSlack.ts';
import { DATA_OWNER, DEMO_KNOWLEDGE, type KnowledgeDir, knowledgeDir } from '../helpers/knowledgeFiles.ts';
import { type SlackHarness, startSlackHarness, TEAM_ID } from '../helpers/slackHarness.ts';

interface Block {
  type: string;
  text?: { text: string };
  elements?: { action_id?: string; value?: string; text?: string | { text: string } }[];
}

const CHANNEL = 'C_SALES';
const QUESTION = 'How many customers do we have in Germany?';

let h: SlackHarness;
let files: KnowledgeDir;

beforeAll(async () => {
  files = await knowledgeDir();
  h = await startSlackHarness({ knowledge: await files.write('quarry.yml', DEMO_KNOWLEDGE) });
}, 120_000);

afterAll(async () => {
  await h?.close();
  await files?.remove();
});

const blocksOf = (call: SlackCall): Block[] => JSON.parse(String(call.body.blocks ?? '[]'));
const isWorking = (body: Record<string, unknown>) => String(body.text).startsWith('Working…');
const contextText = (call: SlackCall) => JSON.stringify(blocksOf(call).filter((b) => b.type === 'context'));
const actionIds = (call: SlackCall) =>
  blocksOf(call)
    .find((b) => b.type === 'actions')!
    .elements!.map((e) => e.action_id);

/** Asks in a new thread as `user`; the update that replaced "Working…" with the answer. */
async function ask(user: string, text: string): Promise<SlackCall> {
  const ts = h.newTs();
  await h.postEvent({
    type: 'app_mention',
    user,
    text: `<@${FAKE_BOT_USER_ID}> ${text}`,
    ts,
    channel: CHANNEL,
    event_ts: ts,
  });
  const working = await h.fake.waitForCall('chat.postMessage', (b) => b.thread_ts === ts && isWorking(b));
  return h.fake.waitForCall('chat.update', (b) => b.ts === working.response.ts && !isWorking(b), 30_000);
}

async function pressVerify(user: string, answer: SlackCall): Promise<number> {
  const answerId = blocksOf(answer)
    .find((b) => b.type === 'actions')!
    .elements!.find((e) => e.action_id === 'verify_answer')!.value!;
  const before = h.fake.calls.length;
  await h.postAction({
    user: { id: user, team_id: TEAM_ID },
    channel: { id: CHANNEL },
    message: { ts: String(answer.body.ts), thread_ts: String(answer.body.ts), bot_id: FAKE_BOT_ID },
    actions: [
      {
        type: 'button',
        action_id: 'verify_answer',
        block_id: 'answer_actions',
        value: answerId,
        action_ts: '1',
      },
    ],
  });
  return before;
}

async function verifiedRows(): Promise<
  { question: string; verified_by: string; set_aside_at: Date | null }[]
> {
  return h.runtime.memoryDb.query(
    `SELECT question, verified_by, set_aside_at FROM verified_answers ORDER BY id`,
  );
}

describe('Verify in the thread', () => {
  it('changes nothing when someone who is not a data owner presses it, and tells them so', async () => {
    const answer = await ask('U_ANA', QUESTION);
    expect(actionIds(answer)).toContain('verify_answer');
    const before = await pressVerify('U_ANA', answer);
    const note = await h.fake.waitForCall(
      'chat.postEphemeral',
      (b, c) => c.seq > before && b.user === 'U_ANA',
    );
    expect(String(note.body.text)).toContain('Only the data owners');
    await new Promise((r) => setTimeout(r, 300));
    expect(await verifiedRows()).toEqual([]);
    expect(h.fake.calls.filter((c, i) => i >= before && c.method === 'chat.update')).toEqual([]);
    const again = await ask('U_BEA', QUESTION);
    expect(contextText(again)).not.toContain('Verified by');
  });

  it('verifies for the workspace when an owner presses it: another person’s same question comes back verified', async () => {
    const answer = await ask('U_ANA', QUESTION);
    const before = await pressVerify(DATA_OWNER, answer);
    const redrawn = await h.fake.waitForCall(
      'chat.update',
      (b, c) => c.seq > before && b.ts === answer.body.ts,
    );
    expect(contextText(redrawn)).toContain(`✓ Verified by the data team (<@${DATA_OWNER}>`);
    expect(actionIds(redrawn)).not.toContain('verify_answer');
    const rows = await verifiedRows();
    expect(rows).toMatchObject([{ question: QUESTION, verified_by: DATA_OWNER, set_aside_at: null }]);

    const other = await ask('U_CARL', 'how many customers do we have in germany');
    expect(contextText(other)).toContain(`✓ Verified by the data team (<@${DATA_OWNER}>`);
    expect(contextText(other)).toContain('planned with SQL the data team verified');
    const client = new pg.Client({ connectionString: h.targetUrl });
    await client.connect();
    const { rows: direct } = await client.query(
      "SELECT COUNT(*) AS n FROM customers WHERE country = 'Germany'",
    );
    await client.end();
    expect(JSON.stringify(blocksOf(other))).toContain(String(direct[0].n));
  });

  it('sets a verified answer aside when it fails, tells its owner in a DM, and never uses it again', async () => {
    const client = new pg.Client({ connectionString: h.targetUrl });
    await client.connect();
    try {
      await client.query('ALTER TABLE customers RENAME COLUMN country TO nation');
      const before = h.fake.calls.length;
      const answer = await ask('U_DAN', QUESTION);
      expect(contextText(answer)).not.toContain('Verified by');
      const dm = await h.fake.waitForCall(
        'chat.postMessage',
        (b, c) => c.seq > before && b.channel === DATA_OWNER,
      );
      expect(String(dm.body.text)).toContain(`The verified answer to "${QUESTION}" failed`);
      expect((await verifiedRows())[0]!.set_aside_at).not.toBeNull();
      const again = await ask('U_DAN', QUESTION);
      expect(contextText(again)).not.toContain('Verified by');
    } finally {
      await client.query('ALTER TABLE customers RENAME COLUMN nation TO country').catch(() => {});
      await client.end();
    }
  });
});
