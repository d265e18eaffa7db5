// The red-team's hostile SQL: statements a model or an agent may write, whatever a question or a
// data value told it, each with the refusal every path that runs SQL must give (the pipeline's
// raw-SQL plans, the MCP server's run_query). They target the throwaway shop
// (test/helpers/throwawayShop.ts): its canary, denied salary table and column, and trap
// function; the CATALOG_ cases also need CATALOG_OBJECTS planted in it.
import { MAX_SQL_BYTES } from '../../src/pipeline/guard.ts';

/** The error kind a refused statement comes back with. */
export type Refusal = 'unsafe_sql' | 'query_failed';

export interface HostileSql {
  sql: string;
  refusal: Refusal;
}

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

// The denied column reached through PostgreSQL's own grammar: a row's field, a join's merged
// column, a column alias list, a whole-row value, a star through an alias, an ORDER BY.
const DENIED_BY_GRAMMAR = [
  'SELECT (c).email FROM customers c',
  'SELECT count(*) FROM customers JOIN customers d USING (email)',
  'SELECT count(*) FROM customers NATURAL JOIN customers',
  'SELECT e FROM customers AS c(i, n, e)',
  'SELECT to_jsonb(customers) FROM customers',
  'SELECT c.* FROM customers c JOIN orders o ON o.customer_id = c.id',
  'SELECT name FROM customers ORDER BY email',
  'SELECT max(email) FROM public.customers',
];

const MALFORMED = [';', 'SELEC 1', 'SELECT FROM WHERE', `SELECT '${'x'.repeat(MAX_SQL_BYTES)}'`];

const refused =
  (refusal: Refusal) =>
  (sql: string): HostileSql => ({ sql, refusal });

export const HOSTILE_SQL: readonly HostileSql[] = [
  ...[
    ...WRITES,
    ...STACKED_AND_NESTED,
    ...SERVER_FUNCTIONS,
    ...COPY_AND_SESSION,
    ...CATALOGS,
    ...DENIED,
    ...DENIED_BY_GRAMMAR,
    ...MALFORMED,
  ].map(refused('unsafe_sql')),
  ...SHADOWED.map(refused('query_failed')),
];

/** Valid reads whose text only looks dangerous: comments, literals and quoting are read exactly
 *  as the server reads them. Each is refused or answered with a guarded read leaking nothing. */
export const HARMLESS_SQL: readonly string[] = [
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
];

// Objects a user made in the target that share names with PostgreSQL's own (a public.lower(int)
// and public.abs(text) that take an advisory lock, an operator ###, a function over a table's
// row type, a domain whose CHECK calls a function), views over them, over the denied column and
// over a schema outside QUARRY_ALLOW_SCHEMAS=public, read by CATALOG_TRAP_SQL and
// CATALOG_DENIED_SQL once they are planted.

/** What the trap returns, and so what an answer shows if one ever ran. */
export const CATALOG_TRAP = 'trap-fired';

export const CATALOG_OBJECTS = `
CREATE FUNCTION public.trap() RETURNS text LANGUAGE sql VOLATILE AS
  $f$ SELECT pg_advisory_lock(7001)::text || '${CATALOG_TRAP}' $f$;
CREATE FUNCTION public.lower(integer) RETURNS text LANGUAGE sql AS $f$ SELECT public.trap() $f$;
CREATE FUNCTION public.abs(text) RETURNS text LANGUAGE sql AS $f$ SELECT public.trap() $f$;
CREATE FUNCTION public.trap_op(integer, integer) RETURNS text LANGUAGE sql AS $f$ SELECT public.trap() $f$;
CREATE OPERATOR public.### (LEFTARG = integer, RIGHTARG = integer, FUNCTION = public.trap_op);
CREATE FUNCTION public.audit(products) RETURNS text LANGUAGE sql AS $f$ SELECT public.trap() $f$;
CREATE FUNCTION public.trap_check(integer) RETURNS boolean LANGUAGE sql AS
  $f$ SELECT public.trap() IS NOT NULL $f$;
CREATE DOMAIN public.positive_int AS integer CHECK (public.trap_check(VALUE));
CREATE VIEW public.volatile_view AS SELECT public.trap() AS note;
CREATE VIEW public.operator_view AS SELECT 1 ### 2 AS note;
CREATE VIEW public.domain_view AS SELECT 1::public.positive_int AS n;
CREATE VIEW public.customer_contacts AS SELECT id, name, email FROM customers;
CREATE VIEW public.customer_names AS SELECT id, name FROM customers;
CREATE VIEW public.order_totals AS SELECT id, abs(total) AS total FROM orders;
CREATE VIEW public.customer_rows AS SELECT id, c AS row FROM customers c;
CREATE VIEW public.contacts_again AS SELECT id, name FROM public.customer_contacts;
CREATE VIEW public.names_only AS SELECT name FROM public.customer_contacts;
CREATE SCHEMA hr;
CREATE TABLE hr.salaries (id integer PRIMARY KEY, amount numeric NOT NULL);
INSERT INTO hr.salaries VALUES (1, 123456.78);
CREATE VIEW public.pay AS SELECT id, amount FROM hr.salaries;
`;

