import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import {
  DEFAULT_PREFERENCES,
  getProfile,
  PROFILE_TTL_SECONDS,
  profileKey,
  recordUsage,
  updateProfile,
} from '../../src/memory/profiles.ts';
import { redisKv } from '../../src/memory/redisKv.ts';
import { openMemoryTestDb } from '../helpers/memoryDatabase.ts';
import { createTestRedis, type TestRedis, unreachableRedis } from '../helpers/services.ts';

let redis: TestRedis;
let db: Db;

beforeAll(async () => {
  db = await openMemoryTestDb({ max: 2 });
  redis = await createTestRedis();
});

afterAll(async () => {
  await db.close();
  await redis.cleanup();
});

describe('profiles', () => {
  it('are created on first use with the defaults, stored and cached for an hour', async () => {
    const profile = await getProfile({ db, kv: redis.kv }, 'T1', 'U1');
    expect(profile).toMatchObject({
      teamId: 'T1',
      userId: 'U1',
      preferences: DEFAULT_PREFERENCES,
      usagePatterns: {},
      expertiseLevel: 'beginner',
      locale: null,
    });
    const [row] = await db.query<{ preferences: unknown }>(
      `SELECT preferences FROM user_profiles WHERE team_id = 'T1' AND user_id = 'U1'`,
    );
    // The column default and the code's defaults are the same.
    expect(row!.preferences).toEqual(DEFAULT_PREFERENCES);
    expect(await redis.redis.ttl(`${redis.prefix}${profileKey('T1', 'U1')}`)).toBe(PROFILE_TTL_SECONDS);
  });

  it('are read from the cache while it holds them', async () => {
    await db.query(`UPDATE user_profiles SET locale = 'fr-FR' WHERE team_id = 'T1' AND user_id = 'U1'`);
    expect((await getProfile({ db, kv: redis.kv }, 'T1', 'U1')).locale).toBeNull();
    await redis.kv.del(profileKey('T1', 'U1'));
    expect((await getProfile({ db, kv: redis.kv }, 'T1', 'U1')).locale).toBe('fr-FR');
  });

  it('merge preference changes and refresh the cached copy', async () => {
    const updated = await updateProfile({ db, kv: redis.kv }, 'T1', 'U1', {
      preferences: { timezone: 'Europe/Berlin', default_limit: 25 },
      locale: 'de-DE',
    });
    expect(updated.preferences).toEqual({
      ...DEFAULT_PREFERENCES,
      timezone: 'Europe/Berlin',
      default_limit: 25,
    });
    expect(updated.locale).toBe('de-DE');
    expect(await getProfile({ db, kv: redis.kv }, 'T1', 'U1')).toEqual(updated);
    const again = await updateProfile({ db, kv: redis.kv }, 'T1', 'U1', {
      preferences: { preferred_charts: ['bar'] },
    });
    expect(again.preferences).toMatchObject({ timezone: 'Europe/Berlin', preferred_charts: ['bar'] });
    expect(again.locale).toBe('de-DE');
  });

  it('can be created by an update', async () => {
    const created = await updateProfile({ db, kv: redis.kv }, 'T1', 'U2', { expertiseLevel: 'expert' });
    expect(created).toMatchObject({ preferences: DEFAULT_PREFERENCES, expertiseLevel: 'expert' });
  });

  it('add usage counters', async () => {
    await recordUsage(db, 'T1', 'U3', { 'hour:09': 1, 'chart:bar': 1 });
    await recordUsage(db, 'T1', 'U3', { 'hour:09': 1, 'table:public.orders': 2 });
    await redis.kv.del(profileKey('T1', 'U3'));
    expect((await getProfile({ db, kv: redis.kv }, 'T1', 'U3')).usagePatterns).toEqual({
      'hour:09': 2,
      'chart:bar': 1,
      'table:public.orders': 2,
    });
  });

  it('still load from Postgres when the cache is down', async () => {
    const offline = unreachableRedis();
    const profile = await getProfile({ db, kv: redisKv(offline) }, 'T1', 'U2');
    expect(profile.expertiseLevel).toBe('expert');
    offline.disconnect();
  });

  it('belong to one team', async () => {
    expect((await getProfile({ db, kv: redis.kv }, 'T2', 'U1')).preferences).toEqual(DEFAULT_PREFERENCES);
  });
});
