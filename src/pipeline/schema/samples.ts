import type { Db } from '../../db/client.ts';
import { quoteIdent } from '../compile/quote.ts';
import type { CatalogColumn, CatalogRelation } from './catalog.ts';
import { isWordLike } from './valueKind.ts';

// Sample values for tables that were never analyzed, so have no pg_stats yet (a database
// loaded a minute ago). One UNION ALL statement reads every candidate column at once; only
// small tables qualify, and short statement and lock timeouts bound the rest. A statement
// that fails (timeout, a lock held by a migration) leaves the columns without samples.

/** A column with at most this many distinct values counts as low-cardinality. */
export const LOW_CARDINALITY_MAX = 250;
/** Columns sampled in one discovery, at most. */
export const MAX_SAMPLED_COLUMNS = 50;
/** Tables larger than this on disk wait for ANALYZE instead of being read. */
export const MAX_SAMPLED_TABLE_BYTES = 1024 * 1024;
const STATEMENT_TIMEOUT_MS = 2000;
const LOCK_TIMEOUT_MS = 500;

export interface SampleTarget {
  relation: CatalogRelation;
  column: CatalogColumn;
}

export interface ColumnSample {
  /** Most common first. */
  values: string[];
  /** Distinct non-null values in the table. */
  distinct: number;
  /** Rows in the table, nulls included. */
  rows: number;
}

/** Rows of a lookup table small enough that its names are vocabulary ("Enterprise" plan). */
export const SMALL_TABLE_ROWS = 20;

/** Values repeat (on average twice or more) and are few: a category, not a name or an id.
 *  Every name in a small lookup table counts too: people say them in questions. */
export function isLowCardinality(distinct: number, rows: number): boolean {
  return (
    distinct > 0 && distinct <= LOW_CARDINALITY_MAX && (distinct * 2 <= rows || rows <= SMALL_TABLE_ROWS)
  );
}

/** Word-like, readable columns without statistics, of small never-analyzed tables. */
export function sampleTargets(relations: CatalogRelation[]): SampleTarget[] {
  const targets: SampleTarget[] = [];
  for (const relation of relations) {
    const bytes = relation.unanalyzedBytes;
    const unanalyzed = bytes !== null && bytes > 0 && bytes <= MAX_SAMPLED_TABLE_BYTES;
    // Statistics keep no common values for a column whose values are all different, so the
    // names of a small analyzed lookup table are read directly.
    const smallLookup =
      relation.kind === 'r' && relation.rowEstimate > 0 && relation.rowEstimate <= SMALL_TABLE_ROWS;
    if (!unanalyzed && !smallLookup) continue;
    for (const column of relation.columns) {
      if (targets.length === MAX_SAMPLED_COLUMNS) return targets;
      const needsRead = unanalyzed ? column.nDistinct === null : !column.commonValues?.length;
      if (column.readable && isWordLike(column.category) && needsRead) targets.push({ relation, column });
    }
  }
  return targets;
}

/** One branch per target: its values by frequency, with distinct and row totals computed over
 *  all groups before the limit applies. Nulls sort last, so they only fill a row the values
 *  leave free (which still carries the totals of an all-null column). */
export function sampleSql(targets: SampleTarget[], maxValues: number): string {
  return targets
    .map(({ relation, column }, i) => {
      const table = `${quoteIdent(relation.schema)}.${quoteIdent(relation.name)}`;
      return (
        `(SELECT ${i} AS target, v, d::int AS distinct_values, t::float8 AS total_rows FROM (` +
        `SELECT v, count(v) OVER () AS d, sum(n) OVER () AS t FROM (` +
        `SELECT ${quoteIdent(column.name)}::text AS v, count(*) AS n FROM ${table} GROUP BY 1) g ` +
        `ORDER BY v IS NULL, n DESC, v LIMIT ${maxValues}) q)`
      );
    })
    .join('\nUNION ALL\n');
}

interface SampleRow {
  target: number;
  v: string | null;
  distinct_values: number;
  total_rows: number;
}

/** Samples keyed by target index; empty when the statement could not run. */
export async function readSamples(
  db: Db,
  targets: SampleTarget[],
  maxValues: number,
): Promise<Map<number, ColumnSample>> {
  const samples = new Map<number, ColumnSample>();
  if (targets.length === 0 || maxValues === 0) return samples;
  const rows = await db
    .session(async (s) => {
      await s.exec(
        `BEGIN READ ONLY; SET LOCAL statement_timeout = ${STATEMENT_TIMEOUT_MS}; ` +
          `SET LOCAL lock_timeout = ${LOCK_TIMEOUT_MS}`,
      );
      try {
        const result = await s.query<SampleRow>(sampleSql(targets, maxValues));
        await s.exec('COMMIT');
        return result;
      } catch (e) {
        await s.exec('ROLLBACK');
        throw e;
      }
    })
    .catch(() => [] as SampleRow[]);
  for (const row of rows) {
    const sample = samples.get(row.target) ?? {
      values: [],
      distinct: row.distinct_values,
      rows: row.total_rows,
    };
    if (row.v !== null) sample.values.push(row.v);
    samples.set(row.target, sample);
  }
  return samples;
}
