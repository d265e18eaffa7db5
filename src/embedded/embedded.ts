// The embedded default (docs/architecture.md#configuration-and-the-embedded-default): two PGlite
// databases, never one, so Quarry's own tables never show up as the company's data. `target` holds
// the demo shop; `memory` has pgvector for Quarry's tables. Each lives on disk under the data
// directory with a lock of its own, and a process opens only the ones it needs (memoryStore.ts,
// demoStore.ts); this file opens both, and a throwaway pair in memory.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Db } from '../db/client.ts';
import { pgliteDb } from '../db/pglite.ts';
import { DEFAULT_DEMO_SEED, DEMO_GENERATOR_VERSION } from '../demo/generate.ts';
import { loadDemo } from '../demo/load.ts';
import { bootDemoOnDisk, DEFAULT_EMBEDDED_SCALE, type DemoOptions, dayOf } from './demoStore.ts';
import { bootMemory, bootMemoryOnDisk } from './memoryStore.ts';
import { fromSnapshot, MEMORY_SNAPSHOT } from './snapshot.ts';
import { embeddedRoot, lockFor } from './store.ts';

export { DEFAULT_EMBEDDED_SCALE } from './demoStore.ts';

export interface EmbeddedDatabases {
  /** The demo shop: what questions are asked about. */
  target: Db;
  /** Quarry's own tables (migrations), with the `vector` extension created. */
  memory: Db;
  close(): Promise<void>;
}

export type OpenEmbeddedOptions = DemoOptions;

export async function openEmbedded(options: OpenEmbeddedOptions): Promise<EmbeddedDatabases> {
  const root = embeddedRoot(options.dataDir);
  await mkdir(root, { recursive: true });
  // Always the memory's lock before the shop's, so two processes never each hold the lock the
  // other is waiting for.
  const unlockMemory = await lockFor('memory', options);
  const unlockDemo = await lockFor('demo', options).catch(async (e) => {
    await unlockMemory();
    throw e;
  });
  const unlock = async () => {
    await Promise.all([unlockDemo(), unlockMemory()]);
  };
  try {
    const [memory, target] = await bootBoth(
      bootMemoryOnDisk(join(root, 'memory'), options).then((pg) => pgliteDb(pg, 'embedded memory')),
      bootDemoOnDisk(options),
    );
    return pair(target, memory, unlock);
  } catch (e) {
    await unlock();
    throw e;
  }
}

/**
 * A throwaway pair in memory, for tests and one-off runs. Booting from snapshots cached in the
 * temp directory skips initdb and the demo load after the first time. The shop's dates are
 * relative to when today's snapshot was made.
 */
export async function openEmbeddedInMemory(options: { scale?: number } = {}): Promise<EmbeddedDatabases> {
  const scale = options.scale ?? DEFAULT_EMBEDDED_SCALE;
  const now = new Date();
  const targetName = `quarry-embedded-target-v${DEMO_GENERATOR_VERSION}-${scale}-${dayOf(now)}.tar`;
  const [target, memory] = await bootBoth(
    fromSnapshot(
      targetName,
      (loadDataDir) => PGlite.create({ loadDataDir }),
      async (pg) => {
        await loadDemo(pgliteDb(pg), { scale, seed: DEFAULT_DEMO_SEED, now });
      },
    ).then((pg) => pgliteDb(pg, 'embedded demo')),
    fromSnapshot(MEMORY_SNAPSHOT, (loadDataDir) => bootMemory({ loadDataDir })).then((pg) =>
      pgliteDb(pg, 'embedded memory'),
    ),
  );
  return pair(target, memory, async () => {});
}

/** Boots both side by side; when one fails, the other is closed before the error goes on. */
async function bootBoth(a: Promise<Db>, b: Promise<Db>): Promise<[Db, Db]> {
  const [x, y] = await Promise.allSettled([a, b]);
  if (x.status === 'fulfilled' && y.status === 'fulfilled') return [x.value, y.value];
  await Promise.allSettled([x, y].flatMap((r) => (r.status === 'fulfilled' ? [r.value.close()] : [])));
  throw x.status === 'rejected' ? x.reason : (y as PromiseRejectedResult).reason;
}

function pair(target: Db, memory: Db, unlock: () => Promise<void>): EmbeddedDatabases {
  let closing: Promise<void> | undefined;
  return {
    target,
    memory,
    close() {
      closing ??= Promise.allSettled([target.close(), memory.close()]).then(unlock);
      return closing;
    },
  };
}
