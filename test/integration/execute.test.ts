import net from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { pgliteDb } from '../../src/db/pglite.ts';
import { postgresDb } from '../../src/db/postgres.ts';
import { QueryFailed, QueryTimeout, TargetUnavailable, UnsafeSql } from '../../src/errors.ts';
import { BACKSTOP_MARGIN_MS, executeReadOnly } from '../../src/pipeline/execute.ts';
import { guardSql } from '../../src/pipeline/guard.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/services.ts';

const FIXTURE = `
  CREATE TABLE canary (id int PRIMARY KEY);
  INSERT INTO canary VALUES (1), (2), (3);
  CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, country text NOT NULL);
  CREATE TABLE orders (
    id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers(id),
    status text NOT NULL, total numeric(12,2) NOT NULL, created_at timestamptz NOT NULL
  );
  INSERT INTO customers VALUES (1, 'Ada', 'Germany'), (2, 'Grace', 'United States'), (3, 'Linus', 'Finland');
  INSERT INTO orders
    SELECT g, 1 + g % 3, (ARRAY['completed', 'shipped', 'refunded'])[1 + g % 3], (g * 7.25)::numeric(12,2),
           timestamptz '2024-01-01 00:00:00+00' + g * interval '1 day'
    FROM generate_series(1, 200) g;
`;

const PRECISION_SQL = `
  SELECT 12345678901234567890.12::numeric AS big_numeric,
         0.1::numeric AS small_numeric,
         19.90::numeric(12,2) AS money,
         9007199254740993::int8 AS big_int8,
         42::int8 AS small_int8,
         7::int4 AS int4,
         2.5::float8 AS float8,
         DATE '2024-02-29' AS day,
         TIMESTAMP '2024-01-02 03:04:05.123456' AS local_time,
         TIMESTAMPTZ '2024-01-02 03:04:05.123456+00' AS instant,
         true AS flag,
         '{"a": [1, 2]}'::jsonb AS doc,
         NULL::text AS nothing,
         interval '1 day 2 hours' AS span`;

