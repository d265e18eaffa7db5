import type { DbSession } from '../db/client.ts';

// What the role reads, per schema, with tables, partitions, views, materialized views and
// foreign tables counted apart: a partitioned table with 40 partitions is one table to ask
// about, not 41.

export interface Inventory {
  schema: string;
  kind: Kind;
  readable: number;
  total: number;
}

type Kind = 'table' | 'partition' | 'view' | 'materialized view' | 'foreign table';

const INVENTORY_SQL = `
SELECT n.nspname AS schema,
       CASE WHEN c.relispartition THEN 'partition'
            WHEN c.relkind IN ('r', 'p') THEN 'table'
            WHEN c.relkind = 'v' THEN 'view'
            WHEN c.relkind = 'm' THEN 'materialized view'
            ELSE 'foreign table' END AS kind,
       count(*) FILTER (WHERE has_any_column_privilege(c.oid, 'SELECT'))::int AS readable,
       count(*)::int AS total
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'
GROUP BY 1, 2 ORDER BY 1, 2`;

const ORDER: Kind[] = ['table', 'partition', 'view', 'materialized view', 'foreign table'];

export function inventory(s: DbSession): Promise<Inventory[]> {
  return s.query<Inventory>(INVENTORY_SQL);
}

const plural = (n: number, kind: Kind) => `${n} ${kind}${n === 1 ? '' : 's'}`;

/** "public: 12 of 12 tables, 4 of 4 partitions, 2 of 3 views" per schema read at all. */
export function describeReadable(rows: Inventory[]): string[] {
  const schemas = [...new Set(rows.map((r) => r.schema))];
  return schemas.flatMap((schema) => {
    const mine = rows.filter((r) => r.schema === schema && r.readable > 0);
    if (mine.length === 0) return [];
    mine.sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
    return [`${schema}: ${mine.map((r) => `${r.readable} of ${plural(r.total, r.kind)}`).join(', ')}`];
  });
}

/** "12 tables, 4 partitions and 2 views" in all, readable or not. */
export function describeTotal(rows: Inventory[]): string {
  const parts = ORDER.map(
    (kind) => [kind, rows.filter((r) => r.kind === kind).reduce((n, r) => n + r.total, 0)] as const,
  )
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => plural(n, kind));
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : (parts[0] ?? 'nothing');
}
