// Quarry's runtime for tests and benches: configured from the variables given, silent unless
// told otherwise, with a data directory (the learn queue's journal) of its own that closing
// the runtime removes, and on the shared Redis under a test's key prefix when given one.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { createLogger, type Logger } from '../../src/log.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import { TEST_REDIS_URL, type TestRedis } from './services.ts';

export async function openTestRuntime(
  env: Record<string, string>,
  options: { redis?: TestRedis; log?: Logger } = {},
): Promise<Runtime> {
  const dataDir = await mkdtemp(join(tmpdir(), 'quarry-runtime-'));
  const removeDataDir = () => rm(dataDir, { recursive: true, force: true });
  try {
    const redis = options.redis ? { REDIS_URL: TEST_REDIS_URL } : {};
    const runtime = await openRuntime(loadConfig({ ...env, ...redis, QUARRY_DATA_DIR: dataDir }), {
      kvPrefix: options.redis?.prefix,
      log: options.log ?? createLogger('silent'),
    });
    return {
      ...runtime,
      async close() {
        await runtime.close();
        await removeDataDir();
      },
    };
  } catch (e) {
    await removeDataDir();
    throw e;
  }
}