// With only pg_catalog on the search path these find no such function, operator, type or
// column, and fail at the server; the qualified type is refused by the guard (CATALOG_TRAP_SQL).
const SHADOWED_BUILTINS = [
  'SELECT lower(1)',
  'SELECT id FROM orders WHERE lower(id) IS NOT NULL',
  "SELECT abs('x')",
  'SELECT upper(1)',
  'SELECT 1 ### 2',
  'SELECT count(*) FROM orders WHERE (id ### 1) IS NOT NULL',
  'SELECT p.audit FROM products p',
  'SELECT products.audit FROM products',
  'SELECT 1::positive_int',
  'SELECT CAST(2 AS positive_int)',
];

const HOSTILE_VIEWS = [
  'SELECT * FROM volatile_view',
  'SELECT count(*) FROM public.volatile_view',
  'SELECT * FROM operator_view',
  'SELECT n FROM domain_view',
  'WITH v AS (SELECT * FROM volatile_view) SELECT * FROM v',
];

const VIEWS_OVER_DENIED = [
  'SELECT * FROM customer_contacts',
  'SELECT name FROM customer_contacts',
  'SELECT id FROM customer_rows',
  'SELECT name FROM customer_names',
  'SELECT id, name FROM contacts_again',
  'SELECT name FROM names_only',
  'SELECT * FROM pay',
  'SELECT count(*) FROM public.pay',
];

const CATALOG_LOOKUPS = [
  "SELECT 'pg_authid'::regclass::oid",
  "SELECT 'postgres'::regrole::oid",
  "SELECT 'hr.salaries'::regclass",
  "SELECT 'public.trap'::regproc",
  "SELECT regnamespace 'hr'",
];

const SCOPED_CTES = [
  'SELECT email FROM customers WHERE EXISTS (WITH customers AS (SELECT 1) SELECT 1 FROM customers)',
  'SELECT * FROM salaries WHERE EXISTS (WITH salaries AS (SELECT 1) SELECT 1 FROM salaries)',
  'SELECT email FROM customers UNION ALL (WITH customers AS (SELECT 1::text AS email) SELECT email FROM customers)',
];

const ROW_FUNCTIONS = [
  "SELECT c.to_jsonb ->> 'email' FROM customers c",
  'SELECT c.row_to_json FROM customers c',
  'SELECT public.customers.to_json FROM public.customers',
  'SELECT c.quote_literal FROM customers c',
  "SELECT name FROM customers c WHERE c.row_to_json::text LIKE '%@%'",
  'SELECT c.to_json FROM customers c ORDER BY 1',
];

/** Reads that would reach a user's object in place of PostgreSQL's own. */
export const CATALOG_TRAP_SQL: readonly HostileSql[] = [
  ...SHADOWED_BUILTINS.map(refused('query_failed')),
  ...['SELECT 1::public.positive_int', ...HOSTILE_VIEWS].map(refused('unsafe_sql')),
];

/** Reads that would reach the denied column or schema through views and the catalog. */
export const CATALOG_DENIED_SQL: readonly HostileSql[] = [
  ...VIEWS_OVER_DENIED,
  ...CATALOG_LOOKUPS,
  ...SCOPED_CTES,
  ...ROW_FUNCTIONS,
].map(refused('unsafe_sql'));
