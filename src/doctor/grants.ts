import type { DbSession } from '../db/client.ts';
import { quoteIdent } from '../pipeline/compile/quote.ts';
import { grantedTo, type RoleGraph, revokeFix } from './roles.ts';
import { some, type WritePath } from './writePath.ts';

// Grants that let the connecting role — or a role it can become, or PUBLIC — change data,
// read from the access lists themselves so each one is named with the REVOKE that removes it.
// An owner's own entries are left to ownership.ts (an owner can grant itself anything again).

interface Grant {
  schema: string;
  object: string;
  grantee: string;
  privileges: string;
}

const qualified = (ns: string, name: string) => `quote_ident(${ns}) || '.' || quote_ident(${name})`;

const TABLE_GRANTS_SQL = `
SELECT quote_ident(n.nspname) AS schema, ${qualified('n.nspname', 'c.relname')} AS object,
       a.grantee::text AS grantee, string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type) AS privileges
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
     LATERAL aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.grantee = ANY ($1::text[]::oid[])
  AND a.grantee <> c.relowner
  -- PUBLIC's UPDATE on pg_settings is SET for the session, by design.
  AND NOT (c.oid = 'pg_catalog.pg_settings'::regclass AND a.grantee = 0 AND a.privilege_type = 'UPDATE')
  AND a.privilege_type IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER', 'MAINTAIN')
GROUP BY 1, 2, 3 ORDER BY 3, 2`;

const COLUMN_GRANTS_SQL = `
SELECT quote_ident(n.nspname) AS schema, ${qualified('n.nspname', 'c.relname')} AS object,
       g.grantee::text AS grantee, g.privilege_type AS privileges,
       string_agg(quote_ident(att.attname), ', ' ORDER BY att.attnum) AS columns
FROM pg_attribute att JOIN pg_class c ON c.oid = att.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace,
     LATERAL aclexplode(att.attacl) g
WHERE att.attacl IS NOT NULL AND att.attnum > 0 AND NOT att.attisdropped
  AND g.grantee = ANY ($1::text[]::oid[]) AND g.grantee <> c.relowner
  AND g.privilege_type IN ('INSERT', 'UPDATE')
GROUP BY 1, 2, 3, 4 ORDER BY 3, 2, 4`;

const SEQUENCE_GRANTS_SQL = `
SELECT quote_ident(n.nspname) AS schema, ${qualified('n.nspname', 'c.relname')} AS object,
       a.grantee::text AS grantee, string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type) AS privileges
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
     LATERAL aclexplode(coalesce(c.relacl, acldefault('s', c.relowner))) a
WHERE c.relkind = 'S' AND a.grantee = ANY ($1::text[]::oid[]) AND a.grantee <> c.relowner
  AND a.privilege_type IN ('USAGE', 'UPDATE')
GROUP BY 1, 2, 3 ORDER BY 3, 2`;

const SCHEMA_GRANTS_SQL = `
SELECT quote_ident(n.nspname) AS schema, quote_ident(n.nspname) AS object, a.grantee::text AS grantee,
       a.privilege_type AS privileges
FROM pg_namespace n, LATERAL aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
WHERE a.grantee = ANY ($1::text[]::oid[]) AND a.grantee <> n.nspowner AND a.privilege_type = 'CREATE'
ORDER BY 3, 2`;

const DATABASE_GRANTS_SQL = `
SELECT '' AS schema, quote_ident(d.datname) AS object, a.grantee::text AS grantee,
       a.privilege_type AS privileges
FROM pg_database d, LATERAL aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
WHERE d.datname = current_database() AND a.grantee = ANY ($1::text[]::oid[]) AND a.grantee <> d.datdba
  AND a.privilege_type IN ('CREATE', 'TEMPORARY')
ORDER BY 3, 4`;

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

const byGrantee = <T extends { grantee: string }>(rows: T[]) => {
  const groups = new Map<string, T[]>();
  for (const r of rows) groups.set(r.grantee, [...(groups.get(r.grantee) ?? []), r]);
  return [...groups];
};

const union = (rows: Grant[]) =>
  [...new Set(rows.flatMap((r) => r.privileges.split(', ')))].sort().join(', ');

interface Kind {
  noun: string;
  /** The object clause of REVOKE for these objects. */
  on: (rows: Grant[]) => string;
  severity?: 'fail' | 'warn';
  /** The title's opening, after the role ("can write: "). */
  lead?: string;
}

