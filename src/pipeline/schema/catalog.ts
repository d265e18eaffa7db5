import type { DbSession } from '../../db/client.ts';

// The catalog reads of schema discovery: two statements whatever the number of tables, run
// side by side. One row per readable relation carries its columns (with types, comments,
// enum labels and planner statistics), its keys and its indexes as JSON, so nothing is ever
// asked per table. Nothing here waits on a table's lock, so discovery goes on while a
// migration holds one.

export interface CatalogColumn {
  name: string;
  /** `format_type` output, e.g. `numeric(12,2)`. */
  type: string;
  /** `pg_type.typname` of the base type (domains resolved one level). */
  baseType: string;
  /** `pg_type.typcategory` of the base type: N numeric, S string, E enum, … */
  category: string;
  notNull: boolean;
  comment: string | null;
  /** The connection may read the column's values. */
  readable: boolean;
  enumValues: string[] | null;
  /** `pg_stats.n_distinct`: absolute when positive, minus a fraction of the rows when negative. */
  nDistinct: number | null;
  /** `pg_stats.most_common_vals` of string and enum columns, most common first, already cut. */
  commonValues: string[] | null;
}

export interface CatalogForeignKey {
  columns: string[];
  toSchema: string;
  toTable: string;
  toColumns: string[];
}

export interface CatalogIndex {
  name: string;
  unique: boolean;
  /** Column names, or the expression text for expression columns. */
  columns: string[];
}

export type RelationKind = 'r' | 'v' | 'm' | 'f' | 'p';

export interface CatalogRelation {
  schema: string;
  name: string;
  kind: RelationKind;
  comment: string | null;
  /** `reltuples`, never negative; partitioned tables sum their leaf partitions. */
  rowEstimate: number;
  /** On-disk size of a table or materialized view never analyzed; null once analyzed, or
   *  while another session holds or awaits an exclusive lock on it. */
  unanalyzedBytes: number | null;
  columns: CatalogColumn[];
  primaryKey: string[];
  foreignKeys: CatalogForeignKey[];
  indexes: CatalogIndex[];
}

export interface Catalog {
  database: string;
  searchPath: string[];
  relations: CatalogRelation[];
}

const META_SQL = `SELECT current_database()::text AS database, current_schemas(false)::text[] AS search_path`;

