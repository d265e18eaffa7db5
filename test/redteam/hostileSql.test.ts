// Hostile raw-SQL plans (QueryPlan.sql, what a model may write, whatever a question or a data
// value told it) pushed through runPlan, the same path a model's plan takes: guard, access
// rules, READ ONLY execution. Each is refused with a plain message or is harmless, and the
// canary and the rest of the target are unchanged.
import { describe, expect, it } from 'vitest';
import { MAX_SQL_BYTES } from '../../src/pipeline/guard.ts';
import { expectHarmless, expectRefused, throwawayShopForFile } from '../helpers/throwawayShop.ts';

const fixture = throwawayShopForFile({
  env: { QUARRY_STATEMENT_TIMEOUT_MS: '1500', QUARRY_MAX_RESULT_BYTES: '1000000' },
});

const WRITES = [
  'DROP TABLE canary',
  'DELETE FROM canary',
  'delete from canary where true',
  "UPDATE canary SET note = 'x'",
  "INSERT INTO canary VALUES (9, 'x')",
  "MERGE INTO canary c USING canary d ON c.id = d.id WHEN MATCHED THEN UPDATE SET note = 'x'",
  'TRUNCATE canary',
  'ALTER TABLE canary ADD COLUMN x int',
  'CREATE TABLE hacked (id int)',
  'CREATE TABLE hacked AS SELECT * FROM orders',
  'CREATE TEMP TABLE hacked AS SELECT 1',
  'SELECT * INTO hacked FROM orders',
  'CREATE VIEW hacked AS SELECT 1',
  'CREATE INDEX ON canary (note)',
  "COMMENT ON TABLE canary IS 'owned'",
  'GRANT ALL ON canary TO PUBLIC',
  'CREATE ROLE evil SUPERUSER',
  'ALTER SYSTEM SET fsync = off',
];

const STACKED_AND_NESTED = [
  'SELECT 1; DROP TABLE canary',
  'SELECT 1; DELETE FROM canary',
  'SELECT 1 WHERE 1 = 1 --\n; DELETE FROM canary',
  '/* SELECT */ DELETE FROM canary',
  'WITH d AS (DELETE FROM canary RETURNING *) SELECT * FROM d',
  "WITH u AS (UPDATE canary SET note = 'x' RETURNING 1) SELECT 1",
  "WITH i AS (INSERT INTO canary VALUES (9, 'x') RETURNING 1) SELECT * FROM i",
  'SELECT * FROM canary FOR UPDATE',
  'SELECT * FROM orders FOR SHARE',
  'SELECT * FROM (SELECT * FROM canary FOR UPDATE) s',
  'EXPLAIN ANALYZE DELETE FROM canary',
  'EXPLAIN SELECT 1',
  'DO $$ BEGIN DELETE FROM canary; END $$',
  'CALL some_procedure()',
  "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'DELETE FROM canary RETURNING 1'",
  'PREPARE p AS DELETE FROM canary',
  'EXECUTE p',
  'DECLARE c CURSOR FOR SELECT * FROM canary',
  'LISTEN quarry',
  "NOTIFY quarry, 'x'",
  'LOCK TABLE canary',
  'VACUUM canary',
  "LOAD 'evil'",
  'BEGIN',
  'COMMIT',
];

const SERVER_FUNCTIONS = [
  'SELECT pg_sleep(30)',
  'SELECT count(*) FROM orders WHERE pg_sleep(5) IS NOT NULL',
  'SELECT pg_catalog.pg_sleep(1)',
  'SELECT U&"\\0070g_sleep"(1)',
  "SELECT pg_read_file('/etc/passwd')",
  "SELECT pg_read_binary_file('/etc/passwd')",
  "SELECT pg_ls_dir('.')",
  "SELECT pg_stat_file('postgresql.conf')",
  "SELECT * FROM dblink('dbname=postgres', 'DELETE FROM canary') AS t(x text)",
  "SELECT dblink_exec('dbname=postgres', 'DROP TABLE canary')",
  "SELECT lo_export(1234, '/tmp/x')",
  "SELECT lo_import('/etc/passwd')",
  'SELECT lo_get(1)',
  "SELECT set_config('default_transaction_read_only', 'off', false)",
  "SELECT set_config('role', 'postgres', true)",
  "SELECT current_setting('data_directory')",
  "SELECT nextval('orders_id_seq')",
  'SELECT txid_current()',
  'SELECT pg_terminate_backend(pg_backend_pid())',
  'SELECT pg_cancel_backend(1)',
  'SELECT pg_reload_conf()',
  "SELECT query_to_xml('DELETE FROM canary RETURNING 1', true, true, '')",
  'SELECT version()',
  'SELECT current_user',
  'SELECT session_user',
  'SELECT public.upper(1)',
  "SELECT evil.upper('x')",
  'SELECT 1 OPERATOR(public.+) 1',
  'SELECT * FROM orders TABLESAMPLE evil (10)',
];

