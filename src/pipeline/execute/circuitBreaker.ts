import type { Db, DbSession } from '../../db/client.ts';
import { type QuarryError, QueryTimeout, TargetUnavailable } from '../../errors.ts';
import { toQuarryError } from './dbErrors.ts';

// Two breakers, one shape. When the target database is down, every question waiting its full
// timeout only makes people wait for nothing: after `failures` lost connections in a row the
// connection breaker fails every read at once for `openMs`. A question that runs too long is the
// asker's, not everyone's: the timeout breaker counts timeouts per person and pauses only that
// person. After the pause reads go through again; one more failure opens it again, one success
// closes it. Any other outcome (a result, or an error the server answered with: a bad column, a
// protocol error from a query) counts as the server being well.

export interface BreakerOptions {
  /** Consecutive counted failures that open the breaker. */
  failures: number;
  openMs: number;
  /** Epoch milliseconds; tests move their own clock. */
  now?: () => number;
}

export interface CircuitBreaker {
  /** Runs `work` unless the breaker of `key` (one person; everyone when absent) is open. */
  run<T>(work: () => Promise<T>, key?: string): Promise<T>;
  /** Milliseconds until reads of `key` go through again; 0 when closed. */
  openFor(key?: string): number;
}

interface State {
  consecutive: number;
  openUntil: number;
}

function keyedBreaker(
  options: BreakerOptions,
  counts: (e: QuarryError) => boolean,
  paused: (failures: number, waitMs: number) => QuarryError,
): CircuitBreaker {
  const now = options.now ?? Date.now;
  // Only keys with failures are kept, so the map holds the people in trouble, not everyone.
  const states = new Map<string, State>();
  const openFor = (key = '') => Math.max(0, (states.get(key)?.openUntil ?? 0) - now());
  return {
    openFor,
    async run(work, key = '') {
      const wait = openFor(key);
      if (wait > 0) throw paused(states.get(key)!.consecutive, wait);
      try {
        const result = await work();
        states.delete(key);
        return result;
      } catch (e) {
        if (!counts(toQuarryError(e, 0))) states.delete(key);
        else {
          const state = states.get(key) ?? { consecutive: 0, openUntil: 0 };
          if (++state.consecutive >= options.failures) state.openUntil = now() + options.openMs;
          states.set(key, state);
        }
        throw e;
      }
    },
  };
}

const seconds = (ms: number) => Math.ceil(ms / 1000);

/** Opens for everyone after connection failures in a row: the database is not answering. */
export function connectionBreaker(options: BreakerOptions): CircuitBreaker {
  return keyedBreaker(
    options,
    (e) => e.kind === 'target_unavailable',
    (failures, wait) =>
      new TargetUnavailable(
        `The database has not been answering (the last ${failures} tries could not connect), so I'm pausing questions to it for ${seconds(wait)} s. Please try again then; if it keeps happening, tell the data team.`,
        `circuit open for ${wait} ms after ${failures} failures`,
      ),
  );
}

/** Opens for one person (the key) after their own reads timed out in a row. */
export function timeoutBreaker(options: BreakerOptions): CircuitBreaker {
  return keyedBreaker(
    options,
    (e) => e.kind === 'timeout',
    (failures, wait) =>
      new QueryTimeout(
        `Your last ${failures} questions took too long and were stopped, so I'm pausing your questions for ${seconds(wait)} s to let the database catch up. Then try a narrower question (a shorter time range or fewer groupings).`,
        `timeouts paused for ${wait} ms after ${failures} timeouts`,
      ),
  );
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
