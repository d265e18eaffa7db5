// The LLM planner with Quarry's memory: a thread goes on after the model asks back, the tokens
// spent are recorded with the question, and a question the model answered becomes a pattern
// that later answers it without the model and serves as an example for similar ones.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { postgresDb } from '../../src/db/postgres.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { createLogger } from '../../src/log.ts';
import type { Kv } from '../../src/memory/kv.ts';
import { createLearnQueue } from '../../src/memory/learnQueue.ts';
import { localEmbedder } from '../../src/memory/localEmbedder.ts';
import { migrate } from '../../src/memory/migrate.ts';
import { redisKv } from '../../src/memory/redisKv.ts';
import { answer, type PipelineServices } from '../../src/pipeline/answer.ts';
import { memorySchemaLayer } from '../../src/pipeline/schema/cacheLayers.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fakeOpenAI.ts';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '../helpers/services.ts';

const TEAM = 'T-llm';
const QUESTION = 'Which product categories sold in two consecutive months?';
const CLARIFY = 'Do you mean calendar months, or any 30-day windows?';

let targetDb: TestDatabase;
let memoryDb: TestDatabase;
let redis: TestRedis;
let target: Db;
let memory: Db;
let kv: Kv;
let fake: FakeOpenAI;
let dataDir: string;
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
    const found = await memory.query<{ question: string; source: string | null; tokens_used: number }>(
      'SELECT question, source, tokens_used FROM user_query_history WHERE team_id = $1 AND user_id = $2 ORDER BY id',
      [TEAM, userId],
    );
    if (found.length >= rows) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`fewer than ${rows} history rows for ${userId}`);
}

beforeAll(async () => {
  [targetDb, memoryDb, redis, fake] = await Promise.all([
    createTestDatabase(),
    createTestDatabase({ vector: true }),
    createTestRedis(),
    startFakeOpenAI(),
  ]);
  target = postgresDb(targetDb.url);
  memory = postgresDb(memoryDb.url);
  kv = redisKv(redis.redis, redis.prefix);
  await Promise.all([loadDemo(target, { scale: 0.05 }), migrate(memory)]);
  dataDir = await mkdtemp(join(tmpdir(), 'quarry-llm-'));
  const log = createLogger('silent');
  services = {
    target,
    schemaLayers: [memorySchemaLayer()],
    limits: { statementTimeoutMs: 5000, maxRows: 1000 },
    log,
    memory: {
      db: memory,
      kv,
      embedder: localEmbedder(),
      learnQueue: createLearnQueue({ db: memory, kv, dataDir, log }),
    },
    model: {
      client: new OpenAI({ apiKey: 'test-key', baseURL: fake.baseURL, maxRetries: 0 }),
      model: 'test-model',
      timeoutMs: 3000,
      maxTokens: 500,
      dailyTokenBudget: 1_000_000,
      kv,
    },
  };
}, 120_000);

afterAll(async () => {
  await fake?.close();
  await target?.close();
  await memory?.close();
  await redis?.cleanup();
  await targetDb?.drop();
  await memoryDb?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
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
      `<thread>\nQ: ${QUESTION}\nQuarry: ${CLARIFY}\n</thread>`,
    );
    expect(await historyOf(userId, 2)).toEqual([
      { question: QUESTION, source: null, tokens_used: 620 },
      { question: 'calendar months', source: 'llm', tokens_used: 742 },
    ]);
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
