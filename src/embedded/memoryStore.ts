// Quarry's own tables in an embedded PGlite with pgvector, under `<dataDir>/embedded/memory`,
// for when MEMORY_DATABASE_URL is not set. Opened alone when the questions go to a real
// PostgreSQL: the demo shop is never prepared for someone who brought their own database.

import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { pgliteDb } from '../db/pglite.ts';
import { MEMORY_SESSION_SETTINGS } from '../memory/sessionSettings.ts';
import { MEMORY_SNAPSHOT, restoreSnapshot, saveSnapshot } from './snapshot.ts';
import { type EmbeddedStore, exists, openStore, type StoreOptions, startParamsFor } from './store.ts';

export function openEmbeddedMemory(options: StoreOptions): Promise<EmbeddedStore> {
  return openStore('memory', options, async (root) =>
    pgliteDb(await bootMemoryOnDisk(join(root, 'memory'), options), 'embedded memory'),
  );
}

/** Boots the store in `dir`. A new one starts from the snapshot of an empty store when this
 *  machine has one, and leaves one for next time when it has not. The lock must be held. */
export async function bootMemoryOnDisk(
  dir: string,
  options: Pick<StoreOptions, 'oneShot'> = {},
): Promise<PGlite> {
  const startParams = startParamsFor(options);
  if (await exists(join(dir, 'PG_VERSION'))) return bootMemory({ dataDir: dir, startParams });
  // Missing, or half made by a crash during initdb: made again whole (it held nothing yet).
  await rm(dir, { recursive: true, force: true });
  try {
    if (await restoreSnapshot(MEMORY_SNAPSHOT, dir)) return await bootMemory({ dataDir: dir, startParams });
  } catch {
    // A snapshot that will not restore or boot: the store is made anew and the snapshot with it.
    await rm(dir, { recursive: true, force: true });
  }
  const pg = await bootMemory({ dataDir: dir, startParams });
  await saveSnapshot(MEMORY_SNAPSHOT, pg).catch(() => {});
  return pg;
}

export async function bootMemory(options: {
  dataDir?: string;
  loadDataDir?: Blob;
  startParams?: string[];
}): Promise<PGlite> {
  const pg = await PGlite.create({ ...options, extensions: { vector } });
  try {
    await pg.exec('CREATE EXTENSION IF NOT EXISTS vector');
    for (const [name, value] of Object.entries(MEMORY_SESSION_SETTINGS))
      await pg.exec(`SET ${name} = ${value}`);
    return pg;
  } catch (e) {
    await pg.close().catch(() => {});
    throw e;
  }
}
