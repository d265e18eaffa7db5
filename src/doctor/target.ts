import type { Db, DbSession } from '../db/client.ts';
import { quoteIdent } from '../pipeline/compile/quote.ts';
import { connectPostgres } from '../runtime.ts';
import { type CheckResult, check, reasonOf, whereOf } from './check.ts';

// The target database should be read through a role that cannot write: Quarry already reads
// in READ ONLY transactions behind a SQL guard, and the role is the wall behind both.

const ROLE_SCRIPT =
  'create a read-only role with scripts/readonly-role.sql (psql "$ADMIN_URL" -v reader=quarry_reader -v password=… -f scripts/readonly-role.sql) and connect as quarry_reader';

interface RoleFacts {
  role: string;
  superuser: boolean;
  create_in_database: boolean;
  read_only_default: string;
  statement_timeout: string;
  ssl: boolean;
  version: string;
  server_files: string[];
}

const ROLE_SQL = `
SELECT current_user::text AS role,
       current_setting('is_superuser') = 'on' AS superuser,
       has_database_privilege(current_database(), 'CREATE') AS create_in_database,
       current_setting('default_transaction_read_only') AS read_only_default,
       current_setting('statement_timeout') AS statement_timeout,
       coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false) AS ssl,
       current_setting('server_version') AS version,
       ARRAY(SELECT r FROM unnest(ARRAY['pg_write_server_files', 'pg_execute_server_program',
                                        'pg_read_server_files']) AS r
             WHERE pg_has_role(current_user, r, 'MEMBER'))::text[] AS server_files`;

const USER_SCHEMAS = `n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'`;

const WRITABLE_TABLES_SQL = `
SELECT n.nspname || '.' || c.relname AS name
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'f') AND ${USER_SCHEMAS}
  AND (has_table_privilege(c.oid, 'INSERT') OR has_table_privilege(c.oid, 'UPDATE')
       OR has_table_privilege(c.oid, 'DELETE') OR has_table_privilege(c.oid, 'TRUNCATE'))
ORDER BY 1`;

const CREATE_SCHEMAS_SQL = `
SELECT n.nspname AS name FROM pg_namespace n
WHERE ${USER_SCHEMAS} AND has_schema_privilege(n.oid, 'CREATE') ORDER BY 1`;

const READABLE_SQL = `
SELECT n.nspname AS schema,
       count(c.oid) FILTER (WHERE has_any_column_privilege(c.oid, 'SELECT'))::int AS readable,
       count(c.oid)::int AS total
FROM pg_namespace n
LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
WHERE ${USER_SCHEMAS}
GROUP BY 1 ORDER BY 1`;

