import { classifyDriverError, driverCode } from '../db/driverErrors.ts';
import { MemoryUnavailable } from '../errors.ts';

// Quarry's own stores failing is not the asker's problem: such failures become
// MemoryUnavailable, and the callers that can go on without memory (recall, learn) do.

/** Whether `e` means the server could not be reached or went away (worth retrying later),
 *  as opposed to a statement the server rejected. A full server is worth retrying too, and so
 *  is a protocol error: Quarry's own statements are fixed, so one the memory database could not
 *  read was garbled on the way, not written wrong. */
export function isConnectionError(e: unknown): boolean {
  if (e instanceof MemoryUnavailable) return true;
  const failure = classifyDriverError(e);
  return failure === 'unreachable' || failure === 'crowded' || failure === 'protocol';
}

/** Runs work on the memory database, its connection failures turned into MemoryUnavailable. */
export async function onMemory<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw asMemoryError(e);
  }
}

/** Turns a connection failure of the memory database into MemoryUnavailable; other errors pass. */
export function asMemoryError(e: unknown): unknown {
  if (e instanceof MemoryUnavailable || !isConnectionError(e)) return e;
  return new MemoryUnavailable(
    "Quarry's memory database is not reachable right now; answers go on without personal memory.",
    e instanceof Error ? e.message || driverCode(e) : String(e),
  );
}
