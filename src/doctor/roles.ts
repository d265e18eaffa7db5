import type { DbSession } from '../db/client.ts';
import { quoteIdent } from '../pipeline/index.ts';
import type { WritePath } from './writePath.ts';

// Every role the connecting role can act as. A member uses the privileges of a role it
// INHERITs without asking, and can take on any role it is a member of with SET ROLE — NOINHERIT
// included — so `pg_has_role(…, 'MEMBER')` is the set to check, and 'USAGE' tells the two apart.
// Role attributes are never inherited, but SET ROLE reaches them too.

export interface Reachable {
  oid: string;
  name: string;
  self: boolean;
  /** Its privileges apply without SET ROLE. */
  inherited: boolean;
  /** SET ROLE may take it on (always before PostgreSQL 16, which grants SET per membership). */
  settable: boolean;
  /** The role granted to the connecting role on the way here (null for itself). */
  via: string | null;
  /** The role this one is granted to directly on that way (null for itself). */
  parent: string | null;
  superuser: boolean;
  createrole: boolean;
  createdb: boolean;
  replication: boolean;
  bypassrls: boolean;
}

export interface RoleGraph {
  me: Reachable;
  roles: Reachable[];
  /** The oids to look for among grantees: every reachable role and PUBLIC (0). */
  grantees: string[];
  byOid: Map<string, Reachable>;
  /** The target database, and the role to hand objects to: its owner, or the bootstrap
   *  superuser when the owner is one the connecting role can become. */
  database: string;
  admin: string;
}

const REACHABLE_SQL = `
WITH RECURSIVE chain AS (
  SELECT m.roleid AS role, m.roleid AS via, m.member AS parent, 1 AS depth
  FROM pg_auth_members m WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = current_user)
  UNION ALL
  SELECT m.roleid, c.via, m.member, c.depth + 1
  FROM pg_auth_members m JOIN chain c ON m.member = c.role WHERE c.depth < 32
), shortest AS (
  SELECT DISTINCT ON (role) role, via, parent FROM chain ORDER BY role, depth
)
SELECT r.oid::text AS oid, r.rolname::text AS name, r.rolname = current_user AS self,
       pg_has_role(current_user, r.oid, 'USAGE') AS inherited,
       CASE WHEN current_setting('server_version_num')::int >= 160000
            THEN pg_has_role(current_user, r.oid, 'SET') ELSE true END AS settable,
       v.rolname::text AS via, p.rolname::text AS parent,
       r.rolsuper AS superuser, r.rolcreaterole AS createrole, r.rolcreatedb AS createdb,
       r.rolreplication AS replication, r.rolbypassrls AS bypassrls
FROM pg_roles r
LEFT JOIN shortest s ON s.role = r.oid
LEFT JOIN pg_roles v ON v.oid = s.via
LEFT JOIN pg_roles p ON p.oid = s.parent
WHERE pg_has_role(current_user, r.oid, 'MEMBER')
ORDER BY r.rolname = current_user DESC, r.rolname`;

const DATABASE_SQL = `
SELECT current_database()::text AS database,
       CASE WHEN pg_has_role(current_user, d.datdba, 'MEMBER')
            THEN 10::oid::regrole::text ELSE d.datdba::regrole::text END AS admin
FROM pg_database d WHERE d.datname = current_database()`;

export async function roleGraph(s: DbSession): Promise<RoleGraph> {
  const roles = await s.query<Reachable>(REACHABLE_SQL);
  const [db] = await s.query<{ database: string; admin: string }>(DATABASE_SQL);
  const me = roles.find((r) => r.self)!;
  return {
    me,
    roles,
    database: db!.database,
    admin: db!.admin,
    grantees: ['0', ...roles.map((r) => r.oid)],
    byOid: new Map(roles.map((r) => [r.oid, r])),
  };
}

const q = quoteIdent;

/** How the connecting role comes by a reachable role, for a title. */
export function membership(g: RoleGraph, role: Reachable): string {
  if (role.name === 'pg_database_owner') return `${g.me.name} owns the database`;
  const how = role.inherited
    ? 'inherits its privileges'
    : role.settable
      ? `NOINHERIT: reachable with SET ROLE ${q(role.name)}`
      : 'without INHERIT or SET: not usable as granted, but a member all the same';
  const through = role.via && role.via !== role.name ? ` through ${role.via}` : '';
  return `${g.me.name} is a member${through} (${how})`;
}

