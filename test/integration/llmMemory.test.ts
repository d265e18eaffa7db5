// The LLM planner with Quarry's memory: a thread goes on after the model asks back, the tokens
// spent are recorded with the question, and a question the model answered becomes a pattern
// that later answers it without the model and serves as an example for similar ones.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { answer, type PipelineServices } from '../../src/pipeline/index.ts';
import { type DemoPipeline, openDemoPipeline } from '../helpers/demoPipeline.ts';
import { fakeModelServices } from '../helpers/fakeModel.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fakeOpenAI.ts';
import { createTestRedis, type TestRedis } from '../helpers/services.ts';

const TEAM = 'T-llm';
const QUESTION = 'Which product categories sold in two consecutive months?';
const CLARIFY = 'Do you mean calendar months, or any 30-day windows?';

let demo: DemoPipeline;
let redis: TestRedis;
let fake: FakeOpenAI;
let services: PipelineServices;

const plan = {
  baseTable: 'public.order_items',
  measures: [
    {
      agg: 'sum',
      expr: {
        kind: 'product',
        refs: [
          { table: 'public.order_items', column: 'price' },
          { table: 'public.order_items', column: 'quantity' },
        ],
      },
      as: 'sales',
    },
  ],
  dimensions: [{ ref: { table: 'public.products', column: 'category' }, as: 'category' }],
  filters: [],
};
const planReply = {
  tool: { action: 'plan', explanation: 'Sales per category.', assumptions: [], plan, expect_rows: true },
  usage: { prompt_tokens: 700, completion_tokens: 42 },
};

const thread = (threadTs: string) => ({ teamId: TEAM, channelId: 'C1', threadTs });
const userMessage = (request: Record<string, unknown>) =>
  String((request.messages as { role: string; content: string }[])[1]!.content);

/** The learn stage writes in the background; wait for this many history rows of the user. */
async function historyOf(userId: string, rows: number) {
  for (let i = 0; i < 100; i++) {
    const found = await demo.memory.query<{ question: string; source: string | null; tokens_used: number }>(
      'SELECT question, source, tokens_used FROM user_query_history WHERE team_id = $1 AND user_id = $2 ORDER BY id',
      [TEAM, userId],
    );
    if (found.length >= rows) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`fewer than ${rows} history rows for ${userId}`);
}

beforeAll(async () => {
  [demo, redis, fake] = await Promise.all([openDemoPipeline(), createTestRedis(), startFakeOpenAI()]);
  services = {
    ...demo.services({ kv: redis.kv, log: createLogger('silent'), statementTimeoutMs: 5000 }),
    model: fakeModelServices(fake, redis.kv),
  };
}, 120_000);

afterAll(async () => {
  await fake?.close();
  await redis?.cleanup();
  await demo?.close();
});

beforeEach(() => {
  fake.requests.length = 0;
});

describe('the LLM planner with memory', () => {
  it('goes on in the thread after asking back, and records the tokens spent', async () => {
    const userId = 'U-thread';
    fake.script(
      {
        tool: { action: 'clarify', explanation: '', question: CLARIFY },
        usage: { prompt_tokens: 600, completion_tokens: 20 },
      },
      planReply,
    );
    const first = await answer(QUESTION, { teamId: TEAM, userId, session: thread('t1') }, services);
    expect(first.error?.message).toBe(CLARIFY);
    const second = await answer('calendar months', { teamId: TEAM, userId, session: thread('t1') }, services);
    expect(second.error).toBeNull();
    expect(second.source).toBe('llm');
    // The model saw the thread: the question and its own question back.
    expect(userMessage(fake.chatRequests()[1]!)).toContain(
      `<thread>\nQ: ${QUESTION}\nQuarry asked: ${CLARIFY}\n</thread>`,
    );
    expect(await historyOf(userId, 2)).toEqual([
      { question: QUESTION, source: null, tokens_used: 620 },
      { question: 'calendar months', source: 'llm', tokens_used: 742 },
    ]);
  });

  it('sends the thread as questions and SQL, never a value of an earlier result', async () => {
    const userId = 'U-values';
    const ctx = { teamId: TEAM, userId, session: thread('t-values') };
    const earlier = [
      await answer('Which 5 customers spent the most in the last 90 days?', ctx, services),
      await answer('Sales by country this year', ctx, services),
    ];
    for (const a of earlier) {
      expect(a.error).toBeNull();
      expect(a.rows.length).toBeGreaterThan(0);
    }
    await historyOf(userId, 2);
    // The same question in another workspace with no thread: what its request holds comes from
    // the schema (sampled values are schema, not results), so only what it lacks is scanned for.
    fake.script(planReply);
    const other = { teamId: 'T-other', userId, session: { ...thread('t-fresh'), teamId: 'T-other' } };
    expect((await answer(QUESTION, other, services)).source).toBe('llm');
    const schemaOnly = JSON.stringify(fake.chatRequests().map((r) => r.messages));
    fake.requests.length = 0;
    fake.script(planReply);
    const modelled = await answer(QUESTION, ctx, services);
    expect(modelled.source).toBe('llm');
    const sent = JSON.stringify(fake.chatRequests().map((r) => r.messages));
    expect(sent).toContain('Q: Which 5 customers spent the most in the last 90 days?');
    // Every cell of every earlier result, as stored and as people read it.
    const values = earlier.flatMap((a) =>
      a.rows.flat().flatMap((v) => {
        if (typeof v === 'number' || (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v))) {
          const n = Number(v);
          return Math.abs(n) < 1000
            ? []
            : [String(v), n.toLocaleString('en-US', { maximumFractionDigits: 2 })];
        }
        return typeof v === 'string' && v.length >= 4 ? [v] : [];
      }),
    );
    const resultOnly = values.filter((v) => !schemaOnly.includes(v));
    expect(resultOnly.length).toBeGreaterThan(5);
    for (const v of resultOnly) expect(sent, v).not.toContain(v);
    for (const a of earlier) expect(sent).not.toContain(a.summary);
  });

  it("learns the model's plan: asked again it comes from memory, and similar questions get it as an example", async () => {
    const userId = 'U-learn';
    fake.script(planReply);
    const first = await answer(QUESTION, { teamId: TEAM, userId, session: thread('t2') }, services);
    expect(first.source).toBe('llm');
    await historyOf(userId, 1);

    const again = await answer(QUESTION, { teamId: TEAM, userId, session: thread('t3') }, services);
    expect(again.error).toBeNull();
    expect(again.source).toBe('memory');
    expect(again.rows).toEqual(first.rows);
    expect(fake.chatRequests()).toHaveLength(1);

    fake.script(planReply);
    const similar = 'Which product categories sold in three consecutive weeks?';
    const third = await answer(similar, { teamId: TEAM, userId, session: thread('t4') }, services);
    expect(third.source).toBe('llm');
    const examples = /<examples>\n([\s\S]*?)\n<\/examples>/.exec(userMessage(fake.chatRequests()[1]!))?.[1];
    expect(examples).toContain(`Q: ${QUESTION}\nA: {"action":"plan","plan":`);
  });
});