// Unqualified calls a role's search path would resolve to the trap public.upper(int), which
// deletes the canary: reads run with only pg_catalog on the path, so it is never reached.
const SHADOWED = ['SELECT upper(1)', 'SELECT id FROM orders WHERE upper(id) IS NOT NULL'];

const COPY_AND_SESSION = [
  "COPY canary TO PROGRAM 'touch /tmp/quarry-pwned'",
  "COPY canary FROM PROGRAM 'echo 9,x'",
  "COPY (SELECT * FROM customers) TO '/tmp/quarry-leak'",
  'SET ROLE postgres',
  'SET SESSION AUTHORIZATION postgres',
  'RESET ROLE',
  'SET statement_timeout = 0',
  'SET default_transaction_read_only = off',
  'SHOW data_directory',
  'DISCARD ALL',
];

const CATALOGS = [
  'SELECT * FROM pg_catalog.pg_authid',
  'SELECT * FROM pg_shadow',
  'SELECT usename, passwd FROM pg_user',
  'SELECT * FROM information_schema.tables',
  'SELECT * FROM pg_class',
  'SELECT relname FROM "pg_catalog"."pg_class"',
  'SELECT * FROM pg_stat_activity',
  'SELECT * FROM orders WHERE id IN (SELECT oid::int FROM pg_proc)',
];

const DENIED = [
  'SELECT * FROM staff_salaries',
  'SELECT * FROM public.staff_salaries',
  'SELECT name FROM "staff_salaries"',
  'SELECT s.name FROM orders o JOIN staff_salaries s ON s.id = o.id',
  'SELECT (SELECT max(salary) FROM staff_salaries)',
  'WITH s AS (SELECT * FROM staff_salaries) SELECT * FROM s',
  'SELECT email FROM customers',
  'SELECT * FROM customers',
  'SELECT c FROM customers c',
  'SELECT row_to_json(c) FROM customers c',
  "SELECT string_agg(email, ',') FROM customers",
  "SELECT count(*) FROM customers WHERE email LIKE 'canary%'",
  'TABLE customers',
];

const MALFORMED = [';', 'SELEC 1', 'SELECT FROM WHERE', `SELECT '${'x'.repeat(MAX_SQL_BYTES)}'`];

describe('hostile raw-SQL plans through runPlan', () => {
  it.each([
    ...WRITES,
    ...STACKED_AND_NESTED,
    ...SERVER_FUNCTIONS,
    ...COPY_AND_SESSION,
    ...CATALOGS,
    ...DENIED,
    ...MALFORMED,
  ])('is refused: %s', async (sql) => {
    await expectRefused(fixture, await fixture.shop.runSql(sql));
  });

  // Valid reads whose text only looks dangerous: comments, literals and quoting are read
  // exactly as the server reads them.
  it.each([
    'SELECT 1 /* ; DROP TABLE canary */',
    "SELECT '; DROP TABLE canary; --' AS note",
    'SELECT $$; DELETE FROM canary; $$ AS note',
    "SELECT E'\\x27; DELETE FROM canary --' AS note",
    'SELECT 1 /* /* */ ; DELETE FROM canary; -- */',
    'SELECT note FROM canary -- ; DELETE FROM canary',
    "SELECT id, note FROM canary WHERE note = 'alpha'' OR ''1''=''1'",
    'SELECT body FROM support_tickets',
    'SELECT * FROM orders;',
    'SELECT ｃｏｕｎｔ(*) FROM orders',
    'SELECT\u00a0count(*)\u00a0FROM orders',
    'SELECT',
    'SELECT ;',
  ])('is harmless: %s', async (sql) => {
    await expectHarmless(fixture, await fixture.shop.runSql(sql));
  });

  it.each(SHADOWED)('never reaches a user function shadowing a built-in: %s', async (sql) => {
    await expectRefused(fixture, await fixture.shop.runSql(sql), 'query_failed');
  });

  it('cuts a result larger than the size cap and says so', async () => {
    const a = await fixture.shop.runSql("SELECT repeat('x', 400000) AS big FROM generate_series(1, 5)");
    expect(a.error).toBeNull();
    expect(a.rows).toHaveLength(2);
    expect(a.truncated).toBe(true);
    expect(a.notes.join(' ')).toMatch(/larger than 1 MB, so I kept only the first 2 rows/);
    expect(await fixture.shop.digest()).toBe(fixture.digest);
  });

  it('stops a runaway read at the statement timeout with a clear message', async () => {
    const a = await fixture.shop.runSql('SELECT count(*) FROM generate_series(1, 100000000000)');
    expect(a.error?.kind).toBe('timeout');
    expect(a.error?.message).toMatch(/took longer than 1.5 s and was stopped/);
    expect(await fixture.shop.digest()).toBe(fixture.digest);
  });
});
