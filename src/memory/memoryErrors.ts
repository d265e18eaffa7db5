import { MemoryUnavailable } from '../errors.ts';

// Quarry's own stores failing is not the asker's problem: such failures become
// MemoryUnavailable, and the callers that can go on without memory (recall, learn) do.

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
]);

function codeOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Whether `e` means the server could not be reached or went away (worth retrying later),
 *  as opposed to a statement the server rejected. */
export function isConnectionError(e: unknown): boolean {
  if (e instanceof MemoryUnavailable) return true;
  if (e instanceof AggregateError && e.errors.some(isConnectionError)) return true;
  const code = codeOf(e);
  if (code && (CONNECTION_CODES.has(code) || code.startsWith('08'))) return true;
  const message = e instanceof Error ? e.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect ECONNREFUSED/i.test(
    message,
  );
}

/** Turns a connection failure of the memory database into MemoryUnavailable; other errors pass. */
export function asMemoryError(e: unknown): unknown {
  if (e instanceof MemoryUnavailable || !isConnectionError(e)) return e;
  return new MemoryUnavailable(
    "Quarry's memory database is not reachable right now; answers go on without personal memory.",
    e instanceof Error ? e.message || codeOf(e) : String(e),
  );
}
