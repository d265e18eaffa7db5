// Snapshots of initialised PGlite stores, cached in the temp directory: initdb takes seconds,
// booting from a snapshot a fraction of that. A snapshot that will not boot (cut short, another
// PGlite version) is made again.

import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { writeAtomically } from './store.ts';

/** The empty memory store (initdb and the `vector` extension), shared by every data directory. */
export const MEMORY_SNAPSHOT = 'quarry-embedded-memory.tar';

async function readSnapshot(name: string): Promise<Blob | undefined> {
  const saved = await readFile(join(tmpdir(), name)).catch(() => undefined);
  return saved ? new Blob([saved]) : undefined;
}

export async function saveSnapshot(name: string, pg: PGlite): Promise<void> {
  const snapshot = Buffer.from(await (await pg.dumpDataDir('none')).arrayBuffer());
  await writeAtomically(join(tmpdir(), name), snapshot);
  await removeOlderSnapshots(name);
}

/**
 * Writes the files of the named snapshot into `dir`, which must not exist yet: first into a
 * directory beside it, then moved into place, so a crash halfway never leaves a store that looks
 * whole. Faster than PGlite's `loadDataDir` into a directory on disk (native writes, several at
 * once) and with one copy of the archive in memory, not three. False when there is no snapshot;
 * throws when it is not one PGlite wrote.
 */
export async function restoreSnapshot(name: string, dir: string): Promise<boolean> {
  const tar = await readFile(join(tmpdir(), name)).catch(() => undefined);
  if (!tar) return false;
  const staging = `${dir}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeTarFiles(tar, staging);
    await rename(staging, dir);
    return true;
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw e;
  }
}

/** Files written at once: enough to keep the disk busy, far from the limit on open files. */
const PARALLEL_WRITES = 16;

/** A NUL-terminated text field of a tar header. */
function field(header: Buffer, start: number, length: number): string {
  const raw = header.toString('latin1', start, start + length);
  const end = raw.indexOf('\0');
  return end < 0 ? raw : raw.slice(0, end);
}

/** The directories and regular files of a ustar archive (what `dumpDataDir` writes) under `dir`.
 *  Any other kind of entry, or a name that would land outside `dir`, rejects the archive. */
async function writeTarFiles(tar: Buffer, dir: string): Promise<void> {
  const root = resolve(dir);
  const dirs = new Set<string>([root]);
  const files: [string, Buffer][] = [];
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const name = [field(header, 345, 155), field(header, 0, 100)].filter(Boolean).join('/');
    const path = resolve(root, `.${sep}${name}`);
    if (path !== root && !path.startsWith(root + sep)) throw new Error(`snapshot entry outside it: ${name}`);
    const size = Number.parseInt(field(header, 124, 12).trim() || '0', 8);
    const start = offset + 512;
    if (!Number.isSafeInteger(size) || start + size > tar.length) throw new Error('snapshot cut short');
    const type = String.fromCharCode(header[156]!);
    if (type === '5') dirs.add(path);
    else if (type === '0' || type === '\0') {
      dirs.add(dirname(path));
      files.push([path, tar.subarray(start, start + size)]);
    } else throw new Error(`snapshot entry of an unexpected kind (${type}): ${name}`);
    offset = start + Math.ceil(size / 512) * 512;
  }
  for (const d of [...dirs].sort()) await mkdir(d, { recursive: true });
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL_WRITES }, async () => {
      while (next < files.length) {
        const [path, data] = files[next++]!;
        await writeFile(path, data);
      }
    }),
  );
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
