// One person flooding Quarry: at most QUARRY_MAX_ANSWERS_PER_USER answers in flight each,
// counted in Redis across replicas; the rest are refused at once with a plain message, and
// nobody else is slowed. The target is unchanged throughout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdmissionPass } from '../../src/access/admission.ts';
import { expectHarmless, startThrowawayShop, type ThrowawayShop } from '../helpers/throwawayShop.ts';

let shop: ThrowawayShop;
let digest: string;

beforeAll(async () => {
  shop = await startThrowawayShop({ env: { QUARRY_MAX_ANSWERS_PER_USER: '2' } });
  digest = await shop.digest();
}, 120_000);

afterAll(async () => {
  await shop?.close();
});

describe('answers in flight per person', () => {
  it('refuses a third answer while two are running, and admits it once one ends', async () => {
    const admission = shop.runtime.pipeline.admission!;
    // Two answers of U1 still running (on this replica or another).
    const running: AdmissionPass[] = [await admission.enter('T1', 'U1'), await admission.enter('T1', 'U1')];
    const refused = await shop.ask('how many orders', { userId: 'U1' });
    expect(refused.error?.kind).toBe('busy');
    expect(refused.error?.message).toMatch(/already have 2 questions being answered/);
    expect(refused.timings).toEqual({});
    await expectHarmless(shop, refused, digest);

    const someoneElse = await shop.ask('how many orders', { userId: 'U2' });
    expect(someoneElse.error).toBeNull();

    await running[0]!.leave();
    const admitted = await shop.ask('how many orders', { userId: 'U1' });
    expect(admitted.error).toBeNull();
    await running[1]!.leave();
    await expectHarmless(shop, admitted, digest);
  });

  it('lets a burst through two at a time, refusing the rest, and frees every slot after', async () => {
    const burst = await Promise.all(
      Array.from({ length: 8 }, () => shop.ask('total sales last month by category', { userId: 'U3' })),
    );
    const refused = burst.filter((a) => a.error?.kind === 'busy');
    expect(refused.length).toBeGreaterThan(0);
    expect(burst.filter((a) => !a.error).length).toBeGreaterThanOrEqual(2);
    for (const a of burst) await expectHarmless(shop, a, digest);
    const after = await Promise.all([
      shop.ask('how many orders', { userId: 'U3' }),
      shop.ask('how many customers', { userId: 'U3' }),
    ]);
    expect(after.map((a) => a.error)).toEqual([null, null]);
  });
});
