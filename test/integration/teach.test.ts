// Things people tell Quarry: team definitions that change answers for the whole team, and
// "that's wrong" turning a remembered pattern off. Real PostgreSQL + pgvector, in-process kv.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { postgresDb } from '../../src/db/postgres.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { createLogger } from '../../src/log.ts';
import { answer } from '../../src/pipeline/answer.ts';
import { readInstruction } from '../../src/pipeline/instructions.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/services.ts';

describe('teaching Quarry', () => {
  let target: TestDatabase;
  let memory: TestDatabase;
  let dataDir: string;
  let runtime: Runtime;
  const ask = (q: string, user: string, thread: string, team = 'T1') =>
    answer(
      q,
      { teamId: team, userId: user, session: { teamId: team, channelId: 'C', threadTs: thread } },
      runtime.pipeline,
    );

  beforeAll(async () => {
    [target, memory] = await Promise.all([createTestDatabase(), createTestDatabase({ vector: true })]);
    dataDir = await mkdtemp(join(tmpdir(), 'quarry-teach-'));
    const shop = postgresDb(target.url);
    await loadDemo(shop, { scale: 0.05 });
    await shop.close();
    runtime = await openRuntime(
      loadConfig({ DATABASE_URL: target.url, MEMORY_DATABASE_URL: memory.url, QUARRY_DATA_DIR: dataDir }),
      { log: createLogger('silent') },
    );
  }, 120_000);

  afterAll(async () => {
    await runtime?.close();
    await Promise.all([target?.drop(), memory?.drop()]);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reads instructions and leaves questions alone', () => {
    expect(readInstruction('remember that revenue means completed orders only')).toEqual({
      kind: 'define',
      term: 'revenue',
      meaning: 'completed orders only',
    });
    expect(readInstruction('forget the definition of revenue')).toEqual({ kind: 'forget', term: 'revenue' });
    expect(readInstruction("that's wrong")).toEqual({ kind: 'wrong' });
    expect(readInstruction('delete my orders')).toBeNull();
    expect(readInstruction('What is our revenue this year?')).toBeNull();
  });

  it('applies a team definition for everyone in the team, shows it, and removes it', async () => {
    const taught = await ask('Remember that revenue means completed orders only', 'U1', 't1');
    expect(taught.summary).toContain('status = completed');
    const other = await ask('Revenue last month', 'U2', 't2');
    expect(other.sql).toContain("orders.status = 'completed'");
    expect(other.assumptions.join(' ')).toContain("your team's definition");
    const elsewhere = await ask('Revenue last month', 'U3', 't3', 'T2');
    expect(elsewhere.sql).not.toContain('completed');
    const forgot = await ask('forget the definition of revenue', 'U1', 't4');
    expect(forgot.summary).toContain('no special meaning');
    expect((await ask('Revenue last month', 'U2', 't5')).sql).not.toContain('completed');
  });

  it('stops reusing a pattern its owner called wrong', async () => {
    const q = 'How many orders did we get last week?';
    for (let i = 0; i < 3; i++) await ask(q, 'U9', `w${i}`);
    await new Promise((r) => setTimeout(r, 300));
    expect((await ask(q, 'U9', 'w-mem')).source).toBe('memory');
    const reply = await ask("that's wrong", 'U9', 'w-mem');
    expect(reply.summary).toContain('marked that answer as wrong');
    expect((await ask(q, 'U9', 'w-after')).source).toBe('rules');
  });
});
