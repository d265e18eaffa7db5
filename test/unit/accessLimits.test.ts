import { describe, expect, it } from 'vitest';
import { kvAdmission, TooManyInFlight } from '../../src/access/admission.ts';
import { capResultBytes, sizeCapNote } from '../../src/access/resultSize.ts';
import { QueryFailed, QueryTimeout, TargetUnavailable } from '../../src/errors.ts';
import { createLogger } from '../../src/log.ts';
import type { Kv } from '../../src/memory/kv.ts';
import { memoryKv } from '../../src/memory/memoryKv.ts';
import { connectionBreaker, timeoutBreaker } from '../../src/pipeline/execute/circuitBreaker.ts';

const log = createLogger('silent');

describe('kvAdmission', () => {
  it('admits up to the limit per person, then refuses until one leaves', async () => {
    const admission = kvAdmission(memoryKv(), { maxPerUser: 2, log });
    const a = await admission.enter('T', 'U1');
    await admission.enter('T', 'U1');
    await expect(admission.enter('T', 'U1')).rejects.toBeInstanceOf(TooManyInFlight);
    // Another person, or the same id in another team, has their own slots.
    await admission.enter('T', 'U2');
    await admission.enter('T2', 'U1');
    await a.leave();
    await expect(admission.enter('T', 'U1')).resolves.toBeDefined();
  });

  it('frees a slot held by a replica that died once it expires', async () => {
    let now = 0;
    const admission = kvAdmission(memoryKv({ now: () => now }), { maxPerUser: 1, slotTtlSeconds: 60, log });
    await admission.enter('T', 'U');
    await expect(admission.enter('T', 'U')).rejects.toBeInstanceOf(TooManyInFlight);
    now += 61_000;
    await expect(admission.enter('T', 'U')).resolves.toBeDefined();
  });

  it('admits everyone when the store is down', async () => {
    const down = memoryKv();
    const broken: Kv = { ...down, setIfAbsent: () => Promise.reject(new Error('down')) };
    const admission = kvAdmission(broken, { maxPerUser: 1, log });
    await admission.enter('T', 'U');
    await expect(admission.enter('T', 'U')).resolves.toBeDefined();
  });
});

describe('connectionBreaker and timeoutBreaker', () => {
  const timeout = () => Promise.reject(new QueryTimeout('slow', 'test'));
  const refused = () =>
    Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
  const protocol = () =>
    Promise.reject(
      Object.assign(new Error('bind message supplies 0 parameters, but prepared statement "" requires 1'), {
        code: '08P01',
      }),
    );

  it('opens after K lost connections in a row, fails fast, then lets reads through again', async () => {
    let now = 0;
    const breaker = connectionBreaker({ failures: 3, openMs: 10_000, now: () => now });
    for (let i = 0; i < 3; i++) await expect(breaker.run(refused)).rejects.toThrow('ECONNREFUSED');
    let ran = false;
    const open = await breaker.run(async () => (ran = true)).catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect(open).toBeInstanceOf(TargetUnavailable);
    expect((open as TargetUnavailable).userMessage).toMatch(/pausing questions to it for 10 s/);
    now += 10_001;
    expect(breaker.openFor()).toBe(0);
    // One more failure right after opening again re-opens it at once.
    await expect(breaker.run(refused)).rejects.toThrow();
    expect(breaker.openFor()).toBe(10_000);
    now += 10_001;
    await expect(breaker.run(async () => 42)).resolves.toBe(42);
    await expect(breaker.run(refused)).rejects.toThrow();
    expect(breaker.openFor()).toBe(0);
  });

  it('counts neither timeouts, query errors nor protocol errors as the database being down', async () => {
    const breaker = connectionBreaker({ failures: 2, openMs: 10_000 });
    for (const work of [timeout, timeout, protocol, protocol, () => Promise.reject(new QueryFailed('bad'))]) {
      await expect(breaker.run(work)).rejects.toBeDefined();
    }
    expect(breaker.openFor()).toBe(0);
  });

  it('pauses only the person whose own reads timed out', async () => {
    const breaker = timeoutBreaker({ failures: 3, openMs: 30_000 });
    for (let i = 0; i < 3; i++)
      await expect(breaker.run(timeout, 'T1:U1')).rejects.toBeInstanceOf(QueryTimeout);
    const paused = await breaker.run(async () => 1, 'T1:U1').catch((e: unknown) => e);
    expect((paused as QueryTimeout).userMessage).toMatch(/^Your last 3 questions took too long.*30 s/);
    await expect(breaker.run(async () => 2, 'T2:U9')).resolves.toBe(2);
    await expect(breaker.run(refused, 'T2:U9')).rejects.toThrow();
    expect(breaker.openFor('T2:U9')).toBe(0);
  });
});

describe('capResultBytes', () => {
  it('keeps rows in order while they fit', () => {
    const rows = [['a'.repeat(10)], ['b'.repeat(10)], ['c'.repeat(10)]];
    expect(capResultBytes(rows, 1000)).toEqual({ rows, cut: false });
    const cut = capResultBytes(rows, 35);
    expect(cut).toEqual({ rows: rows.slice(0, 2), cut: true });
    expect(capResultBytes([['x'.repeat(100)]], 50)).toEqual({ rows: [], cut: true });
    expect(sizeCapNote(2, 5_000_000)).toMatch(/larger than 5 MB, so I kept only the first 2 rows/);
  });
});
