import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import type { QueryPlan, SchemaInfo } from '../../src/domain/types.ts';
import {
  claimDigestRun,
  createDigestSchedule,
  listActiveDigestSchedules,
  listDigestSchedules,
  markDigestDelivered,
  releaseDigestRun,
  setDigestPaused,
  stopDigestSchedule,
} from '../../src/memory/digestSchedules.ts';
import { recordLearning, topLearnings } from '../../src/memory/learnings.ts';
import { planKey } from '../../src/memory/planKey.ts';
import { frequentPlans, recordQuery } from '../../src/memory/queryHistory.ts';
import { getCachedSchema, putCachedSchema } from '../../src/memory/schemaCache.ts';
import { installationStore } from '../../src/memory/slackInstallations.ts';
import { defineTerm, listDefinitions, removeDefinition } from '../../src/memory/teamDefinitions.ts';
import { listUsualPins, pinToUsual, unpinFromUsual } from '../../src/memory/usualPins.ts';
import { openMemoryTestDb } from '../helpers/memoryDatabase.ts';

let db: Db;

beforeAll(async () => {
  db = await openMemoryTestDb({ max: 4 });
});

afterAll(async () => {
  await db.close();
});

function plan(table: string, limit?: number): QueryPlan {
  const p: QueryPlan = { baseTable: table, measures: [], dimensions: [], filters: [] };
  return limit === undefined ? p : { ...p, limit };
}

describe('system learnings', () => {
  it('count the same learning again instead of adding a row, whatever the key order', async () => {
    const data = { word: 'revenue', column: 'public.orders.total' };
    expect(await recordLearning(db, { teamId: 'T1', type: 'term_mapping', data })).toBe(1);
    expect(await recordLearning(db, { teamId: 'T1', type: 'term_mapping', data })).toBe(2);
    expect(
      await recordLearning(db, {
        teamId: 'T1',
        type: 'term_mapping',
        data: { column: 'public.orders.total', word: 'revenue' },
      }),
    ).toBe(3);
    expect(await recordLearning(db, { teamId: 'T2', type: 'term_mapping', data })).toBe(1);
    await recordLearning(db, { teamId: 'T1', type: 'term_mapping', data: { word: 'clients', column: 'x' } });
    const top = await topLearnings(db, 'T1', 'term_mapping');
    expect(top.map((l) => [l.data, l.frequency])).toEqual([
      [data, 3],
      [{ word: 'clients', column: 'x' }, 1],
    ]);
  });
});

describe('team definitions', () => {
  it('are defined, replaced, listed and removed per team', async () => {
    await defineTerm(db, {
      teamId: 'T1',
      term: 'Revenue',
      definition: 'completed orders only',
      createdBy: 'U1',
    });
    const filter = [{ ref: { table: 'public.orders', column: 'status' }, op: '=' as const, value: 'active' }];
    await defineTerm(db, {
      teamId: 'T1',
      term: 'active',
      definition: 'status is active',
      filter,
      createdBy: 'U2',
    });
    await defineTerm(db, { teamId: 'T1', term: 'revenue', definition: 'all orders', createdBy: 'U3' });
    await defineTerm(db, { teamId: 'T2', term: 'revenue', definition: 'T2 meaning', createdBy: 'U9' });
    const t1 = await listDefinitions(db, 'T1');
    expect(t1.map((d) => [d.term, d.definition, d.createdBy])).toEqual([
      ['active', 'status is active', 'U2'],
      ['revenue', 'all orders', 'U3'],
    ]);
    expect(t1[0]!.filter).toEqual(filter);
    expect(await removeDefinition(db, 'T1', 'REVENUE')).toBe(true);
    expect(await removeDefinition(db, 'T1', 'revenue')).toBe(false);
    expect((await listDefinitions(db, 'T2')).map((d) => d.definition)).toEqual(['T2 meaning']);
  });
});

describe('schema cache', () => {
  const schema = (fingerprint: string): SchemaInfo => ({
    database: 'shop',
    fingerprint,
    tables: [],
    foreignKeys: [],
    searchPath: ['public'],
    discoveredAt: '2025-01-01T00:00:00.000Z',
  });

  it('keeps the last schema per team and database and reports the fingerprint it replaced', async () => {
    expect(await getCachedSchema(db, 'T1', 'shop')).toBeNull();
    expect(await putCachedSchema(db, 'T1', schema('a'))).toEqual({ previousFingerprint: null });
    expect(await putCachedSchema(db, 'T1', schema('b'))).toEqual({ previousFingerprint: 'a' });
    expect(await getCachedSchema(db, 'T1', 'shop')).toEqual(schema('b'));
    expect(await getCachedSchema(db, 'T2', 'shop')).toBeNull();
  });
});

