import { describe, expect, it } from 'vitest';
import { memorySchemaLayer } from '../../src/pipeline/schema.ts';
import { shopSchema } from '../fixtures/shopSchema.ts';

describe('memorySchemaLayer', () => {
  it('returns the stored schema itself, per database label', async () => {
    const layer = memorySchemaLayer();
    await layer.set('shop', shopSchema);
    expect(await layer.get('shop')).toBe(shopSchema);
    expect(await layer.get('other')).toBeNull();
    expect(layer.name).toBe('memory');
  });

  it('forgets a schema once its TTL has passed (default one hour)', async () => {
    let now = 1_000_000;
    const layer = memorySchemaLayer({ now: () => now });
    await layer.set('shop', shopSchema);
    now += 3_599_000;
    expect(await layer.get('shop')).toBe(shopSchema);
    now += 1_000;
    expect(await layer.get('shop')).toBeNull();
  });

  it('honours a custom TTL and restarts it on each set', async () => {
    let now = 0;
    const layer = memorySchemaLayer({ ttlSeconds: 10, now: () => now });
    await layer.set('shop', shopSchema);
    now = 9_000;
    await layer.set('shop', shopSchema);
    now = 15_000;
    expect(await layer.get('shop')).toBe(shopSchema);
    now = 19_000;
    expect(await layer.get('shop')).toBeNull();
  });
});
