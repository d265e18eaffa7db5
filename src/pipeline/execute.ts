import type { Db, DbSession } from '../db/client.ts';
import type { Cell, ResultColumn } from '../domain/types.ts';
import { QueryFailed } from '../errors.ts';
import { timeoutError, toQuarryError } from './execute/dbErrors.ts';
import { toCell, valueKindOf } from './execute/values.ts';

// The execute stage (see docs/architecture.md#execute): run one guarded read. The READ ONLY
// transaction is the second wall behind the guard: even a write that slipped past it fails on the
// server (SQLSTATE 25006).

export interface ExecuteOptions {
  /** Server-side statement timeout; the client gives up shortly after it regardless. */
  timeoutMs: number;
  /** Rows returned at most; one more is read to know whether the result was cut. */
  maxRows: number;
  /** IANA zone (`Europe/Berlin`) the read runs in: `now()`, `date_trunc` and the offsets of
   *  returned timestamps follow it. The server's own zone when absent. */
  timeZone?: string;
  /** Every table in the SQL is written with its schema: run with only pg_catalog on the search
   *  path, so unqualified functions, operators and types are PostgreSQL's own. */
  tablesQualified?: boolean;
  /** Bytes of values read at most; rows past them are left on the server. */
  maxBytes?: number;
  /** Checks run in the read's transaction before the statement (what its views depend on). */
  beforeRead?: (s: DbSession) => Promise<void>;
}

export interface ExecutionResult {
  columns: ResultColumn[];
  rows: Cell[][];
  rowCount: number;
  /** More rows existed than `maxRows`, or than fit in `maxBytes`. */
  truncated: boolean;
  /** Reading stopped at `maxBytes`. */
  cutBySize: boolean;
  durationMs: number;
}

/** How long past the statement timeout the client waits for a server that stopped answering. */
export const BACKSTOP_MARGIN_MS = 1000;

/** Zone names and offsets: letters, digits and `/_+-:`, nothing that could end a literal. */
const TIME_ZONE = /^[A-Za-z0-9/_+:-]+$/;

/**
 * Session settings for the read: ISO dates so values convert exactly; standard-conforming
 * strings so the server reads string literals exactly as the guard's parser did.
 */
function beginStatements(timeoutMs: number, timeZone: string | undefined, catalogOnly: boolean): string {
  if (timeZone !== undefined && !TIME_ZONE.test(timeZone)) {
    throw new QueryFailed(
      `I don't know the time zone "${timeZone}".`,
      `invalid time zone ${JSON.stringify(timeZone)}`,
    );
  }
  return [
    'BEGIN READ ONLY ISOLATION LEVEL REPEATABLE READ',
    `SET LOCAL statement_timeout = ${timeoutMs}`,
    `SET LOCAL idle_in_transaction_session_timeout = ${timeoutMs + BACKSTOP_MARGIN_MS}`,
    "SET LOCAL DateStyle = 'ISO'",
    'SET LOCAL standard_conforming_strings = on',
    ...(timeZone ? [`SET LOCAL TimeZone = '${timeZone}'`] : []),
    // pg_temp last: otherwise it is searched first, and a temporary table could shadow a name.
    ...(catalogOnly ? ['SET LOCAL search_path = pg_catalog, pg_temp'] : []),
  ].join(';\n');
}

async function readInTransaction(
  s: DbSession,
  begin: string,
  sql: string,
  params: unknown[],
  maxRows: number,
  options: ExecuteOptions,
) {
  try {
    await s.exec(begin);
    await options.beforeRead?.(s);
    const result = await s.queryArrays(sql, params, maxRows, { asText: true, maxBytes: options.maxBytes });
    await s.exec('COMMIT');
    return result;
  } catch (e) {
    await s.exec('ROLLBACK').catch(() => {});
    throw e;
  }
}

/**
 * Runs `work`, but gives up (and asks the server to cancel) once `deadlineMs` has passed. A
 * session that cannot be cancelled (embedded PGlite runs on this thread) gets no deadline:
 * giving up there would only report a timeout while the statement goes on.
 */
function withDeadline<T>(
  s: DbSession,
  deadlineMs: number,
  timeoutMs: number,
  work: () => Promise<T>,
): Promise<T> {
  const cancel = s.cancel;
  if (!cancel) return work();
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      cancel().catch(() => {});
      reject(timeoutError(timeoutMs, `no answer from the server after ${deadlineMs} ms`));
    }, deadlineMs);
    work()
      .then(resolve, reject)
      .finally(() => clearTimeout(timer));
  });
}

const wholeMs = (n: number) => Math.max(1, Math.floor(n));

/** Runs one read in a READ ONLY transaction with a timeout and a row cap; values come back exact. */
export async function executeReadOnly(
  db: Db,
  sql: string,
  params: unknown[],
  options: ExecuteOptions,
): Promise<ExecutionResult> {
  const timeoutMs = wholeMs(options.timeoutMs);
  const maxRows = wholeMs(options.maxRows);
  const started = performance.now();
  try {
    const begin = beginStatements(timeoutMs, options.timeZone, options.tablesQualified === true);
    const result = await db.session((s) =>
      withDeadline(s, timeoutMs + BACKSTOP_MARGIN_MS, timeoutMs, () =>
        readInTransaction(s, begin, sql, params, maxRows, options),
      ),
    );
    const columns = result.fields.map((f) => ({
      name: f.name,
      kind: valueKindOf(f.dataTypeID),
      typeOid: f.dataTypeID,
    }));
    const rows = result.rows.map((row) =>
      row.map((value, i) => toCell(value as string | null, result.fields[i]!.dataTypeID)),
    );
    return {
      columns,
      rows,
      rowCount: rows.length,
      truncated: result.truncated,
      cutBySize: result.cutBySize === true,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    };
  } catch (e) {
    throw toQuarryError(e, timeoutMs);
  }
}
