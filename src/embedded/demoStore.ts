// The demo shop in an embedded PGlite under `<dataDir>/embedded/target`, for when no
// DATABASE_URL is given: generated once, and on a later day only its dates move to today.

import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Db } from '../db/client.ts';
import { pgliteDb } from '../db/pglite.ts';
import { DEFAULT_DEMO_SEED, DEMO_GENERATOR_VERSION } from '../demo/generate.ts';
import { loadDemo } from '../demo/load.ts';
import { shiftDemoDates } from '../demo/shift.ts';
import { DAY_MS } from '../demo/timeline.ts';
import {
  type EmbeddedStore,
  embeddedRoot,
  exists,
  openStore,
  type StoreOptions,
  startParamsFor,
  writeAtomically,
} from './store.ts';

/** About 10,000 orders: quick to create, and every day has a handful of orders. */
export const DEFAULT_EMBEDDED_SCALE = 0.2;

export interface DemoOptions extends StoreOptions {
  scale?: number;
  /** The current moment; the clock unless a test pins it. */
  now?: Date;
}

/** What the stored demo shop was generated with, kept beside the databases. */
interface DemoStamp {
  version: number;
  scale: number;
  seed: number;
  /** The UTC day the shop's dates are relative to, YYYY-MM-DD. */
  asOf: string;
}

export function openEmbeddedDemo(options: DemoOptions): Promise<EmbeddedStore> {
  return openStore('demo', options, () => bootDemoOnDisk(options));
}

/** Boots the shop, making or moving it first when needed. The lock must be held. */
export async function bootDemoOnDisk(options: DemoOptions): Promise<Db> {
  const root = embeddedRoot(options.dataDir);
  const scale = options.scale ?? DEFAULT_EMBEDDED_SCALE;
  const now = options.now ?? new Date();
  const progress = options.onProgress ?? (() => {});
  const stampPath = join(root, 'demo.json');
  const targetDir = join(root, 'target');
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
  const db = pgliteDb(
    await PGlite.create({ dataDir: targetDir, startParams: startParamsFor(options) }),
    'embedded demo',
  );
  try {
    if (!usable) {
      await loadDemo(db, {
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
      await shiftDemoDates(db, days, now);
      await writeStamp(stampPath, { ...usable, asOf: dayOf(now) });
    }
    return db;
  } catch (e) {
    await db.close().catch(() => {});
    throw e;
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

export function dayOf(moment: Date): string {
  return moment.toISOString().slice(0, 10);
}
