import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryUnavailable } from '../../src/errors.ts';
import { connectRedisKv, redisKv } from '../../src/memory/redisKv.ts';
import { createTestRedis, type TestRedis, unreachableRedis } from '../helpers/services.ts';

let redis: TestRedis;

beforeAll(async () => {
  redis = await createTestRedis();
});

afterAll(async () => {
  await redis.cleanup();
});

describe('Redis Kv', () => {
  it('stores under its prefix with the TTL given', async () => {
    await redis.kv.set('a', '1', 100);
    expect(await redis.redis.get(`${redis.prefix}a`)).toBe('1');
    expect(await redis.kv.ttl('a')).toBe(100);
    expect(await redis.kv.ttl('missing')).toBe(-2);
    await redis.kv.set('forever', 'x');
    expect(await redis.kv.ttl('forever')).toBe(-1);
  });

  it('forgets a value once its TTL has passed', async () => {
    await redis.kv.set('short', 'v', 1);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await redis.kv.get('short')).toBeNull();
  });

  it('getAndExpire restarts the expiry', async () => {
    await redis.kv.set('s', 'v', 5);
    expect(await redis.kv.getAndExpire('s', 500)).toBe('v');
    expect(await redis.kv.ttl('s')).toBe(500);
  });

  it('setIfAbsent, delIfEquals and incr behave as their Redis commands', async () => {
    expect(await redis.kv.setIfAbsent('event:E1', 'a', 3600)).toBe(true);
    expect(await redis.kv.setIfAbsent('event:E1', 'b', 3600)).toBe(false);
    expect(await redis.kv.delIfEquals('event:E1', 'b')).toBe(false);
    expect(await redis.kv.delIfEquals('event:E1', 'a')).toBe(true);
    expect(await redis.kv.incr('n', 50)).toBe(1);
    expect(await redis.kv.incr('n', 50)).toBe(2);
    expect(await redis.kv.ttl('n')).toBe(50);
    expect(await redis.kv.incr('plain')).toBe(1);
    expect(await redis.kv.ttl('plain')).toBe(-1);
  });

  it('lists are first in, first out', async () => {
    await redis.kv.listPush('q', 'a');
    await redis.kv.listPush('q', 'b');
    expect(await redis.kv.listHead('q')).toBe('a');
    expect(await redis.kv.listLength('q')).toBe(2);
    expect(await redis.kv.listShift('q')).toBe('a');
    expect(await redis.kv.listShift('q')).toBe('b');
    expect(await redis.kv.listShift('q')).toBeNull();
  });
});

describe('Redis down', () => {
  it('connectRedisKv fails with MemoryUnavailable instead of retrying forever', async () => {
    await expect(connectRedisKv('redis://127.0.0.1:1')).rejects.toBeInstanceOf(MemoryUnavailable);
  });

  it('commands on a client that lost its server fail with MemoryUnavailable', async () => {
    const offline = unreachableRedis();
    const down = redisKv(offline, 'x:');
    await expect(down.get('a')).rejects.toBeInstanceOf(MemoryUnavailable);
    await expect(down.listPush('q', 'v')).rejects.toBeInstanceOf(MemoryUnavailable);
    offline.disconnect();
  });
});
