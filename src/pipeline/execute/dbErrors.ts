import { classifyDriverError, driverCode } from '../../db/driverErrors.ts';
import {
  isQuarryError,
  type QuarryError,
  QueryFailed,
  QueryTimeout,
  TargetUnavailable,
  UnsafeSql,
} from '../../errors.ts';

// Driver and server errors of the target → Quarry's typed errors, by what the classifier in
// db/ makes of them. The person gets a plain sentence; the server's own words go to `detail`.

const UNREACHABLE =
  "I can't reach the database right now. Please try again in a few minutes; if it keeps failing, tell the data team.";

function plainFailure(code: string | undefined): string {
  switch (code) {
    case '42703':
      return "The query refers to a column that doesn't exist";
    case '42P01':
      return "The query refers to a table that doesn't exist";
    case '42883':
      return "The query uses a function or operator that doesn't fit these values";
    case '42501':
      return "The database didn't allow reading this data";
    case '08P01':
      return 'The query could not be sent to the database as written';
    case '22012':
      return 'The query divides by zero';
    case '40001':
    case '40P01':
      return 'The database was busy with other work; please try again';
  }
  if (code?.startsWith('22')) return "The query ran into a value it couldn't handle";
  if (code?.startsWith('42')) return 'The query has a mistake the database could not accept';
  if (code?.startsWith('53') || code?.startsWith('54')) {
    return 'The query needed more than the database allows; try a narrower question';
  }
  return "The database couldn't run this query";
}

/** `15000` → `15 s`, `300` → `0.3 s`. */
function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${seconds >= 10 ? Math.round(seconds) : Math.max(0.1, Number(seconds.toFixed(1)))} s`;
}

export function timeoutError(timeoutMs: number, detail: string): QueryTimeout {
  return new QueryTimeout(
    `The query took longer than ${formatSeconds(timeoutMs)} and was stopped. Try a shorter time range or fewer groupings.`,
    detail,
  );
}

/** Maps anything thrown while running a read to the matching QuarryError. */
export function toQuarryError(e: unknown, timeoutMs: number): QuarryError {
  if (isQuarryError(e)) return e;
  const err = (typeof e === 'object' && e !== null ? e : {}) as { message?: unknown; hint?: unknown };
  const message = typeof err.message === 'string' ? err.message : String(e);
  const code = driverCode(e);
  const detail = [code, message, typeof err.hint === 'string' ? `hint: ${err.hint}` : undefined]
    .filter(Boolean)
    .join(': ');
  switch (classifyDriverError(e)) {
    case 'timeout':
      return timeoutError(timeoutMs, detail);
    case 'read-only':
      return new UnsafeSql(
        'I only run read-only queries, and the database refused this one because it tries to write.',
        detail,
      );
    case 'unreachable':
      return new TargetUnavailable(UNREACHABLE, detail);
    case 'login':
      return new TargetUnavailable(
        "I couldn't log in to the database (wrong name, user or password). Please tell the data team.",
        detail,
      );
    // The server answered each of these, so none is a lost connection: a protocol error is in
    // what was sent (a `$1` with no value), and a server with no connection slot free is
    // reported like any other limit it hit.
    case 'crowded':
    case 'protocol':
    case 'query':
      return new QueryFailed(`${plainFailure(code)}: ${message}.`, detail);
  }
}