describe('query history and /usual', () => {
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
  const ask = (userId: string, p: QueryPlan | null, days: number, success = true, question = 'q') =>
    recordQuery(db, {
      teamId: 'TH',
      userId,
      answerId: randomUUID(),
      question,
      plan: p,
      success,
      askedAt: daysAgo(days),
    });

  it('records an answer once', async () => {
    const answerId = randomUUID();
    const record = {
      teamId: 'TH',
      userId: 'U0',
      answerId,
      question: 'q',
      success: true,
      timings: { plan: 3 },
    };
    expect(await recordQuery(db, record)).toEqual(expect.any(Number));
    expect(await recordQuery(db, record)).toBeNull();
  });

  it("groups the person's successful questions of the last 30 days by plan, most asked first", async () => {
    const monthly = plan('public.orders');
    const byCategory = plan('public.order_items');
    const top10 = plan('public.products', 10);
    for (const d of [1, 2, 3, 4]) await ask('U1', monthly, d, true, `monthly ${d}`);
    for (const d of [1, 5]) await ask('U1', byCategory, d);
    await ask('U1', top10, 2);
    // Not counted: failures, questions older than 30 days, other people, other teams.
    for (const d of [1, 2, 3, 4, 5]) await ask('U1', top10, d, false);
    for (const d of [31, 32, 33]) await ask('U1', byCategory, d);
    for (const d of [1, 2, 3, 4, 5, 6]) await ask('U2', top10, d);
    await recordQuery(db, {
      teamId: 'TX',
      userId: 'U1',
      answerId: randomUUID(),
      question: 'q',
      plan: top10,
      success: true,
    });

    const usual = await frequentPlans(db, { teamId: 'TH', userId: 'U1' });
    expect(usual.map((u) => [u.planKey, u.times])).toEqual([
      [planKey(monthly), 4],
      [planKey(byCategory), 2],
      [planKey(top10), 1],
    ]);
    expect(usual[0]).toMatchObject({
      plan: monthly,
      question: 'monthly 1',
      patternId: null,
      successRate: null,
    });
    expect(await frequentPlans(db, { teamId: 'TH', userId: 'U1', limit: 1 })).toHaveLength(1);
  });
});

describe('usual pins', () => {
  it('pin a plan once per person, list and unpin', async () => {
    const a = await pinToUsual(db, {
      teamId: 'T1',
      userId: 'U1',
      title: 'Sales',
      plan: plan('public.orders'),
    });
    const again = await pinToUsual(db, {
      teamId: 'T1',
      userId: 'U1',
      title: 'Monthly sales',
      plan: plan('public.orders'),
    });
    expect(again.id).toBe(a.id);
    await pinToUsual(db, {
      teamId: 'T1',
      userId: 'U1',
      title: 'Top products',
      plan: plan('public.products', 10),
    });
    expect((await listUsualPins(db, 'T1', 'U1')).map((p) => p.title)).toEqual([
      'Monthly sales',
      'Top products',
    ]);
    expect(await listUsualPins(db, 'T1', 'U2')).toEqual([]);
    expect(await unpinFromUsual(db, 'T1', 'U2', a.id)).toBe(false);
    expect(await unpinFromUsual(db, 'T1', 'U1', a.id)).toBe(true);
    expect((await listUsualPins(db, 'T1', 'U1')).map((p) => p.title)).toEqual(['Top products']);
  });
});

