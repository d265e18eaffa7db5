// The memory PostgreSQL down while people ask questions the data team verified: the knowledge
// file's own verified questions (and paraphrases) are still answered with the team's SQL, and
// one verified only in Slack (stored in memory) is planned afresh or declined with a sentence;
// never an error of Quarry's own. Once memory is back, the Slack verification is used again.
// Memory is this file's own server; the target is a database of its own on the shared one.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { postgresDb } from '../../src/db/postgres.ts';
import type { Answer } from '../../src/domain/types.ts';
import { verifyAnswer } from '../../src/memory/verifiedAnswers.ts';
import { answer } from '../../src/pipeline/index.ts';
import type { Runtime } from '../../src/runtime.ts';
import { loadDemoShop } from '../helpers/demoShop.ts';
import {
  BIG_TICKET_QUESTION,
  BIG_TICKET_SQL,
  DATA_OWNER,
  DEMO_KNOWLEDGE,
  type KnowledgeDir,
  knowledgeDir,
} from '../helpers/knowledgeFiles.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/services.ts';
import { openTestRuntime } from '../helpers/testRuntime.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../helpers/throwawayPostgres.ts';

const SLACK_QUESTION = 'How many orders were cancelled?';
const SLACK_SQL = "SELECT COUNT(*) AS cancelled_orders FROM orders WHERE status = 'cancelled'";
const PARAPHRASE = 'how many big ticket orders did we have';

let target: TestDatabase;
let memoryServer: ThrowawayPostgres;
let files: KnowledgeDir;
let runtime: Runtime;
let targetDb: Db;
let n = 0;

const ask = (question: string) =>
  answer(
    question,
    { teamId: 'T1', userId: 'U1', session: { teamId: 'T1', channelId: 'C', threadTs: `t${++n}` } },
    runtime.pipeline,
  );

async function count(sql: string): Promise<string> {
  const [row] = await targetDb.query<Record<string, unknown>>(sql);
  return String(Object.values(row!)[0]);
}

/** Answered, or declined in a sentence for the person: never Quarry's own failure. */
function expectNoCrash(a: Answer) {
  expect(a.error?.kind, a.error?.message).not.toBe('internal');
  expect(a.summary).toMatch(/\w.*[.!?:)\d]$/);
  expect(a.summary).not.toMatch(/Error:|at .+\.ts:\d+|undefined|\[object/);
}

beforeAll(async () => {
  [target, memoryServer, files] = await Promise.all([
    createTestDatabase(),
    startThrowawayPostgres(),
    knowledgeDir(),
  ]);
  const [memoryUrl] = await Promise.all([
    memoryServer.createDatabase('quarry', { vector: true }),
    loadDemoShop(target.url, 0.01),
  ]);
  targetDb = postgresDb(target.url, { max: 1 });
  runtime = await openTestRuntime({
    DATABASE_URL: target.url,
    MEMORY_DATABASE_URL: memoryUrl,
    QUARRY_KNOWLEDGE: await files.write('quarry.yml', DEMO_KNOWLEDGE),
  });
  const memory = runtime.pipeline.memory!;
  const [embedding] = await memory.embedder.embed([SLACK_QUESTION]);
  await verifyAnswer(memory.db, {
    teamId: 'T1',
    question: SLACK_QUESTION,
    sql: SLACK_SQL,
    answerId: 'a-slack',
    verifiedBy: DATA_OWNER,
    embedding: embedding!,
    embedder: memory.embedder.id,
  });
}, 120_000);

afterAll(async () => {
  await runtime?.close();
  await targetDb?.close();
  await Promise.all([target?.drop(), memoryServer?.destroy(), files?.remove()]);
});

describe('verified questions with the memory database down', () => {
  it('answers from the file, plans the Slack-verified one afresh, and uses it again once memory is back', async () => {
    // With memory up, both kinds of verification answer.
    const slackBefore = await ask(SLACK_QUESTION);
    expect(slackBefore.source).toBe('verified');
    expect(slackBefore.verified?.by).toBe(DATA_OWNER);
    const bigTicket = await count(BIG_TICKET_SQL);
    const cancelled = await count(SLACK_SQL);

    await memoryServer.stop();
    for (const q of [BIG_TICKET_QUESTION, PARAPHRASE]) {
      const a = await ask(q);
      expectNoCrash(a);
      expect(a.error, q).toBeNull();
      expect(a.source, q).toBe('verified');
      expect(a.sql, q).toBe(BIG_TICKET_SQL);
      expect(String(a.rows[0]![0]), q).toBe(bigTicket);
      expect(a.notes.join(' '), q).toMatch(/long-term memory is unavailable right now/);
    }

    // Its verification lives in memory: without it the question is planned like any other.
    const slackDown = await ask(SLACK_QUESTION);
    expectNoCrash(slackDown);
    expect(slackDown.source).not.toBe('verified');
    expect(slackDown.setAside).toBeUndefined();
    if (slackDown.error === null) expect(String(slackDown.rows[0]![0])).toBe(cancelled);
    else expect(slackDown.error.kind).toBe('not_understood');

    await memoryServer.start();
    await runtime.learnQueue.drain();
    const slackAfter = await ask(SLACK_QUESTION);
    expect(slackAfter.source).toBe('verified');
    expect(slackAfter.notes).toEqual([]);
    expect(String(slackAfter.rows[0]![0])).toBe(cancelled);
  }, 60_000);
});
