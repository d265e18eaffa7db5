import type { ColumnInfo, ForeignKey, TableInfo } from '../../domain/types.ts';
import type { CatalogColumn, CatalogRelation, RelationKind } from './catalog.ts';
import { type ColumnSample, isLowCardinality } from './samples.ts';
import { valueKindOf } from './valueKind.ts';

// Catalog rows turned into the pipeline's TableInfo and ForeignKey records. Optional fields
// are left out rather than set to undefined, so a schema read back from a cache equals the
// one discovered.

const TABLE_KIND: Record<RelationKind, TableInfo['kind']> = {
  r: 'table',
  v: 'view',
  m: 'materialized_view',
  f: 'foreign_table',
  p: 'partitioned_table',
};

export const tableKey = (schema: string, name: string) => `${schema}.${name}`;

/** `pg_stats.n_distinct` as a count: positive values are counts, negative ones a share of rows. */
export function distinctFromStats(nDistinct: number | null, rows: number): number | undefined {
  if (nDistinct === null || nDistinct === 0) return undefined;
  return nDistinct > 0 ? Math.round(nDistinct) : Math.round(-nDistinct * rows);
}

function columnInfo(
  c: CatalogColumn,
  primaryKey: string[],
  rows: number,
  sample: ColumnSample | undefined,
): ColumnInfo {
  const info: ColumnInfo = {
    name: c.name,
    type: c.type,
    kind: valueKindOf(c.baseType, c.category),
    nullable: !c.notNull,
    isPrimaryKey: primaryKey.includes(c.name),
  };
  if (c.comment !== null) info.comment = c.comment;
  if (c.enumValues !== null) info.enumValues = c.enumValues;
  const distinct = sample ? sample.distinct : distinctFromStats(c.nDistinct, rows);
  if (distinct !== undefined) info.distinctEstimate = distinct;
  const values = sample ? sample.values : (c.commonValues ?? []);
  if (values.length > 0 && distinct !== undefined && isLowCardinality(distinct, sample?.rows ?? rows)) {
    info.sampleValues = values;
  }
  return info;
}

/** `samples` holds what was read from never-analyzed tables, keyed by relation then column. */
export function tableInfo(r: CatalogRelation, samples: Map<string, ColumnSample>): TableInfo {
  const key = tableKey(r.schema, r.name);
  // A table read for samples was counted whole: better than the 0 an unanalyzed table reports.
  const counted = r.columns
    .map((c) => samples.get(columnKey(key, c.name))?.rows)
    .find((n) => n !== undefined);
  const rowEstimate = counted ?? Math.round(r.rowEstimate);
  const table: TableInfo = {
    key,
    schema: r.schema,
    name: r.name,
    kind: TABLE_KIND[r.kind],
    rowEstimate,
    // A column the connection may not read would only produce permission errors in queries.
    columns: r.columns
      .filter((c) => c.readable)
      .map((c) => columnInfo(c, r.primaryKey, rowEstimate, samples.get(columnKey(key, c.name)))),
    primaryKey: r.primaryKey,
    indexes: r.indexes,
  };
  if (r.comment !== null) table.comment = r.comment;
  return table;
}

/** One string for a table's column, for sets and maps. */
export function columnKey(table: string, column: string): string {
  return `${table}\u0000${column}`;
}

/** Declared keys whose referenced table is among the discovered ones (readable, not a partition). */
export function declaredForeignKeys(relations: CatalogRelation[]): ForeignKey[] {
  const known = new Set(relations.map((r) => tableKey(r.schema, r.name)));
  return relations.flatMap((r) =>
    r.foreignKeys
      .filter((fk) => known.has(tableKey(fk.toSchema, fk.toTable)))
      .map((fk) => ({
        fromTable: tableKey(r.schema, r.name),
        fromColumns: fk.columns,
        toTable: tableKey(fk.toSchema, fk.toTable),
        toColumns: fk.toColumns,
        inferred: false,
      })),
  );
}
