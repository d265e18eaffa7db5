// How fast the demo shop loads into PostgreSQL, and how fast the embedded databases start.
//   node --import tsx bench/demo-load.ts [scale]      (scale for PostgreSQL, default 1)
// Warm starts run in fresh processes, as `quarry` itself would.

import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { postgresDb } from '../src/db/postgres.ts';
import { loadDemo } from '../src/demo/load.ts';
import { openEmbedded, openEmbeddedInMemory } from '../src/embedded/embedded.ts';
import { createTestDatabase } from '../test/helpers/services.ts';

const WARM_RUNS = 5;

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, (performance.now() - start) / 1000];
}

async function benchPostgres(scale: number): Promise<void> {
  const database = await createTestDatabase();
  const db = postgresDb(database.url);
  try {
    for (const label of ['first load', 'reload']) {
      const [counts, seconds] = await timed(() => loadDemo(db, { scale }));
      const rows = counts.customers + counts.products + counts.orders + counts.orderItems;
      console.log(
        `postgres ${label}, scale ${scale}: ${seconds.toFixed(2)} s, ${rows} rows, ` +
          `${Math.round(rows / seconds)} rows/s (${counts.orders} orders, ${counts.orderItems} order items)`,
      );
    }
  } finally {
    await db.close();
    await database.drop();
  }
}

/** Opens the embedded pair in a new process; prints the seconds openEmbedded took. */
async function warmChild(dataDir: string): Promise<void> {
  const [embedded, seconds] = await timed(() => openEmbedded({ dataDir }));
  await embedded.close();
  console.log(seconds);
}

async function benchEmbedded(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'quarry-bench-'));
  try {
    const [cold, coldSeconds] = await timed(() => openEmbedded({ dataDir }));
    const [orders] = await cold.target.query<{ n: number }>('SELECT count(*)::int AS n FROM orders');
    await cold.close();
    console.log(`embedded cold start (first run, ${orders!.n} orders): ${coldSeconds.toFixed(2)} s`);

    const warm: number[] = [];
    const wall: number[] = [];
    for (let i = 0; i < WARM_RUNS; i++) {
      const start = performance.now();
      const out = execFileSync(process.execPath, [
        '--import',
        'tsx',
        fileURLToPath(import.meta.url),
        '--warm-child',
        dataDir,
      ]);
      wall.push((performance.now() - start) / 1000);
      warm.push(Number(out.toString().trim()));
    }
    console.log(
      `embedded warm start: median ${median(warm).toFixed(2)} s (${warm.map((s) => s.toFixed(2)).join(', ')})`,
    );
    console.log(`  whole process, node start to exit: median ${median(wall).toFixed(2)} s`);

    const [pair, memorySeconds] = await timed(() => openEmbeddedInMemory());
    await pair.close();
    const [again, againSeconds] = await timed(() => openEmbeddedInMemory());
    await again.close();
    console.log(
      `embedded in memory: ${memorySeconds.toFixed(2)} s, then ${againSeconds.toFixed(2)} s in the same process`,
    );
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const args = process.argv.slice(2);
if (args[0] === '--warm-child') {
  await warmChild(args[1]!);
} else {
  await benchPostgres(Number(args[0] ?? 1));
  await benchEmbedded();
}
