import pg from 'pg';
import Cursor from 'pg-cursor';
import type { ArrayResult, Db, DbSession, Field, QueryArraysOptions } from './client.ts';

// Dates stay ISO text: pg's default turns a DATE into a local-midnight JS Date, which shifts
// the day in some timezones. Numeric and int8 stay strings (pg's default) so nothing loses
// precision before the execute stage decides how to show them.
const DATE_OID = 1082;

const PARSED_TYPES = {
  getTypeParser(oid: number, format?: string) {
    if (oid === DATE_OID) return (v: string) => v;
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

/** Every value exactly as the server wrote it. */
const TEXT_TYPES = { getTypeParser: () => (v: string) => v } as unknown as pg.CustomTypesConfig;

const typesFor = (options?: QueryArraysOptions) => (options?.asText ? TEXT_TYPES : PARSED_TYPES);

type Queryable = pg.Pool | pg.PoolClient;

const fieldsOf = (fields: pg.FieldDef[]): Field[] =>
  fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID }));

/** Rows in the first batch, before their size is known. */
const FIRST_BATCH = 16;
const MAX_BATCH = 500;

function readBatch(cursor: Cursor<unknown[]>, count: number) {
  // The callback form hands over the result, whose fields come from the row description.
  return new Promise<{ rows: unknown[][]; fields: pg.FieldDef[] }>((resolve, reject) => {
    cursor.read(count, (err, rows, result) =>
      err ? reject(err) : resolve({ rows, fields: result?.fields ?? [] }),
    );
  });
}

const rowBytes = (row: unknown[]) =>
  row.reduce<number>((n, v) => n + (typeof v === 'string' ? Buffer.byteLength(v) : 8), 0);

/** Rows the next batch may hold: as many as the bytes left allow at the size seen so far. */
function nextBatch(read: number, bytes: number, maxBytes: number, rowsLeft: number): number {
  if (read === 0) return Math.min(FIRST_BATCH, rowsLeft);
  const fit = Math.floor((maxBytes - bytes) / Math.max(1, bytes / read));
  return Math.max(1, Math.min(fit, MAX_BATCH, rowsLeft));
}

/** Reads at most `maxRows + 1` rows through a cursor, in batches sized so the rows in memory
 *  stay near `maxBytes`: a huge result, in rows or in bytes, never reaches memory whole. */
