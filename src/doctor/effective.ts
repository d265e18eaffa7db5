import type { DbSession } from '../db/client.ts';
import type { RoleGraph } from './roles.ts';
import { some, type WritePath } from './writePath.ts';

// The last word is PostgreSQL's own: for every role the connecting role can become, ask the
// has_*_privilege functions what it may write. Anything they allow that no finding above names
// came by a path this doctor does not know, and still fails. (pg_settings is updatable by
// PUBLIC by design: an UPDATE there is SET for the session.)

const EFFECTIVE_SQL = `
SELECT DISTINCT x.kind, x.object FROM unnest($1::text[]::oid[]) AS r(oid), LATERAL (
  SELECT 'table' AS kind, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS object
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'f') AND c.oid <> 'pg_catalog.pg_settings'::regclass
    AND (has_table_privilege(r.oid, c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, TRIGGER')
         OR has_any_column_privilege(r.oid, c.oid, 'INSERT, UPDATE'))
  UNION ALL
  SELECT 'sequence', quote_ident(n.nspname) || '.' || quote_ident(c.relname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  -- CASE: PostgreSQL may test the privilege before the kind, and it refuses non-sequences.
  WHERE CASE WHEN c.relkind = 'S' THEN has_sequence_privilege(r.oid, c.oid, 'USAGE, UPDATE') ELSE false END
  UNION ALL
  SELECT 'schema', quote_ident(n.nspname) FROM pg_namespace n
  WHERE has_schema_privilege(r.oid, n.oid, 'CREATE')
  UNION ALL
  SELECT 'database', quote_ident(current_database())
  WHERE has_database_privilege(r.oid, current_database(), 'CREATE')
) x
ORDER BY 1, 2`;

export async function unexplainedPaths(
  s: DbSession,
  g: RoleGraph,
  named: Set<string>,
  fix: string,
): Promise<WritePath[]> {
  const roles = g.roles.map((r) => r.oid);
  const rows = await s.query<{ kind: string; object: string }>(EFFECTIVE_SQL, [roles]);
  const left = rows.filter((r) => !named.has(r.object));
  if (left.length === 0) return [];
  return [
    {
      severity: 'fail',
      title: `role ${g.me.name} can write, by a path not named above: ${some(left.map((r) => `${r.kind} ${r.object}`))}`,
      fix,
    },
  ];
}
