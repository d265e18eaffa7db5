import type { Measure, MeasureExpr } from '../../domain/types.ts';
import { filterSql, relatedCount } from './conditions.ts';
import type { LowerContext } from './lowerContext.ts';
import type { Aggregate, CountOf, SelectItem, Sql } from './selectTree.ts';

// A measure as aggregates: what is aggregated, the fan-out guard on counting rows, the
// measure's own condition, and the columns derived from it (share of the total, a ratio).

/** What a measure aggregates: a column, a product of columns, the rows ('*'), or each row's
 *  count of related rows. */
export function measureInput(ctx: LowerContext, expr: MeasureExpr): Sql | CountOf {
  switch (expr.kind) {
    case 'column':
      return ctx.names.col(expr.ref);
    case 'product':
      return expr.refs.map((r) => ctx.names.col(r)).join(' * ');
    case 'rows':
      return '*';
    case 'related':
      return relatedCount(ctx, expr.rows);
  }
}

const call = (fn: Aggregate['fn'], arg: Sql | CountOf, distinct = false): Aggregate => ({
  kind: 'aggregate',
  fn,
  distinct,
  arg,
  filter: [],
});

/** The measure's aggregate over `arg`. Under a fan-out, counting rows counts the root's
 *  distinct keys, so a root row joined to many children is counted once. */
export function aggregate(ctx: LowerContext, m: Measure, arg: Sql | CountOf, fanOut: boolean): Aggregate {
  switch (m.agg) {
    case 'count':
      if (arg !== '*') return call('count', arg);
      if (!fanOut) return call('count', '*');
      return call('count', distinctRoot(ctx), true);
    case 'count_distinct':
      return call('count', arg === '*' ? ctx.names.alias(ctx.root) : arg, true);
    default:
      return call(m.agg, arg);
  }
}

/** What tells root rows apart: a one-column key, else the whole row. */
function distinctRoot(ctx: LowerContext): Sql {
  const key = ctx.rootKey();
  return key.length === 1 ? key[0]! : ctx.names.alias(ctx.root);
}

/** The aggregate limited to the measure's own rows, when it has a condition. */
export function measureAggregate(ctx: LowerContext, m: Measure, fanOut: boolean): Aggregate {
  const agg = aggregate(ctx, m, measureInput(ctx, m.expr), fanOut);
  return { ...agg, filter: (m.where ?? []).map((f) => filterSql(ctx, f)) };
}

/** The measure's column, and its share of the total when asked for. */
export function measureItems(m: Measure, agg: Aggregate): SelectItem[] {
  const items: SelectItem[] = [{ expr: agg, as: m.as }];
  if (m.derive === 'share') items.push({ expr: { kind: 'share', of: agg }, as: `${m.as}_share_pct` });
  return items;
}

/** "ratio": the numerator over the denominator, as a fraction; no rows below gives null. */
export function ratioItems(ctx: LowerContext, aggregateOf: (m: Measure) => Aggregate): SelectItem[] {
  const r = ctx.plan.ratio;
  if (!r) return [];
  const num = ctx.plan.measures.find((m) => m.as === r.numerator);
  const den = ctx.plan.measures.find((m) => m.as === r.denominator);
  if (!num || !den) throw new Error(`ratio of unknown measures ${r.numerator}, ${r.denominator}`);
  return [{ expr: { kind: 'ratio', numerator: aggregateOf(num), denominator: aggregateOf(den) }, as: r.as }];
}
