import { Redis } from 'ioredis';
import { type CheckResult, check, reasonOf } from './check.ts';

// Redis holds sessions, caches, rate limits and the learning queue; without it they live in
// the process (lost at restart, not shared between replicas).

function whereOfRedis(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 6379}`;
  } catch {
    return 'the configured URL';
  }
}

export async function checkRedis(url: string | undefined): Promise<CheckResult[]> {
  const c = check('Redis');
  if (!url) {
    return c.notSet(
      'sessions and caches live in the process (lost at restart, not shared by replicas)',
      'set REDIS_URL for production',
    );
  }
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3000,
    commandTimeout: 3000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // The socket's own error ("connect ECONNREFUSED …") says more than the closed connection.
  let socketError: Error | undefined;
  redis.on('error', (e: Error) => {
    socketError = e;
  });
  try {
    await redis.connect();
    const started = performance.now();
    await redis.ping();
    const ms = Math.round(performance.now() - started);
    const version = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? 'unknown';
    return [c.ok(`reachable at ${whereOfRedis(url)} (Redis ${version}, ping ${ms} ms)`)];
  } catch (e) {
    return [
      c.fail(
        `cannot reach ${whereOfRedis(url)}: ${socketError?.message ?? reasonOf(e)}`,
        'check REDIS_URL and that Redis is running',
      ),
    ];
  } finally {
    redis.disconnect();
  }
}
