import type { DbSession } from '../db/client.ts';
import { listDigestSchedules, setDigestPaused } from '../memory/digestSchedules.ts';
import type { DigestScheduler } from './digestScheduler.ts';

// A workspace removed Quarry: its digests could not be posted any more, so they stop firing.
// They are paused, not deleted: after a reinstall `/usual resume <id>` brings each one back.

export async function pauseWorkspaceDigests(
  db: DbSession,
  teamId: string,
  scheduler?: DigestScheduler,
): Promise<number> {
  const active = (await listDigestSchedules(db, teamId)).filter((s) => !s.paused);
  for (const s of active) {
    await setDigestPaused(db, teamId, s.id, true);
    await scheduler?.disarm(s.id);
  }
  return active.length;
}
