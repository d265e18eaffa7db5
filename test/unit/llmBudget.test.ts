import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import type { Kv } from '../../src/memory/kv.ts';
import { memoryKv } from '../../src/memory/memoryKv.ts';
import { ModelUnavailable } from '../../src/pipeline/llm/modelErrors.ts';
import { budgetKey, dailyTokenBudget, secondsToEndOfDay } from '../../src/pipeline/llm/tokenBudget.ts';

const log = createLogger('silent');
const now = new Date('2026-03-15T23:00:00Z');
const owner = { teamId: 'T', userId: 'U', limit: 1000, now };

describe('the daily token budget', () => {
  it('counts tokens per person and UTC day, expiring at the end of the day', async () => {
    const kv = memoryKv({ now: () => now.getTime() });
    const budget = dailyTokenBudget(kv, owner, log);
    await budget.check();
    await budget.spend(600);
    await budget.check();
    await budget.spend(450);
    expect(budgetKey(owner)).toBe('llm_tokens:T:U:2026-03-15');
    expect(await kv.get(budgetKey(owner))).toBe('1050');
    expect(await kv.ttl(budgetKey(owner))).toBe(3600);
    await expect(budget.check()).rejects.toThrow(ModelUnavailable);
    await expect(budget.check()).rejects.toThrow(/your 1,000 model tokens for today are used up/);
    // Someone else, or the next day, starts afresh.
    await dailyTokenBudget(kv, { ...owner, userId: 'V' }, log).check();
    await dailyTokenBudget(kv, { ...owner, now: new Date('2026-03-16T00:00:01Z') }, log).check();
  });

  it('still lets the model be asked when the count cannot be read or written', async () => {
    const down = new Proxy({} as Kv, {
      get: () => () => Promise.reject(new Error('connection refused')),
    });
    const budget = dailyTokenBudget(down, owner, log);
    await expect(budget.check()).resolves.toBeUndefined();
    await expect(budget.spend(10)).resolves.toBeUndefined();
  });

  it('knows how long is left of the day', () => {
    expect(secondsToEndOfDay(new Date('2026-03-15T23:59:30Z'))).toBe(30);
    expect(secondsToEndOfDay(new Date('2026-03-15T00:00:00Z'))).toBe(86_400);
    expect(secondsToEndOfDay(new Date('2026-03-15T23:59:59.900Z'))).toBe(1);
  });
});
