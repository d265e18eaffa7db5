import type { DbSession } from '../db/client.ts';
import { quoteIdent } from '../pipeline/index.ts';
import { type CheckResult, check, reasonOf, whereOf } from './check.ts';
import { unexplainedPaths } from './effective.ts';
import { grantPaths } from './grants.ts';
import { describeReadable, describeTotal, type Inventory, inventory } from './inventory.ts';
import { ownershipPaths } from './ownership.ts';
import { inspectPostgres, type PostgresToCheck } from './postgresCheck.ts';
import { roleGraph, rolePaths } from './roles.ts';
import { serverPaths } from './serverGrants.ts';
import type { WritePath } from './writePath.ts';

// The target database should be read through a role that cannot write: Quarry already reads
// in READ ONLY transactions behind a SQL guard, and the role is the wall behind both.

const ROLE_SCRIPT =
  'create a read-only role with scripts/readonly-role.sql (psql "$ADMIN_URL" -v reader=quarry_reader -v password=… -f scripts/readonly-role.sql) and connect as quarry_reader';

interface RoleFacts {
  role: string;
  read_only_default: string;
  statement_timeout: string;
  ssl: boolean;
  version: string;
}

const ROLE_SQL = `
SELECT current_user::text AS role,
       current_setting('default_transaction_read_only') AS read_only_default,
       current_setting('statement_timeout') AS statement_timeout,
       coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false) AS ssl,
       current_setting('server_version') AS version`;

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

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

/** Every path to a write, found in the catalogs; a read-only session default is not one of the
 *  walls (any session may turn it off), so none of this relies on it. */
async function writePaths(s: DbSession): Promise<WritePath[]> {
  const g = await roleGraph(s);
  if (g.me.superuser)
    return [{ severity: 'fail', title: `role ${g.me.name} can write: it is a superuser`, fix: ROLE_SCRIPT }];
  const roles = rolePaths(g);
  const grants = await grantPaths(s, g);
  const server = await serverPaths(s, g);
  const owned = await ownershipPaths(s, g);
  // A superuser or pg_write_all_data within reach already explains every table.
  const writesAll = g.roles.some((r) => r.superuser || r.name === 'pg_write_all_data');
  const rest = writesAll
    ? []
    : await unexplainedPaths(s, g, new Set([...grants.named, ...owned.named]), ROLE_SCRIPT);
  return [...roles, ...grants.paths, ...server, ...owned.paths, ...rest];
}

function writeChecks(c: ReturnType<typeof check>, role: string, paths: WritePath[]): CheckResult[] {
  const fails = paths.filter((p) => p.severity === 'fail').map((p) => c.fail(p.title, p.fix));
  const results = [
    ...fails,
    ...paths.filter((p) => p.severity === 'warn').map((p) => c.warn(p.title, p.fix)),
  ];
  if (fails.length === 0)
    results.unshift(
      c.ok(
        `role ${role} cannot change data (no write grant, ownership, CREATE, or role within reach that can write)`,
      ),
    );
  return results;
}

export async function checkTarget(url: string | undefined): Promise<CheckResult[]> {
  const c = check('Target database');
  if (!url) {
    return c.notSet(
      'questions go to the embedded demo shop',
      'set DATABASE_URL (or pass --database-url) to check your own database',
    );
  }
  const server: PostgresToCheck = {
    url,
    variable: 'DATABASE_URL',
    connectFix: 'check DATABASE_URL and that the server is up',
  };
  return inspectPostgres(c, server, (db) =>
    db.session(async (s) => {
      const [facts] = await s.query<RoleFacts>(ROLE_SQL);
      const paths = await writePaths(s);
      const readable = await inventory(s);
      const probe = await tempTableProbe(s);
      return targetChecks(c, url, facts!, paths, readable, probe);
    }),
  );
}

function targetChecks(
  c: ReturnType<typeof check>,
  url: string,
  facts: RoleFacts,
  paths: WritePath[],
  readable: Inventory[],
  probe: { created: boolean; reason?: string },
): CheckResult[] {
  const results = [c.ok(`connects to ${whereOf(url)} as ${facts.role} (PostgreSQL ${facts.version})`)];
  results.push(...writeChecks(c, facts.role, paths));
  results.push(
    probe.created
      ? c.warn(
          'a plain transaction may create tables (sessions are not read-only by default)',
          `ALTER ROLE ${quoteIdent(facts.role)} SET default_transaction_read_only = on`,
        )
      : c.ok(
          `creating a temporary table is refused (${probe.reason}); a default any session may turn off, so the privileges above are what holds`,
        ),
  );
  const seen = describeReadable(readable);
  results.push(
    seen.length
      ? c.info(`reads ${seen.join('; ')}`)
      : readable.length === 0
        ? c.info('the database has no tables yet')
        : c.fail(
            `cannot read any of its ${describeTotal(readable)}`,
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
