import type { DbSession } from '../db/client.ts';
import { quoteIdent } from '../pipeline/index.ts';
import { byGrantee, type Grant, type Kind, pathsOf } from './acl.ts';
import { grantedTo, type RoleGraph, revokeFix } from './roles.ts';
import { some, type WritePath } from './writePath.ts';

// Grants on data that let the connecting role — or a role it can become, or PUBLIC — change it:
// tables and views, columns, sequences, schemas, the database. An owner's own entries are left
// to ownership.ts (an owner can grant itself anything again).

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

const TABLES: Kind = {
  noun: 'table(s) or view(s)',
  // A list is exact; past a screenful, the schemas' tables (revoking what was never granted is
  // harmless).
  on: (rows) =>
    rows.length <= 20
      ? `TABLE ${rows.map((r) => r.object).join(', ')}`
      : `ALL TABLES IN SCHEMA ${[...new Set(rows.map((r) => r.schema))].join(', ')}`,
};

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
  ];
  const named = new Set(
    [...tables, ...columns, ...sequences, ...schemas]
      .map((r) => r.object)
      .concat(database.filter((r) => r.privileges === 'CREATE').map((r) => r.object)),
  );
  return { paths, named };
}
