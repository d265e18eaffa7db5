// One person flooding Quarry: at most QUARRY_MAX_ANSWERS_PER_USER answers in flight each,
// counted in Redis across replicas; the rest are refused at once with a plain message, and
// nobody else is slowed. The target is unchanged throughout.
import { describe, expect, it } from 'vitest';
import type { AdmissionPass } from '../../src/access/admission.ts';
import { expectHarmless, throwawayShopForFile } from '../helpers/throwawayShop.ts';

const fixture = throwawayShopForFile({ env: { QUARRY_MAX_ANSWERS_PER_USER: '2' } });

describe('answers in flight per person', () => {
  it('refuses a third answer while two are running, and admits it once one ends', async () => {
    const admission = fixture.shop.runtime.pipeline.admission!;
    // Two answers of U1 still running (on this replica or another).
    const running: AdmissionPass[] = [await admission.enter('T1', 'U1'), await admission.enter('T1', 'U1')];
    const refused = await fixture.shop.ask('how many orders', { userId: 'U1' });
    expect(refused.error?.kind).toBe('busy');
    expect(refused.error?.message).toMatch(/already have 2 questions being answered/);
    expect(refused.timings).toEqual({});
    await expectHarmless(fixture, refused);

    const someoneElse = await fixture.shop.ask('how many orders', { userId: 'U2' });
    expect(someoneElse.error).toBeNull();

    await running[0]!.leave();
    const admitted = await fixture.shop.ask('how many orders', { userId: 'U1' });
    expect(admitted.error).toBeNull();
    await running[1]!.leave();
    await expectHarmless(fixture, admitted);
  });

  it('lets a burst through two at a time, refusing the rest, and frees every slot after', async () => {
    const burst = await Promise.all(
      Array.from({ length: 8 }, () =>
        fixture.shop.ask('total sales last month by category', { userId: 'U3' }),
      ),
    );
    const refused = burst.filter((a) => a.error?.kind === 'busy');
    expect(refused.length).toBeGreaterThan(0);
    expect(burst.filter((a) => !a.error).length).toBeGreaterThanOrEqual(2);
    for (const a of burst) await expectHarmless(fixture, a);
    const after = await Promise.all([
      fixture.shop.ask('how many orders', { userId: 'U3' }),
      fixture.shop.ask('how many customers', { userId: 'U3' }),
    ]);
    expect(after.map((a) => a.error)).toEqual([null, null]);
  });
});