interface ReadableSchema {
  schema: string;
  readable: number;
  total: number;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

const some = (names: string[]) => names.slice(0, 5).join(', ') + (names.length > 5 ? ', …' : '');

/** Whether a plain transaction of this role may create a table; rolled back either way. */
async function tempTableProbe(s: DbSession): Promise<{ created: boolean; reason?: string }> {
  await s.exec('BEGIN');
  try {
    await s.exec('CREATE TEMP TABLE quarry_doctor_probe (x int)');
    return { created: true };
  } catch (e) {
    return { created: false, reason: (e as { code?: string }).code === '25006' ? 'read-only' : reasonOf(e) };
  } finally {
    await s.exec('ROLLBACK').catch(() => {});
  }
}

function writeChecks(
  c: ReturnType<typeof check>,
  facts: RoleFacts,
  writable: string[],
  createSchemas: string[],
): CheckResult[] {
  const ways = [
    ...(facts.superuser ? ['it is a superuser'] : []),
    ...(writable.length
      ? [`INSERT/UPDATE/DELETE/TRUNCATE on ${writable.length} table(s): ${some(writable)}`]
      : []),
    ...(createSchemas.length ? [`CREATE in schema(s) ${some(createSchemas)}`] : []),
    ...(facts.create_in_database ? ['CREATE on the database'] : []),
    ...facts.server_files.map((r) => `member of ${r}`),
  ];
  if (ways.length === 0)
    return [c.ok(`role ${facts.role} cannot change data (no write or create privileges)`)];
  return [c.fail(`role ${facts.role} can write: ${ways.join('; ')}`, ROLE_SCRIPT)];
}

export async function checkTarget(url: string | undefined): Promise<CheckResult[]> {
  const c = check('Target database');
  if (!url) {
    return [
      c.info(
        'not set: questions go to the embedded demo shop',
        'set DATABASE_URL (or pass --database-url) to check your own database',
      ),
    ];
  }
  let db: Db;
  try {
    db = await connectPostgres(url, 'DATABASE_URL', 1);
  } catch (e) {
    return [
      c.fail(
        `cannot connect to ${whereOf(url)}: ${reasonOf(e)}`,
        'check DATABASE_URL and that the server is up',
      ),
    ];
  }
  try {
    return await db.session(async (s) => {
      const [facts] = await s.query<RoleFacts>(ROLE_SQL);
      const writable = (await s.query<{ name: string }>(WRITABLE_TABLES_SQL)).map((r) => r.name);
      const createSchemas = (await s.query<{ name: string }>(CREATE_SCHEMAS_SQL)).map((r) => r.name);
      const readable = await s.query<ReadableSchema>(READABLE_SQL);
      const probe = await tempTableProbe(s);
      return targetChecks(c, url, facts!, writable, createSchemas, readable, probe);
    });
  } catch (e) {
    return [c.fail(`could not inspect ${whereOf(url)}: ${reasonOf(e)}`, 'check DATABASE_URL')];
  } finally {
    await db.close();
  }
}

function targetChecks(
  c: ReturnType<typeof check>,
  url: string,
  facts: RoleFacts,
  writable: string[],
  createSchemas: string[],
  readable: ReadableSchema[],
  probe: { created: boolean; reason?: string },
): CheckResult[] {
  const results = [c.ok(`connects to ${whereOf(url)} as ${facts.role} (PostgreSQL ${facts.version})`)];
  results.push(...writeChecks(c, facts, writable, createSchemas));
  results.push(
    probe.created
      ? c.warn(
          'a plain transaction may create tables (sessions are not read-only by default)',
          `ALTER ROLE ${quoteIdent(facts.role)} SET default_transaction_read_only = on`,
        )
      : c.ok(`creating a temporary table is refused (${probe.reason})`),
  );
  const seen = readable.filter((r) => r.readable > 0);
  const tables = readable.reduce((n, r) => n + r.total, 0);
  results.push(
    seen.length
      ? c.info(`reads ${seen.map((r) => `${r.readable} of ${r.total} table(s) in ${r.schema}`).join(', ')}`)
      : tables === 0
        ? c.info('the database has no tables yet')
        : c.fail(
            `cannot read any of the ${tables} table(s)`,
            'GRANT USAGE on the schemas and SELECT on the tables to this role (scripts/readonly-role.sql does both)',
          ),
  );
  results.push(
    facts.statement_timeout === '0'
      ? c.warn(
          'no statement_timeout on this role (Quarry sets one per query, QUARRY_STATEMENT_TIMEOUT_MS)',
          `ALTER ROLE ${quoteIdent(facts.role)} SET statement_timeout = '30s'`,
        )
      : c.ok(`statement_timeout ${facts.statement_timeout}`),
  );
  const local = LOCAL_HOSTS.has(new URL(url).hostname);
  results.push(
    facts.ssl
      ? c.ok('connection uses SSL')
      : local
        ? c.info('connection does not use SSL (a local connection)')
        : c.warn(
            'connection does not use SSL',
            'add ?sslmode=require to DATABASE_URL and enable SSL on the server',
          ),
  );
  return results;
}
