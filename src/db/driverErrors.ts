// What a thrown driver or server error means, decided in one place for both databases: the
// target (where a failure becomes a sentence for the asker) and memory (where it decides
// between "try again later" and "this statement is wrong"). Callers choose the words; this
// file only reads SQLSTATEs (server), errnos (socket) and pg's own code-less messages.

/** What went wrong, as far as a caller needs to know:
 *  - `unreachable`: no connection could be made, or the one in use was lost;
 *  - `crowded`: the server is up but has no connection slot free (53300);
 *  - `login`: the server refused the user, the password or the database name;
 *  - `timeout`: the statement was cancelled (statement_timeout or a cancel request);
 *  - `read-only`: the statement tried to write in a READ ONLY transaction;
 *  - `protocol`: the server could not read what was sent (08P01, e.g. a `$1` with no value);
 *  - `query`: the server read the statement and refused it (names, types, values, limits…). */
export type DriverFailure =
  | 'unreachable'
  | 'crowded'
  | 'login'
  | 'timeout'
  | 'read-only'
  | 'protocol'
  | 'query';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/** The server going away on purpose or by accident: admin_shutdown, crash_shutdown,
 *  cannot_connect_now. */
const SHUTDOWN_CODES = new Set(['57P01', '57P02', '57P03']);

/** pg's and pg-pool's messages when the socket dies or never connects; they carry no code. */
const LOST_CONNECTION =
  /connection terminated|timeout expired|timeout exceeded when trying to connect|connection error|not queryable|connect ECONNREFUSED/i;

interface DriverError {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
}

function asDriverError(e: unknown): DriverError {
  return typeof e === 'object' && e !== null ? (e as DriverError) : {};
}

/** A failed connect to several addresses (IPv6 and IPv4) is an AggregateError of each try. */
function innerErrors(e: unknown): unknown[] {
  const errors = asDriverError(e).errors;
  return Array.isArray(errors) ? errors : [];
}

/** The SQLSTATE or errno of `e`, or of the first error inside it that has one. */
export function driverCode(e: unknown): string | undefined {
  const code = asDriverError(e).code;
  if (typeof code === 'string') return code;
  for (const inner of innerErrors(e)) {
    const innerCode = driverCode(inner);
    if (innerCode) return innerCode;
  }
  return undefined;
}

function byCode(code: string): DriverFailure {
  if (code === '57014') return 'timeout';
  if (code === '25006') return 'read-only';
  if (code === '53300') return 'crowded';
  if (code === '08P01') return 'protocol';
  if (code.startsWith('08') || SHUTDOWN_CODES.has(code) || NETWORK_CODES.has(code)) return 'unreachable';
  if (code.startsWith('28') || code === '3D000') return 'login';
  return 'query';
}

/** Classifies anything a driver threw. An error with no code is `unreachable` only when its
 *  message is one of pg's lost-connection messages: a code-less error is otherwise taken for a
 *  refusal, never for an outage, so it cannot open a breaker or be retried forever. */
export function classifyDriverError(e: unknown): DriverFailure {
  const inner = innerErrors(e);
  if (inner.some((x) => classifyDriverError(x) === 'unreachable')) return 'unreachable';
  const code = driverCode(e);
  if (code) return byCode(code);
  const message = asDriverError(e).message;
  return typeof message === 'string' && LOST_CONNECTION.test(message) ? 'unreachable' : 'query';
}
