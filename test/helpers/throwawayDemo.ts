// The demo shop (database `shop`) and an empty memory database (`quarry`, with pgvector) on a
// file's own PostgreSQL server, or with memory on a second one, for fault tests that stop
// and restart those servers. Returned as the configuration that points Quarry at them.
import { loadDemoShop } from './demoShop.ts';
import type { ThrowawayPostgres } from './throwawayPostgres.ts';

export interface DemoDatabaseUrls {
  DATABASE_URL: string;
  MEMORY_DATABASE_URL: string;
}

export async function demoDatabasesOn(
  targetServer: ThrowawayPostgres,
  memoryServer: ThrowawayPostgres = targetServer,
): Promise<DemoDatabaseUrls> {
  const [targetUrl, memoryUrl] = await Promise.all([
    targetServer.createDatabase('shop'),
    memoryServer.createDatabase('quarry', { vector: true }),
  ]);
  // Small: these tests are about outages, not volume.
  await loadDemoShop(targetUrl, 0.01);
  return { DATABASE_URL: targetUrl, MEMORY_DATABASE_URL: memoryUrl };
}