async function readCapped(
  client: pg.PoolClient,
  sql: string,
  params: unknown[] | undefined,
  maxRows: number,
  types: pg.CustomTypesConfig,
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<ArrayResult> {
  const cursor = client.query(new Cursor<unknown[]>(sql, params, { rowMode: 'array', types }));
  const rows: unknown[][] = [];
  let fields: pg.FieldDef[] = [];
  let bytes = 0;
  let cutBySize = false;
  while (rows.length <= maxRows && !cutBySize) {
    const want = nextBatch(rows.length, bytes, maxBytes, maxRows + 1 - rows.length);
    const batch = await readBatch(cursor, want);
    if (rows.length === 0) fields = batch.fields;
    for (const row of batch.rows) {
      bytes += rowBytes(row);
      if (bytes > maxBytes) {
        cutBySize = true;
        break;
      }
      rows.push(row);
    }
    if (batch.rows.length < want) break;
  }
  // Only a successful read leaves a portal to close: after an error the server has dropped it,
  // and a closed connection would never answer the close.
  await cursor.close();
  const truncated = cutBySize || rows.length > maxRows;
  return { fields: fieldsOf(fields), rows: rows.slice(0, maxRows), truncated, cutBySize };
}

function sessionOver(q: Queryable, client?: pg.PoolClient): DbSession {
  return {
    async query<R>(sql: string, params?: unknown[]) {
      const res = await q.query({ text: sql, values: params, types: PARSED_TYPES });
      return res.rows as R[];
    },
    async queryArrays(sql, params, maxRows, options): Promise<ArrayResult> {
      const types = typesFor(options);
      if (maxRows !== undefined && client) {
        return readCapped(client, sql, params, maxRows, types, options?.maxBytes);
      }
      const res = await q.query({ text: sql, values: params, rowMode: 'array', types });
      const rows = res.rows as unknown[][];
      const truncated = maxRows !== undefined && rows.length > maxRows;
      return { fields: fieldsOf(res.fields), rows: truncated ? rows.slice(0, maxRows) : rows, truncated };
    },
    async exec(sql: string) {
      await q.query(sql);
    },
  };
}

/** Cancels the statement of the backend `pid` from a connection of its own: the session's
 *  connection is busy and the pool may be full. */
async function cancelBackend(connectionString: string, pid: number): Promise<void> {
  const canceller = new pg.Client({
    connectionString,
    connectionTimeoutMillis: 5000,
    application_name: 'quarry-cancel',
  });
  await canceller.connect();
  try {
    await canceller.query('SELECT pg_cancel_backend($1)', [pid]);
  } finally {
    await canceller.end();
  }
}

/** A session that counts its calls still waiting on the server. */
function trackedSession(inner: DbSession): { session: DbSession; busy: () => boolean } {
  let pending = 0;
  const track = <T>(p: Promise<T>): Promise<T> => {
    pending++;
    return p.finally(() => {
      pending--;
    });
  };
  const session: DbSession = {
    query: (sql, params) => track(inner.query(sql, params)),
    queryArrays: (sql, params, maxRows, options) => track(inner.queryArrays(sql, params, maxRows, options)),
    exec: (sql) => track(inner.exec(sql)),
    cancel: inner.cancel,
  };
  return { session, busy: () => pending > 0 };
}

export function postgresDb(
  connectionString: string,
  options: { max?: number; applicationName?: string; settings?: Record<string, string> } = {},
): Db {
  const settings = Object.entries(options.settings ?? {});
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'quarry',
    connectionTimeoutMillis: 5000,
    // Session settings travel with the connection's start-up, costing no round trip.
    ...(settings.length ? { options: settings.map(([k, v]) => `-c ${k}=${v}`).join(' ') } : {}),
  });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const label = (() => {
    try {
      return decodeURIComponent(new URL(connectionString).pathname.replace(/^\//, '')) || 'postgres';
    } catch {
      return 'postgres';
    }
  })();
  return {
    kind: 'postgres',
    label,
    ...sessionOver(pool),
    async session<T>(fn: (s: DbSession) => Promise<T>) {
      const client = await pool.connect();
      // pg keeps the server's backend id (from BackendKeyData) on the client, untyped.
      const pid = (client as unknown as { processID?: number }).processID;
      const { session, busy } = trackedSession({
        ...sessionOver(client, client),
        cancel: pid ? () => cancelBackend(connectionString, pid) : undefined,
      });
      let broken: Error | undefined;
      // A server that goes away mid-session (a restart) makes the checked-out client emit
      // 'error' besides failing its query; unheard, that event would end the process.
      const onError = (e: Error) => {
        broken ??= e;
      };
      client.on('error', onError);
      try {
        return await fn(session);
      } catch (e) {
        // A connection that failed mid-transaction, or that a caller gave up on while a statement
        // still runs, is not given back to the pool.
        if (e instanceof Error && /terminat|connection|ECONN/i.test(e.message)) broken = e;
        throw e;
      } finally {
        if (!broken && busy()) broken = new Error('session ended with a statement still running');
        // The next borrower gets the connection as it was opened: no advisory lock, setting,
        // role or prepared statement left by this one. One that cannot be reset is dropped.
        if (!broken) await client.query('DISCARD ALL').catch((e: Error) => (broken = e));
        // A dropped connection may still report its end later: it keeps a listener for that.
        if (!broken) client.off('error', onError);
        client.release(broken);
      }
    },
    async close() {
      await pool.end();
    },
  };
}
