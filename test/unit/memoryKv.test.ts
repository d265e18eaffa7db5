import { describe, expect, it } from 'vitest';
import { getJson, setJson } from '../../src/memory/kv.ts';
import { memoryKv } from '../../src/memory/memoryKv.ts';

// The in-process store on a clock the test moves, so expiry is checked to the millisecond
// without waiting.
function clockedKv() {
  let now = 1_000_000;
  const kv = memoryKv({ now: () => now });
  return { kv, advance: (ms: number) => (now += ms) };
}

describe('memoryKv expiry', () => {
  it('keeps a value until its TTL passes, then forgets it everywhere', async () => {
    const { kv, advance } = clockedKv();
    await kv.set('a', '1', 10);
    expect(await kv.ttl('a')).toBe(10);
    advance(9_999);
    expect(await kv.get('a')).toBe('1');
    advance(1);
    expect(await kv.get('a')).toBeNull();
    expect(await kv.ttl('a')).toBe(-2);
    expect(await kv.setIfAbsent('a', '2', 5)).toBe(true);
  });

  it('reports -1 for a key without expiry and -2 for a missing one', async () => {
    const { kv } = clockedKv();
    await kv.set('forever', 'x');
    expect(await kv.ttl('forever')).toBe(-1);
    expect(await kv.ttl('missing')).toBe(-2);
  });

  it('rounds the TTL to whole seconds as Redis does', async () => {
    const { kv, advance } = clockedKv();
    await kv.set('a', '1', 10);
    advance(2_400);
    expect(await kv.ttl('a')).toBe(8);
    advance(200);
    expect(await kv.ttl('a')).toBe(7);
  });

  it('restarts the expiry on getAndExpire and on expire', async () => {
    const { kv, advance } = clockedKv();
    await kv.set('s', 'v', 10);
    advance(8_000);
    expect(await kv.getAndExpire('s', 10)).toBe('v');
    advance(8_000);
    expect(await kv.get('s')).toBe('v');
    expect(await kv.expire('s', 1)).toBe(true);
    advance(1_000);
    expect(await kv.get('s')).toBeNull();
    expect(await kv.expire('s', 1)).toBe(false);
  });

  it('a plain set replaces the expiry, as Redis SET does', async () => {
    const { kv } = clockedKv();
    await kv.set('a', '1', 10);
    await kv.set('a', '2');
    expect(await kv.ttl('a')).toBe(-1);
  });
});

describe('memoryKv commands', () => {
  it('setIfAbsent stores only the first value', async () => {
    const { kv } = clockedKv();
    expect(await kv.setIfAbsent('event:1', 'a', 3600)).toBe(true);
    expect(await kv.setIfAbsent('event:1', 'b', 3600)).toBe(false);
    expect(await kv.get('event:1')).toBe('a');
  });

  it('incr counts from zero and sets the TTL only when it creates the key', async () => {
    const { kv, advance } = clockedKv();
    expect(await kv.incr('n', 10)).toBe(1);
    advance(5_000);
    expect(await kv.incr('n', 10)).toBe(2);
    expect(await kv.ttl('n')).toBe(5);
    await kv.set('text', 'abc');
    await expect(kv.incr('text')).rejects.toThrow(/not an integer/);
  });

  it('delIfEquals deletes only a value still held', async () => {
    const { kv } = clockedKv();
    await kv.set('lock', 'me', 60);
    expect(await kv.delIfEquals('lock', 'someone else')).toBe(false);
    expect(await kv.delIfEquals('lock', 'me')).toBe(true);
    expect(await kv.get('lock')).toBeNull();
  });

  it('lists are first in, first out', async () => {
    const { kv } = clockedKv();
    expect(await kv.listPush('q', 'a')).toBe(1);
    expect(await kv.listPush('q', 'b')).toBe(2);
    expect(await kv.listHead('q')).toBe('a');
    expect(await kv.listShift('q')).toBe('a');
    expect(await kv.listLength('q')).toBe(1);
    expect(await kv.listShift('q')).toBe('b');
    expect(await kv.listShift('q')).toBeNull();
    expect(await kv.ttl('q')).toBe(-2);
  });

  it('refuses list commands on text and text commands on lists', async () => {
    const { kv } = clockedKv();
    await kv.set('t', 'x');
    await kv.listPush('l', 'x');
    await expect(kv.listPush('t', 'y')).rejects.toThrow(/WRONGTYPE/);
    await expect(kv.get('l')).rejects.toThrow(/WRONGTYPE/);
  });

  it('JSON helpers round-trip and treat unparsable values as absent', async () => {
    const { kv } = clockedKv();
    await setJson(kv, 'j', { a: [1, 2] }, 10);
    expect(await getJson(kv, 'j')).toEqual({ a: [1, 2] });
    await kv.set('bad', '{not json');
    expect(await getJson(kv, 'bad')).toBeNull();
  });
});