describe('digest schedules', () => {
  it('are listed per team, paused, stopped, and each run slot is claimed exactly once', async () => {
    const schedule = {
      teamId: 'T1',
      ownerUserId: 'U1',
      channelId: 'C1',
      cadence: 'daily' as const,
      timeOfDay: '09:00',
      timezone: 'Europe/Berlin',
      panels: [{ title: 'Sales', plan: plan('public.orders') }],
    };
    const s1 = await createDigestSchedule(db, schedule);
    const s2 = await createDigestSchedule(db, { ...schedule, teamId: 'T2', ownerUserId: 'U7' });
    expect((await listDigestSchedules(db, 'T1')).map((s) => s.id)).toEqual([s1.id]);
    expect(await listDigestSchedules(db, 'T1', 'U2')).toEqual([]);

    const job = (n: number) => ({ job: 'repeat:digest:1:1', attempt: n });
    const claims = await Promise.all(
      ['a', 'b', 'c'].map((j) => claimDigestRun(db, 'T1', s1.id, '2025-06-02T09:00', { job: j, attempt: 1 })),
    );
    expect(claims.filter(Boolean)).toEqual([{ retaken: false }]);
    // A claim never recorded as delivered: the same job's later attempt takes it over, nobody else.
    expect(await claimDigestRun(db, 'T1', s1.id, '2025-06-03T09:00', job(1))).toEqual({ retaken: false });
    expect(await claimDigestRun(db, 'T1', s1.id, '2025-06-03T09:00', job(1))).toBeNull();
    expect(
      await claimDigestRun(db, 'T1', s1.id, '2025-06-03T09:00', { job: 'other', attempt: 9 }),
    ).toBeNull();
    expect(await claimDigestRun(db, 'T1', s1.id, '2025-06-03T09:00', job(2))).toEqual({ retaken: true });
    await markDigestDelivered(db, 'T1', s1.id, '2025-06-03T09:00');
    expect(await claimDigestRun(db, 'T1', s1.id, '2025-06-03T09:00', job(3))).toBeNull();
    expect(await claimDigestRun(db, 'T1', s1.id, '2025-06-01T09:00', job(4))).toBeNull();
    expect(await claimDigestRun(db, 'T2', s1.id, '2025-06-04T09:00', job(1))).toBeNull();
    // A dead run's slot is taken over by its job's next attempt even after later slots went out.
    expect(await claimDigestRun(db, 'T1', s1.id, '2025-06-03T10:00', job(1))).toEqual({ retaken: false });
    expect(await claimDigestRun(db, 'T1', s1.id, '2025-06-03T11:00', { job: 'later', attempt: 1 })).toEqual({
      retaken: false,
    });
    await markDigestDelivered(db, 'T1', s1.id, '2025-06-03T11:00');
    expect(await claimDigestRun(db, 'T1', s1.id, '2025-06-03T10:00', job(2))).toEqual({ retaken: true });
    // A released claim (its post failed) can be claimed again by anyone.
    expect(await claimDigestRun(db, 'T1', s1.id, '2025-06-04T09:00', job(1))).toEqual({ retaken: false });
    await releaseDigestRun(db, 'T1', s1.id, '2025-06-04T09:00', job(1));
    expect(await claimDigestRun(db, 'T1', s1.id, '2025-06-04T09:00', { job: 'x', attempt: 1 })).toEqual({
      retaken: false,
    });

    expect(await setDigestPaused(db, 'T1', s1.id, true)).toBe(true);
    expect((await listActiveDigestSchedules(db)).map((s) => s.id)).toEqual([s2.id]);
    expect(await claimDigestRun(db, 'T1', s1.id, '2025-06-05T09:00', job(1))).toBeNull();
    expect(await stopDigestSchedule(db, 'T2', s1.id)).toBe(false);
    expect(await stopDigestSchedule(db, 'T1', s1.id)).toBe(true);
    expect(await listDigestSchedules(db, 'T1')).toEqual([]);
  });
});

describe('Slack installations', () => {
  it('store, fetch and delete installs by team or enterprise', async () => {
    const store = installationStore(db);
    const install = {
      team: { id: 'T1', name: 'Shop' },
      enterprise: undefined,
      user: { id: 'U1', token: undefined, scopes: undefined },
      bot: { id: 'B1', userId: 'UB1', token: 'xoxb-1', scopes: ['chat:write'] },
      isEnterpriseInstall: false,
    };
    await store.storeInstallation(install);
    await store.storeInstallation({ ...install, bot: { ...install.bot, token: 'xoxb-2' } });
    const fetched = await store.fetchInstallation({
      teamId: 'T1',
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    expect(fetched.bot?.token).toBe('xoxb-2');
    await expect(
      store.fetchInstallation({ teamId: 'T2', enterpriseId: undefined, isEnterpriseInstall: false }),
    ).rejects.toThrow(/No Slack installation/);
    await store.deleteInstallation!({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false });
    await expect(
      store.fetchInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false }),
    ).rejects.toThrow(/No Slack installation/);
  });
});
