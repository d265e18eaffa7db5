import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbSession } from '../../src/db/client.ts';
import { postgresDb } from '../../src/db/postgres.ts';
import { discoverSchema } from '../../src/pipeline/schema.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/services.ts';

// Discovery as a database grows: the statements sent stay the same in number, and the
// fingerprint follows the structure only.

/** A Db that counts every statement sent, on the pool or inside a session. */
function countingDb(inner: Db): { db: Db; statements: () => number } {
  let statements = 0;
  const counted = (s: DbSession): DbSession => ({
    query: (sql, params) => {
      statements++;
      return s.query(sql, params);
    },
    queryArrays: (sql, params, maxRows, options) => {
      statements++;
      return s.queryArrays(sql, params, maxRows, options);
    },
    exec: (sql) => {
      statements++;
      return s.exec(sql);
    },
  });
  const db: Db = {
    ...counted(inner),
    kind: inner.kind,
    label: inner.label,
    session: (fn) => inner.session((s) => fn(counted(s))),
    close: () => inner.close(),
  };
  return { db, statements: () => statements };
}

/** `count` linked tables from `first` on, each with a text column and a few rows, never analyzed. */
function linkedTables(first: number, count: number): string {
  const statements: string[] = [];
  for (let i = first; i < first + count; i++) {
    const parent = i === 0 ? '' : `, t${i - 1}_id integer REFERENCES t${i - 1}(id)`;
    statements.push(
      `CREATE TABLE t${i} (id integer PRIMARY KEY, kind text NOT NULL${parent}) WITH (autovacuum_enabled = false);`,
      `INSERT INTO t${i} (id, kind) SELECT g, 'kind ' || (g % 3) FROM generate_series(1, 30) g;`,
    );
  }
  return statements.join('\n');
}

async function statementsFor(db: Db): Promise<number> {
  const counting = countingDb(db);
  await discoverSchema(counting.db);
  return counting.statements();
}

describe('discoverSchema as the database grows', () => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = postgresDb(database.url);
  });

  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it('reads a database with no tables as an empty schema', async () => {
    const empty = await discoverSchema(db);
    expect(empty).toMatchObject({
      database: database.name,
      tables: [],
      foreignKeys: [],
      searchPath: ['public'],
    });
    expect(empty.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(await statementsFor(db)).toBe(2);
  });

  it('sends the same number of statements (at most 5) for 1, 10 and 60 tables', async () => {
    const counts: number[] = [];
    let created = 0;
    for (const total of [1, 10, 60]) {
      await db.exec(linkedTables(created, total - created));
      created = total;
      const schema = await discoverSchema(db);
      expect(schema.tables).toHaveLength(total);
      // Sampling ran for never-analyzed tables in each round, so its statements are included.
      expect(schema.tables[0]!.columns.find((c) => c.name === 'kind')!.sampleValues).toHaveLength(3);
      counts.push(await statementsFor(db));
    }
    expect(counts).toEqual([5, 5, 5]);

    await db.exec('ANALYZE');
    expect(await statementsFor(db)).toBe(2);
  });

  it('keeps the fingerprint across rediscovery, new rows, comments and ANALYZE', async () => {
    const before = (await discoverSchema(db)).fingerprint;
    expect((await discoverSchema(db)).fingerprint).toBe(before);
    await db.exec(`INSERT INTO t0 (id, kind) VALUES (1000, 'new kind'); COMMENT ON TABLE t0 IS 'first';
      COMMENT ON COLUMN t1.kind IS 'what it is'; CREATE INDEX t2_kind_idx ON t2 (kind); ANALYZE t0`);
    expect((await discoverSchema(db)).fingerprint).toBe(before);
  });

  it('changes the fingerprint when a column, a key or a table changes', async () => {
    const seen = new Set([(await discoverSchema(db)).fingerprint]);
    for (const change of [
      "ALTER TABLE t5 ADD COLUMN note text DEFAULT ''",
      'ALTER TABLE t5 ALTER COLUMN note SET NOT NULL',
      'ALTER TABLE t5 ALTER COLUMN note TYPE varchar(40)',
      'ALTER TABLE t6 DROP CONSTRAINT t6_t5_id_fkey',
      'CREATE TABLE extra (id integer PRIMARY KEY)',
    ]) {
      await db.exec(change);
      seen.add((await discoverSchema(db)).fingerprint);
    }
    expect(seen.size).toBe(6);
  });
});
