import type { Db, DbSession } from '../db/client.ts';
import { TargetUnavailable } from '../errors.ts';
import { toQuarryError } from '../pipeline/execute/dbErrors.ts';

// When the target database is down or drowning, every question waiting its full timeout only
// piles more work on it and makes people wait for nothing. After `failures` timeouts or
// connection failures in a row the breaker opens: for `openMs` every read fails at once with a
// plain message. Then reads go through again; one more failure opens it again, one success
// closes it. Any other outcome (a result, or an error the server answered with) counts as the
// server being well.

export interface BreakerOptions {
  /** Consecutive timeouts or connection failures that open the breaker. */
  failures: number;
  openMs: number;
  /** Epoch milliseconds; tests move their own clock. */
  now?: () => number;
}

export interface CircuitBreaker {
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Milliseconds until reads go through again; 0 when closed. */
  openFor(): number;
}

/** Timeouts and lost connections are the server's trouble; other errors are the query's. */
function isServerTrouble(e: unknown): boolean {
  const kind = toQuarryError(e, 0).kind;
  return kind === 'timeout' || kind === 'target_unavailable';
}

export function circuitBreaker(options: BreakerOptions): CircuitBreaker {
  const now = options.now ?? Date.now;
  let consecutive = 0;
  let openUntil = 0;
  const openFor = () => Math.max(0, openUntil - now());
  return {
    openFor,
    async run(work) {
      const wait = openFor();
      if (wait > 0) {
        throw new TargetUnavailable(
          `The database has not been answering (the last ${consecutive} tries timed out or could not connect), so I'm pausing questions to it for ${Math.ceil(wait / 1000)} s. Please try again then; if it keeps happening, tell the data team.`,
          `circuit open for ${wait} ms after ${consecutive} failures`,
        );
      }
      try {
        const result = await work();
        consecutive = 0;
        return result;
      } catch (e) {
        if (!isServerTrouble(e)) consecutive = 0;
        else if (++consecutive >= options.failures) openUntil = now() + options.openMs;
        throw e;
      }
    },
  };
}

/** The target database behind a breaker: every statement and session goes through it. */
export function behindBreaker(db: Db, breaker: CircuitBreaker): Db {
  return {
    kind: db.kind,
    label: db.label,
    query<R>(sql: string, params?: unknown[]) {
      return breaker.run(() => db.query<R>(sql, params));
    },
    queryArrays: (sql, params, maxRows, options) =>
      breaker.run(() => db.queryArrays(sql, params, maxRows, options)),
    exec: (sql) => breaker.run(() => db.exec(sql)),
    session<T>(fn: (s: DbSession) => Promise<T>) {
      return breaker.run(() => db.session(fn));
    },
    cancel: db.cancel?.bind(db),
    close: () => db.close(),
  };
}