/** The statement that takes the connecting role out of a reachable role. */
export function leave(g: RoleGraph, role: Reachable): string {
  if (role.name === 'pg_database_owner') return `ALTER DATABASE ${q(g.database)} OWNER TO ${g.admin}`;
  return `REVOKE ${q(role.via ?? role.name)} FROM ${q(g.me.name)}`;
}

/** ", granted to writer, which reader is a member of (…)" for a grantee oid; "" for itself. */
export function grantedTo(g: RoleGraph, grantee: string): string {
  if (grantee === '0') return ', granted to PUBLIC (every role)';
  const role = g.byOid.get(grantee);
  if (!role || role.self) return '';
  return `, granted to ${role.name} (${membership(g, role)})`;
}

/** `REVOKE <what> FROM grantee`, and for another role the way out of it as well. */
export function revokeFix(g: RoleGraph, grantee: string, statement: (from: string) => string): string {
  if (grantee === '0') return statement('PUBLIC');
  const role = g.byOid.get(grantee)!;
  const revoke = statement(q(role.name));
  return role.self ? revoke : `${revoke} — or take ${g.me.name} out of that role: ${leave(g, role)}`;
}

// Predefined roles that reach past read-only SELECTs. pg_read_all_data is fine for a reader.
const PREDEFINED: Record<string, { severity: 'fail' | 'warn'; what: string; lead?: string }> = {
  pg_write_all_data: { severity: 'fail', what: 'writes every table, view and sequence' },
  pg_write_server_files: { severity: 'fail', what: 'writes files on the database server' },
  pg_execute_server_program: { severity: 'fail', what: 'runs programs on the database server' },
  pg_read_server_files: {
    severity: 'fail',
    what: 'reads any file on the database server',
    lead: 'reaches beyond its data: member of',
  },
  pg_maintain: { severity: 'fail', what: 'refreshes materialized views, locks and reindexes any table' },
  pg_create_subscription: { severity: 'fail', what: 'creates subscriptions that write replicated rows' },
  pg_signal_backend: {
    severity: 'warn',
    what: "cancels and ends other sessions' queries",
    lead: 'is a member of',
  },
};

function attributes(r: Reachable): { attr: string; what: string }[] {
  return [
    ...(r.createrole
      ? [{ attr: 'CREATEROLE', what: 'it can grant itself any role, pg_write_all_data too' }]
      : []),
    ...(r.createdb ? [{ attr: 'CREATEDB', what: 'it can create databases' }] : []),
    ...(r.replication
      ? [{ attr: 'REPLICATION', what: 'it can create replication slots and stream every table' }]
      : []),
  ];
}

/** Superuser, CREATEROLE, CREATEDB, REPLICATION, BYPASSRLS on the role or one it can become,
 *  and membership of predefined roles that write. */
export function rolePaths(g: RoleGraph): WritePath[] {
  const me = g.me.name;
  const paths: WritePath[] = [];
  for (const r of g.roles) {
    const own = r.self;
    const as = own ? '' : ` as ${r.name} (${membership(g, r)})`;
    const alter = (attr: string) =>
      own ? `ALTER ROLE ${q(r.name)} ${attr}` : `ALTER ROLE ${q(r.name)} ${attr} — or ${leave(g, r)}`;
    if (r.superuser && !own)
      paths.push({
        severity: 'fail',
        title: `role ${me} can write: it can become superuser ${r.name} (${membership(g, r)})`,
        fix: leave(g, r),
      });
    for (const a of attributes(r))
      paths.push({
        severity: 'fail',
        title: `role ${me} can write: ${a.attr}${as} — ${a.what}`,
        fix: alter(`NO${a.attr}`),
      });
    if (r.bypassrls)
      paths.push({
        severity: 'fail',
        title: `role ${me} bypasses row-level security${as}: it reads rows the policies hide`,
        fix: alter('NOBYPASSRLS'),
      });
    const predefined = PREDEFINED[r.name];
    if (predefined && !own) {
      const direct = `REVOKE ${r.name} FROM ${q(r.parent ?? me)}`;
      paths.push({
        severity: predefined.severity,
        title: `role ${me} ${predefined.lead ?? 'can write: member of'} ${r.name}, which ${predefined.what} (${membership(g, r)})`,
        fix: r.parent && r.parent !== me ? `${direct} — or ${leave(g, r)}` : direct,
      });
    }
  }
  return paths;
}
