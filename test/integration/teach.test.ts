// Things people tell Quarry: team definitions that change answers for the whole team, and
// "that's wrong" turning a remembered pattern off. Real PostgreSQL + pgvector, in-process kv.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../../src/pipeline/index.ts';
import { readInstruction } from '../../src/pipeline/instructions.ts';
import type { Runtime } from '../../src/runtime.ts';
import { type DemoRuntime, openDemoRuntime } from '../helpers/demoRuntime.ts';

describe('teaching Quarry', () => {
  let demo: DemoRuntime;
  let runtime: Runtime;
  const ask = (q: string, user: string, thread: string, team = 'T1') =>
    answer(
      q,
      { teamId: team, userId: user, session: { teamId: team, channelId: 'C', threadTs: thread } },
      runtime.pipeline,
    );

  beforeAll(async () => {
    demo = await openDemoRuntime();
    runtime = demo.runtime;
  }, 120_000);

  afterAll(() => demo?.close());

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
