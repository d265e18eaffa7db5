import type { PGlite } from '@electric-sql/pglite';
import type { ArrayResult, Db, DbSession, QueryArraysOptions } from './client.ts';

/** Parsers that keep every value as the server's text: one per type PGlite would parse
 *  (built-ins and the array types it registered); other types arrive as text anyway. */
function textParsers(pg: PGlite): Record<number, (value: string) => string> {
  return Object.fromEntries(Object.keys(pg.parsers).map((oid) => [oid, (value: string) => value]));
}

// PGlite is one connection: a `session` takes it exclusively so that a transaction's
// statements never interleave with another caller's.
export function pgliteDb(pg: PGlite, label = 'embedded'): Db {
  let tail: Promise<unknown> = Promise.resolve();
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = tail.then(fn, fn);
    tail = run.catch(() => {});
    return run;
  }
  const raw: DbSession = {
    async query<R>(sql: string, params?: unknown[]) {
      const res = await pg.query<R>(sql, params);
      return res.rows;
    },
    async queryArrays(
      sql: string,
      params?: unknown[],
      maxRows?: number,
      options?: QueryArraysOptions,
    ): Promise<ArrayResult> {
      // PGlite has no portal-by-portal reading: the whole result arrives, then is cut to the cap.
      const res = await pg.query<unknown[]>(sql, params, {
        rowMode: 'array',
        ...(options?.asText ? { parsers: textParsers(pg) } : {}),
      });
      const truncated = maxRows !== undefined && res.rows.length > maxRows;
      return {
        fields: res.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
        rows: truncated ? res.rows.slice(0, maxRows) : res.rows,
        truncated,
      };
    },
    async exec(sql: string) {
      await pg.exec(sql);
    },
  };
  return {
    kind: 'pglite',
    label,
    query: (sql, params) => exclusive(() => raw.query(sql, params)),
    queryArrays: (sql, params, maxRows, options) =>
      exclusive(() => raw.queryArrays(sql, params, maxRows, options)),
    exec: (sql) => exclusive(() => raw.exec(sql)),
    session: (fn) => exclusive(() => fn(raw)),
    async close() {
      await pg.close();
    },
  };
}
