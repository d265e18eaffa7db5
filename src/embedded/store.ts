// What the two embedded stores share: where they live, how a process waits its turn for one,
// and writing files so that a crash halfway leaves the old one or the new one.

import { randomBytes } from 'node:crypto';
import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Db } from '../db/client.ts';
import { lockStore, type StoreName } from './storeLock.ts';

/** How long a process waits for another one's store unless told otherwise. */
export const DEFAULT_STORE_WAIT_MS = 30_000;

export interface EmbeddedStore {
  db: Db;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** Quarry's data directory (QUARRY_DATA_DIR); the stores go in `<dataDir>/embedded/`. */
  dataDir: string;
  /** How long to wait when another process has the store open (QUARRY_EMBEDDED_WAIT_SECONDS). */
  waitMs?: number;
  /** Told once when this process has to wait, and while a store is first prepared. */
  onProgress?: (message: string) => void;
  /** For a command that answers and exits: the store starts with a small buffer cache. */
  oneShot?: boolean;
}

/** PGlite's start parameters for a store. Its default 128 MB of shared buffers is resident as
 *  soon as it starts (a store's peak RSS here: 250 MB, 137 MB with 16 MB), while one answer
 *  reads a few megabytes of the store. */
export function startParamsFor(options: Pick<StoreOptions, 'oneShot'>): string[] | undefined {
  return options.oneShot ? [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'] : undefined;
}

export function embeddedRoot(dataDir: string): string {
  return join(dataDir, 'embedded');
}

/** One lock per store, so a process that needs only the memory never waits for the shop. */
export function lockFor(store: StoreName, options: StoreOptions): Promise<() => Promise<void>> {
  return lockStore({
    store,
    path: join(embeddedRoot(options.dataDir), `${store}.lock`),
    waitMs: options.waitMs ?? DEFAULT_STORE_WAIT_MS,
    onWait: options.onProgress,
  });
}

/** Opens one store under its lock: `boot` runs with the lock held (given the stores' root),
 *  and the lock is let go again when it fails. */
export async function openStore(
  store: StoreName,
  options: StoreOptions,
  boot: (root: string) => Promise<Db>,
): Promise<EmbeddedStore> {
  const root = embeddedRoot(options.dataDir);
  await mkdir(root, { recursive: true });
  const unlock = await lockFor(store, options);
  try {
    return storeOf(await boot(root), unlock);
  } catch (e) {
    await unlock();
    throw e;
  }
}

/** Closes the database, then lets the next process in; twice is once. */
export function storeOf(db: Db, unlock: () => Promise<void>): EmbeddedStore {
  let closing: Promise<void> | undefined;
  return {
    db,
    close() {
      closing ??= db
        .close()
        .catch(() => {})
        .then(unlock);
      return closing;
    },
  };
}

/** Readers (and a crash halfway) see the old file or the new one, never half of one. */
export async function writeAtomically(path: string, data: string | Buffer): Promise<void> {
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}

export function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
