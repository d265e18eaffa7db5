import pg from 'pg';
import Cursor from 'pg-cursor';
import type { ArrayResult, Db, DbSession } from './client.ts';

// Dates stay ISO text: pg's default turns a DATE into a local-midnight JS Date, which shifts
// the day in some timezones. Numeric and int8 stay strings (pg's default) so nothing loses
// precision before the execute stage decides how to show them.
const DATE_OID = 1082;

function typesFor(): pg.CustomTypesConfig {
  return {
    getTypeParser(oid: number, format?: string) {
      if (oid === DATE_OID) return (v: string) => v;
      return pg.types.getTypeParser(oid, format as 'text');
    },
  } as pg.CustomTypesConfig;
}

type Queryable = pg.Pool | pg.PoolClient;

function sessionOver(q: Queryable, client?: pg.PoolClient): DbSession {
  return {
    async query<R>(sql: string, params?: unknown[]) {
      const res = await q.query({ text: sql, values: params, types: typesFor() });
      return res.rows as R[];
    },
    async queryArrays(sql: string, params?: unknown[], maxRows?: number): Promise<ArrayResult> {
      if (maxRows === undefined || !client) {
        const res = await q.query({ text: sql, values: params, rowMode: 'array', types: typesFor() });
        const rows = res.rows as unknown[][];
        const truncated = maxRows !== undefined && rows.length > maxRows;
        return {
          fields: res.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
          rows: truncated ? rows.slice(0, maxRows) : rows,
          truncated,
        };
      }
      // A cursor reads only what the cap allows, so a huge result never reaches memory.
      const cursor = client.query(new Cursor(sql, params, { rowMode: 'array', types: typesFor() }));
      try {
        const rows = (await cursor.read(maxRows + 1)) as unknown[][];
        const fields = ((cursor as unknown as { _result?: pg.QueryResult })._result?.fields ?? []).map(
          (f) => ({
            name: f.name,
            dataTypeID: f.dataTypeID,
          }),
        );
        const truncated = rows.length > maxRows;
        return { fields, rows: truncated ? rows.slice(0, maxRows) : rows, truncated };
      } finally {
        await cursor.close();
      }
    },
    async exec(sql: string) {
      await q.query(sql);
    },
  };
}

export function postgresDb(
  connectionString: string,
  options: { max?: number; applicationName?: string } = {},
): Db {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'quarry',
    connectionTimeoutMillis: 5000,
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
      let broken: Error | undefined;
      try {
        return await fn(sessionOver(client, client));
      } catch (e) {
        // A connection that failed mid-transaction is not given back to the pool.
        if (e instanceof Error && /terminat|connection|ECONN/i.test(e.message)) broken = e;
        throw e;
      } finally {
        client.release(broken);
      }
    },
    async close() {
      await pool.end();
    },
  };
}