const count = async (db: Db) =>
  (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM canary'))[0]!.n;

/** Checks shared by both engines: writes fail, values convert exactly, the cap holds. */
function sharedBehaviour(getDb: () => Db) {
  it.each([
    'INSERT INTO canary VALUES (99)',
    'DELETE FROM canary',
    'WITH d AS (DELETE FROM canary RETURNING *) SELECT * FROM d',
    'UPDATE canary SET id = id + 100',
    'CREATE TABLE sneaky (x int)',
  ])('the READ ONLY transaction stops a write the guard would refuse: %s', async (sql) => {
    const db = getDb();
    const error = await executeReadOnly(db, sql, [], { timeoutMs: 5000, maxRows: 10 }).catch((e) => e);
    expect(error).toBeInstanceOf(UnsafeSql);
    expect(error.detail).toMatch(/^25006/);
    expect(await count(db)).toBe(3);
  });

  it('cannot switch the transaction back to read-write from inside the query', async () => {
    const db = getDb();
    const error = await executeReadOnly(db, "SELECT set_config('transaction_read_only', 'off', true)", [], {
      timeoutMs: 5000,
      maxRows: 10,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(QueryFailed);
    expect(await count(db)).toBe(3);
  });

  it('keeps numbers exact and writes dates and timestamps as ISO-8601', async () => {
    const result = await executeReadOnly(getDb(), PRECISION_SQL, [], { timeoutMs: 5000, maxRows: 10 });
    const row = Object.fromEntries(result.columns.map((c, i) => [c.name, result.rows[0]![i]]));
    expect(row).toEqual({
      big_numeric: '12345678901234567890.12',
      small_numeric: 0.1,
      money: 19.9,
      big_int8: '9007199254740993',
      small_int8: 42,
      int4: 7,
      float8: 2.5,
      day: '2024-02-29',
      local_time: '2024-01-02T03:04:05.123456',
      instant: expect.stringMatching(/^2024-01-0\dT\d\d:04:05\.123456[+-]\d\d:\d\d$/),
      flag: true,
      doc: '{"a": [1, 2]}',
      nothing: null,
      span: '1 day 02:00:00',
    });
    expect(new Date(row.instant as string).toISOString()).toBe('2024-01-02T03:04:05.123Z');
    const kinds = Object.fromEntries(result.columns.map((c) => [c.name, c.kind]));
    expect(kinds).toMatchObject({
      big_numeric: 'number',
      big_int8: 'number',
      day: 'date',
      local_time: 'timestamp',
      instant: 'timestamp',
      flag: 'boolean',
      doc: 'json',
      nothing: 'text',
      span: 'other',
    });
  });

  it('runs in the asked time zone', async () => {
    const result = await executeReadOnly(
      getDb(),
      "SELECT TIMESTAMPTZ '2024-01-02 03:04:05+00' AS instant, date_trunc('day', TIMESTAMPTZ '2024-01-01 20:00:00+00')::date AS day",
      [],
      { timeoutMs: 5000, maxRows: 1, timeZone: 'Asia/Kolkata' },
    );
    expect(result.rows).toEqual([['2024-01-02T08:34:05+05:30', '2024-01-02']]);
  });

  it.each(["UTC'; DROP TABLE canary; --", 'Mars/Olympus_Mons'])(
    'refuses the time zone %s',
    async (timeZone) => {
      const db = getDb();
      const error = await executeReadOnly(db, 'SELECT 1', [], {
        timeoutMs: 5000,
        maxRows: 1,
        timeZone,
      }).catch((e) => e);
      expect(error).toBeInstanceOf(QueryFailed);
      expect(await count(db)).toBe(3);
    },
  );

  it('returns at most maxRows and says the result was cut', async () => {
    const result = await executeReadOnly(getDb(), 'SELECT id, total FROM orders ORDER BY id', [], {
      timeoutMs: 5000,
      maxRows: 50,
    });
    expect(result.rowCount).toBe(50);
    expect(result.rows).toHaveLength(50);
    expect(result.rows[49]).toEqual([50, 362.5]);
    expect(result.truncated).toBe(true);
  });

  it('does not call an exact fit truncated', async () => {
    const result = await executeReadOnly(getDb(), 'SELECT id FROM customers', [], {
      timeoutMs: 5000,
      maxRows: 3,
    });
    expect(result).toMatchObject({ rowCount: 3, truncated: false });
  });

  it('passes parameters', async () => {
    const result = await executeReadOnly(
      getDb(),
      'SELECT name FROM customers WHERE country = $1',
      ['Finland'],
      {
        timeoutMs: 5000,
        maxRows: 10,
      },
    );
    expect(result.rows).toEqual([['Linus']]);
  });

  it('reports a bad column as QueryFailed naming the column', async () => {
    const error = await executeReadOnly(getDb(), 'SELECT no_such_column FROM orders', [], {
      timeoutMs: 5000,
      maxRows: 10,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(QueryFailed);
    expect(error.userMessage).toMatch(/column that doesn't exist.*no_such_column/);
    expect(error.detail).toMatch(/^42703/);
  });

  it.each([
    "SELECT status, date_trunc('month', created_at) AS month, sum(total) FROM orders GROUP BY ROLLUP (status, 2) ORDER BY 1, 2",
    'SELECT id, sum(total) OVER (PARTITION BY customer_id ORDER BY created_at) FROM orders',
    'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) SELECT i FROM n',
    'SELECT c.name, last.total FROM customers c CROSS JOIN LATERAL (SELECT total FROM orders o WHERE o.customer_id = c.id ORDER BY created_at DESC LIMIT 1) last',
    'SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY total) FROM orders',
    'SELECT DISTINCT ON (customer_id) customer_id, total FROM orders ORDER BY customer_id, created_at DESC',
    'SELECT * FROM orders ORDER BY total DESC LIMIT 5000',
    "SELECT d::date FROM generate_series(timestamp '2024-01-01', timestamp '2024-12-31', interval '1 day') d",
  ])('runs a guarded read: %s', async (sql) => {
    const guarded = await guardSql(sql, { maxRows: 100 });
    const result = await executeReadOnly(getDb(), guarded.sql, [], { timeoutMs: 5000, maxRows: 100 });
    expect(result.rowCount).toBeGreaterThan(0);
    expect(result.rowCount).toBeLessThanOrEqual(100);
    expect(result.truncated).toBe(result.rowCount === 100);
  });

  it('keeps the order of a wrapped query', async () => {
    const guarded = await guardSql('SELECT id FROM orders ORDER BY total DESC LIMIT 5000', { maxRows: 3 });
    const result = await executeReadOnly(getDb(), guarded.sql, [], { timeoutMs: 5000, maxRows: 3 });
    expect(result.rows).toEqual([[200], [199], [198]]);
    expect(result.truncated).toBe(true);
  });
}

describe('executeReadOnly on PostgreSQL', () => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = postgresDb(database.url, { max: 4 });
    await db.exec(FIXTURE);
  });

  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  sharedBehaviour(() => db);

  it('stops a long statement at the timeout with QueryTimeout', async () => {
    const started = Date.now();
    const error = await executeReadOnly(db, 'SELECT pg_sleep(5)', [], { timeoutMs: 300, maxRows: 10 }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(QueryTimeout);
    expect(error.userMessage).toBe(
      'The query took longer than 0.3 s and was stopped. Try a shorter time range or fewer groupings.',
    );
    expect(Date.now() - started).toBeLessThan(2000);
    // The connection went back to the pool in a usable state.
    const after = await executeReadOnly(db, 'SELECT 1 AS one', [], { timeoutMs: 1000, maxRows: 1 });
    expect(after.rows).toEqual([[1]]);
  });

  it('reads only the capped rows of an endless result through the cursor', async () => {
    const result = await executeReadOnly(db, 'SELECT generate_series(1, 10000000000000) AS n', [], {
      timeoutMs: 10_000,
      maxRows: 1000,
    });
    expect(result.rowCount).toBe(1000);
    expect(result.truncated).toBe(true);
    expect(result.rows[999]).toEqual([1000]);
  });

  it('caps a million-row read at maxRows', async () => {
    const result = await executeReadOnly(db, 'SELECT g FROM generate_series(1, 1000000) g', [], {
      timeoutMs: 10_000,
      maxRows: 1000,
    });
    expect(result).toMatchObject({ rowCount: 1000, truncated: true });
  });

  it('runs without leaving a transaction open on the pooled connection', async () => {
    await executeReadOnly(db, 'SELECT 1', [], { timeoutMs: 1000, maxRows: 1 });
    await executeReadOnly(db, 'SELECT nope', [], { timeoutMs: 1000, maxRows: 1 }).catch(() => {});
    const open = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
    );
    expect(open[0]!.n).toBe(0);
  });

  it('cancels the statement running on a session', async () => {
    const started = Date.now();
    const outcome = await db.session(async (s) => {
      const sleeping = s.query('SELECT pg_sleep(5)').then(
        () => 'finished',
        (e: { code?: string }) => e.code,
      );
      await new Promise((r) => setTimeout(r, 200));
      await s.cancel!();
      return sleeping;
    });
    expect(outcome).toBe('57014');
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('gives up on a server that stops answering and recovers with a fresh connection', async () => {
    const proxy = await startProxy(new URL(database.url));
    const url = new URL(database.url);
    url.host = `127.0.0.1:${proxy.port}`;
    const proxied = postgresDb(url.toString(), { max: 1 });
    try {
      await executeReadOnly(proxied, 'SELECT 1', [], { timeoutMs: 300, maxRows: 1 });
      proxy.freezeOpenConnections();
      const started = Date.now();
      const error = await executeReadOnly(proxied, 'SELECT 1', [], { timeoutMs: 300, maxRows: 1 }).catch(
        (e) => e,
      );
      expect(error).toBeInstanceOf(QueryTimeout);
      expect(error.detail).toMatch(/no answer from the server/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(300 + BACKSTOP_MARGIN_MS - 50);
      const after = await executeReadOnly(proxied, 'SELECT 2', [], { timeoutMs: 1000, maxRows: 1 });
      expect(after.rows).toEqual([[2]]);
    } finally {
      await proxied.close().catch(() => {});
      await proxy.close();
    }
  });

  it('reports a closed port as TargetUnavailable', async () => {
    const port = await closedPort();
    const unreachable = postgresDb(`postgres://postgres@127.0.0.1:${port}/postgres`);
    try {
      const error = await executeReadOnly(unreachable, 'SELECT 1', [], { timeoutMs: 1000, maxRows: 1 }).catch(
        (e) => e,
      );
      expect(error).toBeInstanceOf(TargetUnavailable);
      expect(error.detail).toMatch(/ECONNREFUSED/);
    } finally {
      await unreachable.close();
    }
  });

  it('reports a database that does not exist as TargetUnavailable', async () => {
    const url = new URL(database.url);
    url.pathname = `/${database.name}_missing`;
    const missing = postgresDb(url.toString());
    try {
      const error = await executeReadOnly(missing, 'SELECT 1', [], { timeoutMs: 1000, maxRows: 1 }).catch(
        (e) => e,
      );
      expect(error).toBeInstanceOf(TargetUnavailable);
      expect(error.detail).toMatch(/^3D000/);
    } finally {
      await missing.close();
    }
  });
});

describe('executeReadOnly on PGlite', () => {
  let db: Db;

  beforeAll(async () => {
    db = pgliteDb(new PGlite());
    await db.exec(FIXTURE);
  });

  afterAll(async () => {
    await db?.close();
  });

  sharedBehaviour(() => db);
});

/** A TCP proxy to PostgreSQL whose open connections can be frozen, like a network that hangs. */
async function startProxy(target: URL) {
  const pairs: [net.Socket, net.Socket][] = [];
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    pairs.push([client, upstream]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    freezeOpenConnections() {
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    async close() {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
