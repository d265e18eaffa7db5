// A whole Quarry runtime over its own demo shop and memory databases (and, when asked, its own
// Redis key prefix), for tests and benches that go through answer() end to end.
import type { Runtime } from '../../src/runtime.ts';
import { loadDemoShop } from './demoShop.ts';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from './services.ts';
import { openTestRuntime } from './testRuntime.ts';

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
  await loadDemoShop(target.url, options.scale ?? 0.05);
  const runtime = await openTestRuntime(
    { DATABASE_URL: target.url, MEMORY_DATABASE_URL: memory.url, ...options.env },
    { redis },
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
    },
  };
}
