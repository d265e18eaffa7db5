import { type AccessRules, deniedColumnsOf, tableDenied } from '../../access/rules.ts';
import type { DbSession } from '../../db/client.ts';
import { UnsafeSql } from '../../errors.ts';
import type { TableRead } from './qualifyTables.ts';

// What a statement reads beyond the names it writes: a view runs its own query, over tables,
// columns and functions PostgreSQL recorded when the view was made (pg_depend on its rewrite
// rule). Checked inside the read's own transaction, just before the statement runs, so a view
// over a denied column, over a table outside the allowed schemas, or calling a function, an
// operator or a domain CHECK that is not PostgreSQL's own is refused like the statement itself
// would be.

/** Every object the views among `tables` (and the views under them) depend on. */
const DEPENDENCIES_SQL = `
WITH RECURSIVE read_rel(oid) AS (
  SELECT c.oid FROM unnest($1::text[], $2::text[]) AS r(schema, name)
  JOIN pg_namespace n ON n.nspname = r.schema
  JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = r.name
  UNION
  SELECT d.refobjid FROM read_rel r
  JOIN pg_rewrite w ON w.ev_class = r.oid
  JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = w.oid
  WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid <> r.oid
),
dep AS (
  SELECT w.ev_class AS view, d.refclassid, d.refobjid, d.refobjsubid
  FROM read_rel r
  JOIN pg_rewrite w ON w.ev_class = r.oid
  JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = w.oid
  WHERE NOT (d.refclassid = 'pg_class'::regclass AND d.refobjid = w.ev_class)
),
-- Functions a domain's CHECK calls run whenever a value is cast to the domain.
domain_call AS (
  SELECT dep.view, cd.refobjid AS proc
  FROM dep
  JOIN pg_constraint k ON dep.refclassid = 'pg_type'::regclass AND k.contypid = dep.refobjid
  JOIN pg_depend cd ON cd.classid = 'pg_constraint'::regclass AND cd.objid = k.oid
    AND cd.refclassid = 'pg_proc'::regclass
)
SELECT v.relname::text AS view, 'column' AS kind, n.nspname::text AS schema, c.relname::text AS name,
       a.attname::text AS column
FROM dep JOIN pg_class v ON v.oid = dep.view
JOIN pg_class c ON dep.refclassid = 'pg_class'::regclass AND c.oid = dep.refobjid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = dep.refobjsubid AND dep.refobjsubid > 0
UNION ALL
SELECT v.relname::text, 'function', n.nspname::text, p.proname::text, NULL
FROM (SELECT view, refobjid AS proc FROM dep WHERE refclassid = 'pg_proc'::regclass
      UNION SELECT view, proc FROM domain_call) f
JOIN pg_class v ON v.oid = f.view JOIN pg_proc p ON p.oid = f.proc
JOIN pg_namespace n ON n.oid = p.pronamespace AND n.nspname <> 'pg_catalog'
UNION ALL
SELECT v.relname::text, 'operator', n.nspname::text, o.oprname::text, NULL
FROM dep JOIN pg_class v ON v.oid = dep.view
JOIN pg_operator o ON dep.refclassid = 'pg_operator'::regclass AND o.oid = dep.refobjid
JOIN pg_namespace n ON n.oid = o.oprnamespace AND n.nspname <> 'pg_catalog'`;

interface Dependency {
  view: string;
  kind: 'column' | 'function' | 'operator';
  schema: string;
  name: string;
  /** null: the dependency is on the table as a whole. */
  column: string | null;
}

const refusal = (message: string, detail: string) => new UnsafeSql(message, `view_dependency: ${detail}`);

function checkDependency(d: Dependency, rules: AccessRules | undefined): void {
  const target = `${d.schema}.${d.name}`;
  if (d.kind !== 'column') {
    throw refusal(
      `The view ${d.view} runs the ${d.kind} ${target}, which is not one of PostgreSQL's own, so I don't read it.`,
      `${d.view} -> ${d.kind} ${target}`,
    );
  }
  if (!rules) return;
  if (tableDenied(rules, d.schema, d.name)) {
    throw refusal(
      `The view ${d.view} reads ${target}, which I'm not allowed to read.`,
      `${d.view} -> ${target}`,
    );
  }
  // PostgreSQL records no dependency for a whole-row reference (`SELECT c FROM customers c`),
  // so any view over a table with denied columns is refused, whichever columns it names.
  const hidden = deniedColumnsOf(rules, d.schema, d.name);
  if (hidden.length > 0) {
    throw refusal(
      `The view ${d.view} reads ${target}, which has columns I'm not allowed to show (${hidden.join(', ')}).`,
      `${d.view} -> ${target}.${d.column ?? '*'}`,
    );
  }
}

/** Throws UnsafeSql when a view among `tables` depends on something the rules deny or on a
 *  function or operator outside pg_catalog. */
export async function checkReadDependencies(
  s: DbSession,
  tables: TableRead[],
  rules: AccessRules | undefined,
): Promise<void> {
  if (tables.length === 0) return;
  const rows = await s.query<Dependency>(DEPENDENCIES_SQL, [
    tables.map((t) => t.schema),
    tables.map((t) => t.name),
  ]);
  for (const d of rows) checkDependency(d, rules);
}
