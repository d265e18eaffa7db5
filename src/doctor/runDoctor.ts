import { sameDatabase } from '../access/memoryTables.ts';
import type { Config } from '../config.ts';
import type { CheckResult } from './check.ts';
import { checkMemory } from './memory.ts';
import { checkModel } from './model.ts';
import { checkRedis } from './redis.ts';
import { checkSlack } from './slack.ts';
import { checkTarget } from './target.ts';

/** Every check of `quarry doctor`, side by side; `databaseUrl` overrides DATABASE_URL. */
export async function runDoctor(
  config: Config,
  options: { databaseUrl?: string } = {},
): Promise<CheckResult[]> {
  const targetUrl = options.databaseUrl ?? config.DATABASE_URL;
  const memoryUrl = config.MEMORY_DATABASE_URL;
  const groups = await Promise.all([
    checkTarget(targetUrl),
    checkMemory(memoryUrl, sameDatabase(targetUrl, memoryUrl)),
    checkRedis(config.REDIS_URL),
    checkSlack(config),
    checkModel(config),
  ]);
  return groups.flat();
}
