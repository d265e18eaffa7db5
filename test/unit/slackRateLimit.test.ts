import { describe, expect, it } from 'vitest';
import { countQuestion } from '../../src/bot/rateLimit.ts';
import { createLogger } from '../../src/log.ts';
import { memoryKv } from '../../src/memory/memoryKv.ts';

const log = createLogger('silent');

describe('countQuestion', () => {
  it('allows the limit per person, explains the first refusal only, and forgets after a minute', async () => {
    let now = 1_000_000;
    const kv = memoryKv({ now: () => now });
    const limits = { perUser: 2, perTeam: 100 };
    const ana = { teamId: 'T1', userId: 'ana' };
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await countQuestion(kv, limits, ana, log));
    expect(decisions).toEqual([
      { allowed: true },
      { allowed: true },
      { allowed: false, explain: true },
      { allowed: false, explain: false },
    ]);
    expect(await countQuestion(kv, limits, { teamId: 'T1', userId: 'ben' }, log)).toEqual({ allowed: true });
    now += 61_000;
    expect(await countQuestion(kv, limits, ana, log)).toEqual({ allowed: true });
  });

  it('limits a whole workspace, telling each person once', async () => {
    const kv = memoryKv();
    const limits = { perUser: 10, perTeam: 3 };
    const ask = (userId: string) => countQuestion(kv, limits, { teamId: 'T2', userId }, log);
    expect([await ask('a'), await ask('b'), await ask('c')]).toEqual([
      { allowed: true },
      { allowed: true },
      { allowed: true },
    ]);
    expect([await ask('a'), await ask('b'), await ask('a')]).toEqual([
      { allowed: false, explain: true },
      { allowed: false, explain: true },
      { allowed: false, explain: false },
    ]);
    expect(await countQuestion(kv, limits, { teamId: 'T3', userId: 'a' }, log)).toEqual({ allowed: true });
  });

  it('allows questions when the store is down', async () => {
    const kv = memoryKv();
    await kv.close();
    const broken = { ...kv, incr: () => Promise.reject(new Error('ECONNREFUSED')) };
    expect(
      await countQuestion(broken, { perUser: 1, perTeam: 1 }, { teamId: 'T', userId: 'u' }, log),
    ).toEqual({
      allowed: true,
    });
  });
});
