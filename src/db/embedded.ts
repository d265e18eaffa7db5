// The embedded default (DESIGN §6): two PGlite databases, never one, so Quarry's own tables
// never show up as the company's data. `target` holds the demo shop; `memory` has pgvector for
// Quarry's tables. Both live on disk under the data directory: initdb and the demo load happen
// once, and a warm start only boots the two (in parallel) and moves the shop's dates to today.

import { randomBytes } from 'node:crypto';
import { access, mkdir, open, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { DEFAULT_DEMO_SEED, DEMO_GENERATOR_VERSION } from '../demo/generate.ts';
import { loadDemo } from '../demo/load.ts';
import { shiftDemoDates } from '../demo/shift.ts';
import { DAY_MS } from '../demo/timeline.ts';
import { ConfigError } from '../errors.ts';
import { MEMORY_SESSION_SETTINGS } from '../memory/sessionSettings.ts';
import type { Db } from './client.ts';
import { pgliteDb } from './pglite.ts';

/** About 10,000 orders: quick to create, and every day has a handful of orders. */
export const DEFAULT_EMBEDDED_SCALE = 0.2;

export interface EmbeddedDatabases {
  /** The demo shop: what questions are asked about. */
  target: Db;
  /** Quarry's own tables (migrations), with the `vector` extension created. */
  memory: Db;
  close(): Promise<void>;
}

export interface OpenEmbeddedOptions {
  /** Quarry's data directory (QUARRY_DATA_DIR); the databases go in `<dataDir>/embedded/`. */
  dataDir: string;
  scale?: number;
  /** The current moment; the clock unless a test pins it. */
  now?: Date;
  onProgress?: (message: string) => void;
}

/** What the stored demo shop was generated with, kept beside the databases. */
interface DemoStamp {
  version: number;
  scale: number;
  seed: number;
  /** The UTC day the shop's dates are relative to, YYYY-MM-DD. */
  asOf: string;
}

export async function openEmbedded(options: OpenEmbeddedOptions): Promise<EmbeddedDatabases> {
  const root = join(options.dataDir, 'embedded');
  const scale = options.scale ?? DEFAULT_EMBEDDED_SCALE;
  const now = options.now ?? new Date();
  const progress = options.onProgress ?? (() => {});
  const stampPath = join(root, 'demo.json');
  const targetDir = join(root, 'target');
  await mkdir(root, { recursive: true });
  const unlock = await lockDirectory(join(root, 'lock'), root);

  try {
    const wanted = { version: DEMO_GENERATOR_VERSION, scale, seed: DEFAULT_DEMO_SEED };
    const stamp = await readStamp(stampPath);
    const usable =
      stamp?.version === wanted.version &&
      stamp.scale === wanted.scale &&
      stamp.seed === wanted.seed &&
      (await exists(join(targetDir, 'PG_VERSION')))
        ? stamp
        : undefined;
    if (!usable) {
      progress('Preparing the demo shop… (first run only)');
      // A half-made or outdated shop is replaced whole; the memory database is never touched.
      // The stamp goes first, so a crash during the load means "make it again" next time.
      await rm(stampPath, { force: true });
      await rm(targetDir, { recursive: true, force: true });
    }
    const [targetPg, memoryPg] = await bootPair(
      PGlite.create({ dataDir: targetDir }),
      bootMemory({ dataDir: join(root, 'memory') }),
    );
    const databases = pair(
      pgliteDb(targetPg, 'embedded demo'),
      pgliteDb(memoryPg, 'embedded memory'),
      unlock,
    );
    try {
      if (!usable) {
        await loadDemo(databases.target, {
          scale,
          seed: wanted.seed,
          now,
          onProgress: (p) => {
            if (p.table === 'orders')
              progress(`Preparing the demo shop… ${Math.round((100 * p.done) / p.total)}%`);
          },
        });
        await writeStamp(stampPath, { ...wanted, asOf: dayOf(now) });
      } else if (usable.asOf !== dayOf(now)) {
        const days = Math.round((Date.parse(dayOf(now)) - Date.parse(usable.asOf)) / DAY_MS);
        await shiftDemoDates(databases.target, days, now);
        await writeStamp(stampPath, { ...usable, asOf: dayOf(now) });
      }
    } catch (e) {
      await databases.close();
      throw e;
    }
    return databases;
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
  const [targetPg, memoryPg] = await bootPair(
    fromSnapshot(
      targetName,
      (loadDataDir) => PGlite.create({ loadDataDir }),
      async (pg) => {
        await loadDemo(pgliteDb(pg), { scale, seed: DEFAULT_DEMO_SEED, now });
      },
    ),
    fromSnapshot('quarry-embedded-memory.tar', (loadDataDir) => bootMemory({ loadDataDir })),
  );
  return pair(pgliteDb(targetPg, 'embedded demo'), pgliteDb(memoryPg, 'embedded memory'), async () => {});
}

/** Boots both side by side; when one fails, the other is closed before the error goes on. */
async function bootPair(target: Promise<PGlite>, memory: Promise<PGlite>): Promise<[PGlite, PGlite]> {
  const [t, m] = await Promise.allSettled([target, memory]);
  if (t.status === 'fulfilled' && m.status === 'fulfilled') return [t.value, m.value];
  await Promise.allSettled([t, m].flatMap((r) => (r.status === 'fulfilled' ? [r.value.close()] : [])));
  throw t.status === 'rejected' ? t.reason : (m as PromiseRejectedResult).reason;
}

async function bootMemory(options: { dataDir?: string; loadDataDir?: Blob }): Promise<PGlite> {
  const pg = await PGlite.create({ ...options, extensions: { vector } });
  await pg.exec('CREATE EXTENSION IF NOT EXISTS vector');
  for (const [name, value] of Object.entries(MEMORY_SESSION_SETTINGS))
    await pg.exec(`SET ${name} = ${value}`);
  return pg;
}

/** Boots from the named snapshot, or builds the database with `fill` and saves a snapshot. */
async function fromSnapshot(
  name: string,
  boot: (loadDataDir?: Blob) => Promise<PGlite>,
  fill: (pg: PGlite) => Promise<void> = async () => {},
): Promise<PGlite> {
  const path = join(tmpdir(), name);
  const saved = await readFile(path).catch(() => undefined);
  if (saved) {
    try {
      return await boot(new Blob([saved]));
    } catch {
      // A snapshot from another PGlite version, or cut short: make it again below.
    }
  }
  const pg = await boot();
  await fill(pg);
  const snapshot = Buffer.from(await (await pg.dumpDataDir('none')).arrayBuffer());
  await writeAtomically(path, snapshot);
  await removeOlderSnapshots(name);
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

/**
 * Two processes writing one PGlite directory corrupt it, and PGlite does not stop them, so the
 * directory is locked with a file naming its owner. A lock left by a process that has died is
 * taken over.
 */
async function lockDirectory(lockPath: string, root: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      let released: Promise<void> | undefined;
      // Once only: a second removal could delete a lock another process has taken since.
      return () => {
        released ??= rm(lockPath, { force: true });
        return released;
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && isAlive(owner)) {
      throw new ConfigError(
        `The embedded database in ${root} is already in use by Quarry process ${owner}. ` +
          'Close that one first, or set DATABASE_URL and MEMORY_DATABASE_URL to use a PostgreSQL server.',
      );
    }
    await rm(lockPath, { force: true });
  }
  throw new ConfigError(
    `Could not lock the embedded database in ${root}; another Quarry process keeps taking it.`,
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readStamp(path: string): Promise<DemoStamp | undefined> {
  try {
    const stamp = JSON.parse(await readFile(path, 'utf8')) as Partial<DemoStamp>;
    const valid =
      typeof stamp.version === 'number' &&
      typeof stamp.scale === 'number' &&
      typeof stamp.seed === 'number' &&
      typeof stamp.asOf === 'string' &&
      /^\d{4}-\d{2}-\d{2}$/.test(stamp.asOf);
    return valid ? (stamp as DemoStamp) : undefined;
  } catch {
    return undefined;
  }
}

function writeStamp(path: string, stamp: DemoStamp): Promise<void> {
  return writeAtomically(path, `${JSON.stringify(stamp, null, 2)}\n`);
}

/** Readers (and a crash halfway) see the old file or the new one, never half of one. */
async function writeAtomically(path: string, data: string | Buffer): Promise<void> {
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

function dayOf(moment: Date): string {
  return moment.toISOString().slice(0, 10);
}
