// Snapshots of initialised PGlite stores, cached in the temp directory: initdb takes seconds,
// booting from a snapshot a fraction of that. A snapshot that will not boot (cut short, another
// PGlite version) is made again.

import { readdir, readFile, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { writeAtomically } from './embeddedStore.ts';

/** The empty memory store (initdb and the `vector` extension), shared by every data directory. */
export const MEMORY_SNAPSHOT = 'quarry-embedded-memory.tar';

export async function readSnapshot(name: string): Promise<Blob | undefined> {
  const saved = await readFile(join(tmpdir(), name)).catch(() => undefined);
  return saved ? new Blob([saved]) : undefined;
}

export async function saveSnapshot(name: string, pg: PGlite): Promise<void> {
  const snapshot = Buffer.from(await (await pg.dumpDataDir('none')).arrayBuffer());
  await writeAtomically(join(tmpdir(), name), snapshot);
  await removeOlderSnapshots(name);
}

/** Boots from the named snapshot, or builds the database with `fill` and saves a snapshot. */
export async function fromSnapshot(
  name: string,
  boot: (loadDataDir?: Blob) => Promise<PGlite>,
  fill: (pg: PGlite) => Promise<void> = async () => {},
): Promise<PGlite> {
  const saved = await readSnapshot(name);
  if (saved) {
    try {
      return await boot(saved);
    } catch {
      // Made again below.
    }
  }
  const pg = await boot();
  await fill(pg);
  await saveSnapshot(name, pg);
  return pg;
}

/** Yesterday's demo snapshots would otherwise pile up in the temp directory. */
async function removeOlderSnapshots(current: string): Promise<void> {
  const prefix = current.replace(/-\d{4}-\d{2}-\d{2}\.tar$/, '-');
  if (prefix === current) return;
  const names = await readdir(tmpdir());
  await Promise.allSettled(
    names.filter((n) => n.startsWith(prefix) && n !== current).map((n) => unlink(join(tmpdir(), n))),
  );
}
