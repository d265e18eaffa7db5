// A whole Quarry runtime over its own demo shop and memory databases (and, when asked, its own
// Redis key prefix), for tests and benches that go through answer() end to end.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { postgresDb } from '../../src/db/postgres.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { createLogger } from '../../src/log.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import {
  createTestDatabase,
  createTestRedis,
  TEST_REDIS_URL,
  type TestDatabase,
  type TestRedis,
} from './services.ts';

export interface DemoRuntime {
  runtime: Runtime;
  target: TestDatabase;
  memory: TestDatabase;
  /** Present when the runtime uses the real Redis. */
  redis?: TestRedis;
  close(): Promise<void>;
}

export async function openDemoRuntime(
  options: { scale?: number; redis?: boolean; env?: Record<string, string> } = {},
): Promise<DemoRuntime> {
  const [target, memory] = await Promise.all([createTestDatabase(), createTestDatabase({ vector: true })]);
  const redis = options.redis ? await createTestRedis() : undefined;
  const dataDir = await mkdtemp(join(tmpdir(), 'quarry-test-'));
  const shop = postgresDb(target.url);
  await loadDemo(shop, { scale: options.scale ?? 0.05 });
  await shop.close();
  const runtime = await openRuntime(
    loadConfig({
      DATABASE_URL: target.url,
      MEMORY_DATABASE_URL: memory.url,
      QUARRY_DATA_DIR: dataDir,
      ...(redis ? { REDIS_URL: TEST_REDIS_URL } : {}),
      ...options.env,
    }),
    { kvPrefix: redis?.prefix, log: createLogger('silent') },
  );
  return {
    runtime,
    target,
    memory,
    redis,
    async close() {
      await runtime.close();
      await redis?.cleanup();
      await Promise.all([target.drop(), memory.drop()]);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
