import type { Filter, Having, RelatedCount, Scalar, TableKey } from '../../domain/types.ts';
import { NotUnderstood } from '../../errors.ts';
import type { JoinStep } from './joinGraph.ts';
import type { LowerContext } from './lowerContext.ts';
import type { Compare, Condition, CountOf, Expr, Sql, SubSelect } from './selectTree.ts';

// Conditions on rows: a filter's comparison, the correlated sub-queries that test or count a
// row's related rows without joining them, and comparisons of a value with bound numbers.

export function filterSql(ctx: LowerContext, f: Filter): Sql {
  const c = ctx.names.col(f.ref);
  const p = (v: Scalar) => ctx.param(v);
  const values = Array.isArray(f.value) ? f.value : f.value === undefined ? [] : [f.value];
  switch (f.op) {
    case 'is_null':
      return `${c} IS NULL`;
    case 'not_null':
      return `${c} IS NOT NULL`;
    case 'in':
      return `${c} IN (${values.map(p).join(', ')})`;
    case 'not_in':
      return `${c} NOT IN (${values.map(p).join(', ')})`;
    case 'between':
      return `${c} BETWEEN ${p(values[0]!)} AND ${p(values[1]!)}`;
    case 'like':
      return `${c} ILIKE ${p(`%${String(values[0])}%`)}`;
    default:
      return `${c} ${f.op} ${p(values[0]!)}`;
  }
}

/** A sub-query over `path` (non-empty, from the outer row), tied to the outer row by the first
 *  step's keys, then limited by `conditions`. */
export function correlated(
  ctx: LowerContext,
  select: SubSelect['select'],
  path: JoinStep[],
  conditions: Sql[],
): SubSelect {
  const [first, ...rest] = path;
  if (!first) throw new Error('a correlated sub-query needs a path');
  const from = ctx.names.source(first.to);
  const joins = rest.map((s) => ctx.names.join(s));
  return { select, from, joins, where: [ctx.names.joinCondition(first), ...conditions] };
}

/** Rows none of whose related rows match: a correlated NOT EXISTS over the whole path. */
export function noneCondition(ctx: LowerContext, f: Filter): Condition {
  const path = ctx.pathTo(f.ref.table);
  const matches = filterSql(ctx, { ref: f.ref, op: f.op, value: f.value });
  if (!path.length) return `NOT (${matches})`;
  return { kind: 'exists', negated: true, query: correlated(ctx, '1', path, [matches]) };
}

/** How many rows of `table` a row of the root has: a correlated count over the path, 0 for
 *  none. The path must start downwards: a row has one parent, not a count. */
export function relatedCount(ctx: LowerContext, table: TableKey): CountOf {
  const path = ctx.pathTo(table);
  if (path[0]?.direction !== 'down')
    throw new NotUnderstood(
      `Each ${ctx.names.table(ctx.root).name} row has at most one ${ctx.names.table(table).name}, so there is nothing to count.`,
    );
  return { kind: 'count', query: correlated(ctx, 'count(*)', path, []) };
}

/** `left op value`, or BETWEEN for a pair; the values are bound in order. */
export function compare(ctx: LowerContext, left: Expr, op: Having['op'], value: Having['value']): Compare {
  if (op === 'between' && Array.isArray(value))
    return { kind: 'compare', left, op, right: [ctx.param(value[0]), ctx.param(value[1])] };
  return { kind: 'compare', left, op, right: ctx.param(Array.isArray(value) ? value[0] : value) };
}

/** The root's rows kept by how many related rows each has. */
export function relatedCountCondition(ctx: LowerContext, c: RelatedCount): Compare {
  return compare(ctx, relatedCount(ctx, c.table), c.op, c.value);
}
