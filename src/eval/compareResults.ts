import { loadModule, parseSync } from 'libpg-query';
import type { Cell } from '../domain/types.ts';

// Execution accuracy: does a predicted result hold the gold result? Columns are matched by
// their values, not their names (a prediction may name "sales" what the gold calls "revenue"
// and may add columns, such as a label next to an id); rows are compared as multisets, and in
// order when the gold query orders them — rows that tie on every number may swap places.

export interface ResultSet {
  columns: string[];
  rows: Cell[][];
}

function norm(v: Cell): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : Number(v.toPrecision(10)).toString();
  if (typeof v === 'boolean') return String(v);
  if (/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(v)) return norm(Number(v));
  if (/^\d{4}-\d{2}-\d{2}(T|\s|$)/.test(v)) {
    const t = Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v);
    if (!Number.isNaN(t)) return `t${t}`;
  }
  return `s${v}`;
}

function column(rows: string[][], i: number): string[] {
  return rows.map((r) => r[i]!);
}

function sortedKey(values: string[]): string {
  return [...values].sort().join('\u0001');
}

/** Assignments of gold columns to distinct predicted columns whose values match as multisets. */
function* assignments(
  gold: string[][],
  pred: string[][],
  goldCols: number,
  predCols: number,
): Generator<number[]> {
  const goldKeys = Array.from({ length: goldCols }, (_, i) => sortedKey(column(gold, i)));
  const predKeys = Array.from({ length: predCols }, (_, i) => sortedKey(column(pred, i)));
  const chosen: number[] = [];
  function* walk(j: number): Generator<number[]> {
    if (j === goldCols) {
      yield [...chosen];
      return;
    }
    for (let p = 0; p < predCols; p++) {
      if (chosen.includes(p) || predKeys[p] !== goldKeys[j]) continue;
      chosen.push(p);
      yield* walk(j + 1);
      chosen.pop();
    }
  }
  yield* walk(0);
}

function tiesKey(row: string[]): string {
  return row.filter((v) => !v.startsWith('s') && !v.startsWith('t')).join('\u0001');
}

function sameOrder(gold: string[][], projected: string[][]): boolean {
  // Walk groups of consecutive gold rows that tie on their numbers; each group must match the
  // same positions of the prediction as a multiset.
  let i = 0;
  while (i < gold.length) {
    let j = i + 1;
    while (j < gold.length && tiesKey(gold[j]!) === tiesKey(gold[i]!)) j++;
    const g = gold
      .slice(i, j)
      .map((r) => r.join('\u0002'))
      .sort();
    const p = projected
      .slice(i, j)
      .map((r) => r.join('\u0002'))
      .sort();
    if (g.join('\u0003') !== p.join('\u0003')) return false;
    i = j;
  }
  return true;
}

export function resultsMatch(gold: ResultSet, predicted: ResultSet, ordered: boolean): boolean {
  if (gold.rows.length !== predicted.rows.length) return false;
  const g = gold.rows.map((r) => r.map(norm));
  const p = predicted.rows.map((r) => r.map(norm));
  if (g.length === 0) return true;
  for (const map of assignments(g, p, gold.columns.length, predicted.columns.length)) {
    const projected = p.map((r) => map.map((i) => r[i]!));
    if (ordered) {
      if (sameOrder(g, projected)) return true;
    } else if (
      sortedKey(g.map((r) => r.join('\u0002'))) === sortedKey(projected.map((r) => r.join('\u0002')))
    ) {
      return true;
    }
  }
  return false;
}

/** Whether the gold query orders its rows: a top-level ORDER BY, read by PostgreSQL's parser. */
export async function goldOrders(sql: string): Promise<boolean> {
  await loadModule();
  const stmt = parseSync(sql).stmts?.[0]?.stmt as { SelectStmt?: { sortClause?: unknown[] } } | undefined;
  return Boolean(stmt?.SelectStmt?.sortClause?.length);
}

export interface GoldResult {
  result: ResultSet;
  ordered: boolean;
}

/** A question may have several right answers (an id or a name, with or without a label). */
export function matchesAnyGold(golds: GoldResult[], predicted: ResultSet): boolean {
  return golds.some((g) => resultsMatch(g.result, predicted, g.ordered));
}
