// Two processes writing one PGlite directory corrupt it, and PGlite does not stop them, so each
// embedded store is locked with a file naming its owner. A later process waits its turn (one
// `quarry ask` is over in seconds) and gives up with one sentence after a bounded wait. A lock
// left by a process that has died is taken over.

import { randomBytes } from 'node:crypto';
import { link, readFile, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError } from '../errors.ts';

/** Which embedded store a lock guards, as people are told about it. */
export type StoreName = 'memory' | 'demo';

const DESCRIPTION: Record<StoreName, string> = {
  memory: "Quarry's embedded memory",
  demo: 'the embedded demo shop',
};

const ALTERNATIVE: Record<StoreName, string> = {
  memory: 'set MEMORY_DATABASE_URL to keep the memory in PostgreSQL',
  demo: 'pass --database-url (or set DATABASE_URL) to ask your own database',
};

export interface LockOptions {
  store: StoreName;
  /** The lock file; the store's directory is beside it. */
  path: string;
  /** How long to wait for another process to finish; 0 refuses at once. */
  waitMs: number;
  /** Told once, when this process has to wait. */
  onWait?: (message: string) => void;
  /** How often the lock is looked at again while waiting. */
  pollMs?: number;
}

/** Takes the lock, waiting for its owner up to `waitMs`; returns the release. */
export async function lockStore(options: LockOptions): Promise<() => Promise<void>> {
  const { store, path, waitMs } = options;
  const pollMs = options.pollMs ?? 100;
  const token = `${process.pid} ${randomBytes(6).toString('hex')}`;
  const deadline = Date.now() + waitMs;
  let told = false;
  for (;;) {
    if (await tryTake(path, token)) return releaser(path, token);
    const held = await readFile(path, 'utf8').catch(() => '');
    const owner = ownerOf(held);
    if (owner !== undefined && !isAlive(owner)) {
      // Its owner died without releasing it (a crash, a kill -9). Removed only if it is still
      // that lock: another waiter may have taken over already.
      if ((await readFile(path, 'utf8').catch(() => '')) === held) await rm(path, { force: true });
      continue;
    }
    const who = owner === undefined ? 'another Quarry process' : `Quarry process ${owner}`;
    if (Date.now() >= deadline) {
      const waited = waitMs > 0 ? ` after ${Math.round(waitMs / 1000)} s of waiting` : '';
      throw new ConfigError(
        `${capitalized(DESCRIPTION[store])} is in use by ${who}${waited}. ` +
          `Close that one, raise QUARRY_EMBEDDED_WAIT_SECONDS, or ${ALTERNATIVE[store]}.`,
      );
    }
    if (!told) {
      told = true;
      options.onWait?.(
        `Waiting for ${DESCRIPTION[store]}, in use by ${who} (up to ${Math.round(waitMs / 1000)} s)…`,
      );
    }
    await sleep(Math.min(pollMs, Math.max(1, deadline - Date.now())));
  }
}

/** The lock appears with its owner already written in it (a hard link of a finished file),
 *  so a reader never sees an empty lock and takes it for a dead one. */
async function tryTake(path: string, token: string): Promise<boolean> {
  const draft = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(draft, token);
  try {
    await link(draft, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return false;
  } finally {
    await rm(draft, { force: true });
  }
}

function releaser(path: string, token: string): () => Promise<void> {
  let released: Promise<void> | undefined;
  // Once only, and only while the lock is still this one: a later removal could delete a lock
  // another process has taken since.
  return () => {
    released ??= readFile(path, 'utf8').then(
      (held) => (held === token ? rm(path, { force: true }) : undefined),
      () => undefined,
    );
    return released;
  };
}

function ownerOf(text: string): number | undefined {
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
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

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