const TABLES: Kind = {
  noun: 'table(s) or view(s)',
  // A list is exact; past a screenful, the schemas' tables (revoking what was never granted is
  // harmless).
  on: (rows) =>
    rows.length <= 20
      ? `TABLE ${rows.map((r) => r.object).join(', ')}`
      : `ALL TABLES IN SCHEMA ${[...new Set(rows.map((r) => r.schema))].join(', ')}`,
};

function pathsOf(g: RoleGraph, rows: Grant[], kind: Kind): WritePath[] {
  return byGrantee(rows).map(([grantee, list]) => ({
    severity: kind.severity ?? 'fail',
    title: `role ${g.me.name} ${kind.lead ?? 'can write: '}${union(list)} on ${list.length} ${kind.noun}: ${some(
      list.map((r) => `${r.object} (${r.privileges})`),
    )}${grantedTo(g, grantee)}`,
    fix: revokeFix(g, grantee, (from) => `REVOKE ${union(list)} ON ${kind.on(list)} FROM ${from}`),
  }));
}

function columnPaths(g: RoleGraph, rows: (Grant & { columns: string })[]): WritePath[] {
  return byGrantee(rows).map(([grantee, list]) => ({
    severity: 'fail',
    title: `role ${g.me.name} can write: ${some(list.map((r) => `${r.privileges} on column(s) ${r.object}(${r.columns})`))}${grantedTo(g, grantee)}`,
    fix: revokeFix(g, grantee, (from) =>
      list.map((r) => `REVOKE ${r.privileges} (${r.columns}) ON TABLE ${r.object} FROM ${from}`).join('; '),
    ),
  }));
}

function databasePaths(g: RoleGraph, rows: Grant[]): WritePath[] {
  const db = quoteIdent(g.database);
  return rows.map((r) =>
    r.privileges === 'CREATE'
      ? {
          severity: 'fail',
          title: `role ${g.me.name} can write: CREATE on database ${g.database} (new schemas)${grantedTo(g, r.grantee)}`,
          fix: revokeFix(g, r.grantee, (from) => `REVOKE CREATE ON DATABASE ${db} FROM ${from}`),
        }
      : {
          severity: 'warn',
          title: `role ${g.me.name} may create temporary tables (TEMPORARY on database ${g.database}${grantedTo(g, r.grantee)}); they vanish with the session, and Quarry reads in READ ONLY transactions`,
          fix: `${revokeFix(g, r.grantee, (from) => `REVOKE TEMPORARY ON DATABASE ${db} FROM ${from}`)}${r.grantee === '0' ? ' — then GRANT TEMPORARY to the roles that need it' : ''}`,
        },
  );
}

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

export interface GrantFindings {
  paths: WritePath[];
  /** Tables, sequences, schemas and databases a finding names, for the catch-all check. */
  named: Set<string>;
}

export async function grantPaths(s: DbSession, g: RoleGraph): Promise<GrantFindings> {
  const p = [g.grantees];
  // One after another: the session is one connection.
  const tables = await s.query<Grant>(TABLE_GRANTS_SQL, p);
  const columns = await s.query<Grant & { columns: string }>(COLUMN_GRANTS_SQL, p);
  const sequences = await s.query<Grant>(SEQUENCE_GRANTS_SQL, p);
  const schemas = await s.query<Grant>(SCHEMA_GRANTS_SQL, p);
  const database = await s.query<Grant>(DATABASE_GRANTS_SQL, p);
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

  const paths: WritePath[] = [
    ...pathsOf(g, tables, TABLES),
    ...columnPaths(g, columns),
    ...pathsOf(g, sequences, {
      noun: 'sequence(s) (nextval/setval)',
      on: (rows) => `SEQUENCE ${rows.map((r) => r.object).join(', ')}`,
    }),
    ...pathsOf(g, schemas, {
      noun: 'schema(s) (new tables, functions, views)',
      on: (rows) => `SCHEMA ${rows.map((r) => r.object).join(', ')}`,
    }),
    ...databasePaths(g, database),
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
  const named = new Set(
    [...tables, ...columns, ...sequences, ...schemas]
      .map((r) => r.object)
      .concat(database.filter((r) => r.privileges === 'CREATE').map((r) => r.object)),
  );
  return { paths, named };
}
