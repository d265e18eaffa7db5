import type { DbSession } from '../db/client.ts';
import { byGrantee, type Grant, pathsOf } from './acl.ts';
import { grantedTo, type RoleGraph, revokeFix } from './roles.ts';
import { some, type WritePath } from './writePath.ts';

// Writes that go past tables: large objects, functions that run as someone else or touch the
// server, and ALTER SYSTEM on parameters.

const LARGE_OBJECT_GRANTS_SQL = `
SELECT '' AS schema, l.oid::text AS object, a.grantee::text AS grantee, a.privilege_type AS privileges
FROM pg_largeobject_metadata l, LATERAL aclexplode(l.lomacl) a
WHERE l.lomacl IS NOT NULL AND a.grantee = ANY ($1::text[]::oid[]) AND a.grantee <> l.lomowner
  AND a.privilege_type = 'UPDATE'
ORDER BY 3, 2`;

// PostgreSQL checks no privilege when a large object is created, not even in a READ ONLY
// transaction; only EXECUTE on these functions (granted to PUBLIC) stands in the way.
const LO_CREATE_SQL = `
SELECT '' AS schema, 'pg_catalog.' || p.oid::regprocedure::text AS object, a.grantee::text AS grantee,
       a.privilege_type AS privileges
FROM pg_proc p, LATERAL aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
WHERE p.oid IN ('pg_catalog.lo_create(oid)'::regprocedure, 'pg_catalog.lo_creat(integer)'::regprocedure,
                'pg_catalog.lo_from_bytea(oid, bytea)'::regprocedure)
  AND a.grantee = ANY ($1::text[]::oid[]) AND a.grantee <> p.proowner AND a.privilege_type = 'EXECUTE'
ORDER BY 3, 2`;

// PostgreSQL's own functions it keeps from PUBLIC (lo_export, pg_read_file, pg_reload_conf…),
// granted to this role or a role of its own. Predefined roles are judged in roles.ts.
const ADMIN_FUNCTIONS_SQL = `
SELECT '' AS schema, 'pg_catalog.' || p.oid::regprocedure::text AS object, a.grantee::text AS grantee,
       a.privilege_type AS privileges
FROM pg_proc p, LATERAL aclexplode(p.proacl) a
WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.proacl IS NOT NULL
  AND NOT has_function_privilege('public', p.oid, 'EXECUTE')
  AND a.grantee = ANY ($1::text[]::oid[]) AND a.grantee >= 16384 AND a.grantee <> p.proowner
  AND a.privilege_type = 'EXECUTE'
ORDER BY 3, 2`;

// A volatile SECURITY DEFINER function runs with its owner's privileges: whoever may call it
// writes what its owner may write.
const DEFINER_FUNCTIONS_SQL = `
SELECT quote_ident(n.nspname) AS schema,
       quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS object,
       a.grantee::text AS grantee, p.proowner::regrole::text AS privileges
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace,
     LATERAL aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
WHERE p.prosecdef AND p.provolatile = 'v' AND n.nspname <> 'pg_catalog' AND n.nspname <> 'information_schema'
  AND a.grantee = ANY ($1::text[]::oid[]) AND a.grantee <> p.proowner AND a.privilege_type = 'EXECUTE'
  AND NOT p.proowner = ANY ($1::text[]::oid[])
ORDER BY 3, 2`;

// ALTER SYSTEM writes postgresql.auto.conf (PostgreSQL 15 and later grant it per parameter).
const PARAMETER_GRANTS_SQL = `
SELECT '' AS schema, p.parname::text AS object, a.grantee::text AS grantee, a.privilege_type AS privileges
FROM pg_parameter_acl p, LATERAL aclexplode(p.paracl) a
WHERE a.grantee = ANY ($1::text[]::oid[]) AND a.privilege_type = 'ALTER SYSTEM'
ORDER BY 3, 2`;

function loCreatePaths(g: RoleGraph, rows: Grant[]): WritePath[] {
  return byGrantee(rows).map(([grantee, list]) => ({
    severity: 'warn',
    title: `role ${g.me.name} may create large objects, even in a READ ONLY transaction (EXECUTE on ${list.map((r) => r.object).join(', ')}${grantedTo(g, grantee)}); Quarry's guard refuses lo_* functions`,
    fix: `${revokeFix(g, grantee, (from) => `REVOKE EXECUTE ON FUNCTION ${list.map((r) => r.object).join(', ')} FROM ${from}`)}${grantee === '0' ? ' — as a superuser; then GRANT EXECUTE to the roles that store large objects' : ''}`,
  }));
}

function definerPaths(g: RoleGraph, rows: Grant[]): WritePath[] {
  return byGrantee(rows).map(([grantee, list]) => ({
    severity: 'fail',
    title: `role ${g.me.name} can write: it may call SECURITY DEFINER function(s), which run as their owner: ${some(list.map((r) => `${r.object} as ${r.privileges}`))}${grantedTo(g, grantee)}`,
    fix: revokeFix(
      g,
      grantee,
      (from) => `REVOKE EXECUTE ON FUNCTION ${list.map((r) => r.object).join(', ')} FROM ${from}`,
    ),
  }));
}

export async function serverPaths(s: DbSession, g: RoleGraph): Promise<WritePath[]> {
  const p = [g.grantees];
  const largeObjects = await s.query<Grant>(LARGE_OBJECT_GRANTS_SQL, p);
  const loCreate = await s.query<Grant>(LO_CREATE_SQL, p);
  const admin = await s.query<Grant>(ADMIN_FUNCTIONS_SQL, p);
  const definers = await s.query<Grant>(DEFINER_FUNCTIONS_SQL, p);
  const [{ has_parameter_acl }] = (await s.query<{ has_parameter_acl: boolean }>(
    "SELECT to_regclass('pg_catalog.pg_parameter_acl') IS NOT NULL AS has_parameter_acl",
  )) as [{ has_parameter_acl: boolean }];
  const parameters = has_parameter_acl ? await s.query<Grant>(PARAMETER_GRANTS_SQL, p) : [];
  const [{ lo_compat }] = (await s.query<{ lo_compat: string }>(
    "SELECT current_setting('lo_compat_privileges') AS lo_compat",
  )) as [{ lo_compat: string }];
  return [
    ...pathsOf(g, largeObjects, {
      noun: 'large object(s)',
      on: (rows) => `LARGE OBJECT ${rows.map((r) => r.object).join(', ')}`,
    }),
    ...(lo_compat === 'on'
      ? [
          {
            severity: 'fail' as const,
            title: `role ${g.me.name} can write: lo_compat_privileges is on, so any role writes and unlinks every large object`,
            fix: 'ALTER SYSTEM SET lo_compat_privileges = off; SELECT pg_reload_conf()',
          },
        ]
      : []),
    ...loCreatePaths(g, loCreate),
    ...pathsOf(g, admin, {
      noun: 'server function(s) PostgreSQL keeps from PUBLIC',
      on: (rows) => `FUNCTION ${rows.map((r) => r.object).join(', ')}`,
      lead: 'reaches beyond its data: ',
    }),
    ...definerPaths(g, definers),
    ...pathsOf(g, parameters, {
      noun: 'parameter(s) (writes postgresql.auto.conf)',
      on: (rows) => `PARAMETER ${rows.map((r) => r.object).join(', ')}`,
    }),
  ];
}
