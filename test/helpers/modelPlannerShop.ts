// The world the model-planner tests share: the demo shop in its own PostgreSQL database, a Redis
// key prefix for the token budget, and a local OpenAI-protocol server that plays the model. Each
// file that calls this gets its own, set up before its tests and removed after them.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { postgresDb } from '../../src/db/postgres.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { type FakeOpenAI, startFakeOpenAI } from './fakeOpenAI.ts';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from './services.ts';

export interface ModelPlannerShop {
  db: Db;
  redis: TestRedis;
  fake: FakeOpenAI;
}

/** Registers the file's hooks; the fields are set once `beforeAll` has run. */
export function useModelPlannerShop(): ModelPlannerShop {
  const shop = {} as ModelPlannerShop;
  let testDb: TestDatabase | undefined;
  beforeAll(async () => {
    [testDb, shop.redis, shop.fake] = await Promise.all([
      createTestDatabase(),
      createTestRedis(),
      startFakeOpenAI(),
    ]);
    shop.db = postgresDb(testDb.url);
    await loadDemo(shop.db, { scale: 0.05 });
  }, 120_000);
  afterAll(async () => {
    await shop.fake?.close();
    await shop.db?.close();
    await testDb?.drop();
    await shop.redis?.cleanup();
  });
  beforeEach(() => {
    if (shop.fake) shop.fake.requests.length = 0;
  });
  return shop;
}