// Schemas whose names start with pg_ are reserved for the system (catalog, toast, temp);
// relations owned by an extension (e.g. PostGIS's spatial_ref_sys) are not the company's data.
const RELATIONS_SQL = `
WITH RECURSIVE rel AS (
  SELECT c.oid, n.nspname::text AS schema, c.relname::text AS name, c.relkind::text AS relkind, c.reltuples
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'v', 'm', 'f', 'p')
    AND NOT c.relispartition
    AND n.nspname <> 'information_schema'
    AND n.nspname !~ '^pg_'
    AND n.nspname <> ALL ($1::text[])
    AND has_schema_privilege(n.oid, 'USAGE')
    AND has_any_column_privilege(c.oid, 'SELECT')
    AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend d
      WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
    )
),
enum_labels AS (
  SELECT e.enumtypid, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
  FROM pg_catalog.pg_enum e
  GROUP BY e.enumtypid
),
stats AS (
  -- A table with inheritance children has two rows per column; the one covering the children
  -- describes what a query on the parent sees.
  SELECT DISTINCT ON (s.schemaname, s.tablename, s.attname)
    s.schemaname::text AS schema, s.tablename::text AS name, s.attname::text AS column_name,
    s.n_distinct, s.most_common_vals
  FROM pg_catalog.pg_stats s
  WHERE s.schemaname <> 'information_schema' AND s.schemaname !~ '^pg_' AND s.schemaname <> ALL ($1::text[])
  ORDER BY s.schemaname, s.tablename, s.attname, s.inherited DESC
),
cols AS (
  SELECT a.attrelid, json_agg(json_build_object(
      'name', a.attname,
      'type', pg_catalog.format_type(a.atttypid, a.atttypmod),
      'baseType', bt.typname,
      'category', bt.typcategory,
      'notNull', a.attnotnull,
      'comment', d.description,
      'readable', has_column_privilege(a.attrelid, a.attnum, 'SELECT'),
      'enumValues', el.labels,
      'nDistinct', s.n_distinct,
      'commonValues', CASE WHEN bt.typcategory IN ('S', 'E')
        THEN (s.most_common_vals::text::text[])[1:$2] END
    ) ORDER BY a.attnum) AS columns
  FROM rel r
  JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
  JOIN pg_catalog.pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
  LEFT JOIN pg_catalog.pg_description d
    ON d.classoid = 'pg_catalog.pg_class'::regclass AND d.objoid = a.attrelid AND d.objsubid = a.attnum
  LEFT JOIN enum_labels el ON el.enumtypid = bt.oid
  LEFT JOIN stats s ON s.schema = r.schema AND s.name = r.name AND s.column_name = a.attname
  GROUP BY a.attrelid
),
constraint_columns AS (
  -- conparentid = 0 keeps a partitioned table's own constraints, not their per-partition clones.
  SELECT con.conrelid, con.contype, con.conname, con.confrelid,
    (SELECT array_agg(a.attname::text ORDER BY k.ord)
       FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns,
    (SELECT array_agg(a.attname::text ORDER BY k.ord)
       FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS ref_columns
  FROM pg_catalog.pg_constraint con
  WHERE con.contype IN ('p', 'f') AND con.conparentid = 0 AND con.conrelid IN (SELECT oid FROM rel)
),
fks AS (
  SELECT cc.conrelid, json_agg(json_build_object(
      'columns', cc.columns, 'toSchema', tn.nspname, 'toTable', tc.relname, 'toColumns', cc.ref_columns
    ) ORDER BY cc.conname) AS foreign_keys
  FROM constraint_columns cc
  JOIN pg_catalog.pg_class tc ON tc.oid = cc.confrelid
  JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
  WHERE cc.contype = 'f'
  GROUP BY cc.conrelid
),
partitions(root, relid) AS (
  SELECT i.inhparent, i.inhrelid FROM pg_catalog.pg_inherits i
  WHERE i.inhparent IN (SELECT oid FROM rel WHERE relkind = 'p')
  UNION ALL
  SELECT p.root, i.inhrelid FROM partitions p JOIN pg_catalog.pg_inherits i ON i.inhparent = p.relid
),
partition_rows AS (
  SELECT p.root, sum(greatest(c.reltuples, 0)) AS row_estimate
  FROM partitions p JOIN pg_catalog.pg_class c ON c.oid = p.relid
  WHERE c.relkind <> 'p'
  GROUP BY p.root
),
exclusive_locks AS (
  -- pg_relation_size waits for a relation's lock: never ask it about one that a migration,
  -- TRUNCATE or REFRESH MATERIALIZED VIEW holds or waits for.
  SELECT l.relation FROM pg_catalog.pg_locks l
  WHERE l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock'
    AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
),
idx AS (
  SELECT i.indrelid, json_agg(json_build_object(
      'name', ic.relname,
      'unique', i.indisunique,
      'columns', (
        SELECT array_agg(CASE WHEN k.attnum = 0 THEN pg_catalog.pg_get_indexdef(i.indexrelid, k.ord::int, true)
                              ELSE a.attname::text END ORDER BY k.ord)
        FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
        LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE k.ord <= i.indnkeyatts)
    ) ORDER BY ic.relname) AS indexes
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
  WHERE i.indrelid IN (SELECT oid FROM rel)
  GROUP BY i.indrelid
)
SELECT r.schema, r.name, r.relkind AS kind, td.description AS comment,
  (CASE WHEN r.relkind = 'p' THEN coalesce(pr.row_estimate, 0) ELSE greatest(r.reltuples, 0) END)::float8
    AS row_estimate,
  (CASE WHEN r.relkind IN ('r', 'm') AND r.reltuples < 0 AND r.oid NOT IN (SELECT relation FROM exclusive_locks)
    THEN pg_catalog.pg_relation_size(r.oid) END)::float8 AS unanalyzed_bytes,
  coalesce(cols.columns, '[]') AS columns,
  coalesce(pk.columns, '{}') AS primary_key,
  coalesce(fks.foreign_keys, '[]') AS foreign_keys,
  coalesce(idx.indexes, '[]') AS indexes
FROM rel r
LEFT JOIN pg_catalog.pg_description td
  ON td.classoid = 'pg_catalog.pg_class'::regclass AND td.objoid = r.oid AND td.objsubid = 0
LEFT JOIN cols ON cols.attrelid = r.oid
LEFT JOIN constraint_columns pk ON pk.conrelid = r.oid AND pk.contype = 'p'
LEFT JOIN fks ON fks.conrelid = r.oid
LEFT JOIN idx ON idx.indrelid = r.oid
LEFT JOIN partition_rows pr ON pr.root = r.oid
ORDER BY r.schema, r.name`;

interface RelationRow {
  schema: string;
  name: string;
  kind: RelationKind;
  comment: string | null;
  row_estimate: number;
  unanalyzed_bytes: number | null;
  columns: CatalogColumn[];
  primary_key: string[];
  foreign_keys: CatalogForeignKey[];
  indexes: CatalogIndex[];
}

export async function readCatalog(
  db: DbSession,
  options: { excludeSchemas: string[]; maxCommonValues: number },
): Promise<Catalog> {
  const [meta, rows] = await Promise.all([
    db.query<{ database: string; search_path: string[] }>(META_SQL),
    db.query<RelationRow>(RELATIONS_SQL, [options.excludeSchemas, options.maxCommonValues]),
  ]);
  const { database, search_path } = meta[0]!;
  return {
    database,
    searchPath: search_path,
    relations: rows.map((r) => ({
      schema: r.schema,
      name: r.name,
      kind: r.kind,
      comment: r.comment,
      rowEstimate: r.row_estimate,
      unanalyzedBytes: r.unanalyzed_bytes,
      columns: r.columns,
      primaryKey: r.primary_key,
      foreignKeys: r.foreign_keys,
      indexes: r.indexes,
    })),
  };
}
