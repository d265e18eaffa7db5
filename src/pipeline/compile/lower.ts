import type { Dimension, Measure, QueryPlan, SchemaInfo } from '../../domain/types.ts';
import { NotUnderstood } from '../../errors.ts';
import { calendarOrder } from './calendar.ts';
import { dimensionExpr, entityKeys, selectColumn } from './columns.ts';
import { compare } from './conditions.ts';
import { needsOf, placeJoins } from './joinPlacement.ts';
import { LowerContext } from './lowerContext.ts';
import { aggregate, measureAggregate, measureInput, measureItems, ratioItems } from './measures.ts';
import { quoteIdent } from './quote.ts';
import { type CompileOptions, rowLimit } from './rowLimit.ts';
import type {
  Aggregate,
  Compare,
  Condition,
  From,
  LoweredQuery,
  OrderItem,
  SelectItem,
  SelectTree,
  Sql,
} from './selectTree.ts';
import { whereConditions } from './whereClause.ts';

// Lowering: every decision that turns a plan into a SELECT — which tables are joined and which
// only tested with EXISTS, when rows repeat under a one-to-many join and how measures are kept
// from counting them twice, HAVING for thresholds on totals — made here and recorded in the
// tree. Values are bound in the order they are met, which is the order of their placeholders.

export function lowerPlan(plan: QueryPlan, schema: SchemaInfo, options: CompileOptions = {}): LoweredQuery {
  const ctx = new LowerContext(plan, schema);
  const placement = placeJoins(ctx.root, needsOf(plan), (t) => ctx.pathTo(t));
  const where = whereConditions(ctx, placement);
  const from: From = {
    kind: 'table',
    source: ctx.names.source(ctx.root),
    joins: placement.joined.map((s) => ctx.names.join(s)),
  };
  const tree = selectStatement(ctx, from, where, placement.fanOut, options);
  return { tree, params: ctx.writer.values };
}

function selectStatement(
  ctx: LowerContext,
  from: From,
  where: Condition[],
  fanOut: boolean,
  options: CompileOptions,
): SelectTree {
  const { plan } = ctx;
  const dims = plan.dimensions.map((d) => ({ d, expr: dimensionExpr(ctx, d) }));
  // Sums, averages and medians would add a root row once per joined child.
  const needsDistinctBase = fanOut && plan.measures.some((m) => ['sum', 'avg', 'median'].includes(m.agg));
  if (needsDistinctBase && plan.measures.some((m) => m.where?.length)) {
    throw new NotUnderstood(
      "I can't compare those two amounts safely across the rows they are spread over; ask for each on its own.",
    );
  }
  const grouped = needsDistinctBase
    ? overDistinctBase(ctx, from, where, dims)
    : overJoinedRows(ctx, from, where, dims, fanOut);
  return {
    ...grouped,
    groupBy: [...new Set(grouped.groupBy)],
    // The base holds each dimension under its name; the joined rows group by its expression.
    orderBy: orderBy(ctx, (d) => (needsDistinctBase ? quoteIdent(d.as) : dimensionExpr(ctx, d))),
    limit: rowLimit(plan, options),
  };
}

/** A dimension and the expression it groups by. */
type Dim = { d: Dimension; expr: Sql };
/** The statement up to its order and limit. */
type Grouped = Omit<SelectTree, 'orderBy' | 'limit'>;

/** Measures taken straight over the joined rows. */
function overJoinedRows(
  ctx: LowerContext,
  from: From,
  where: Condition[],
  dims: Dim[],
  fanOut: boolean,
): Grouped {
  const { plan } = ctx;
  const aggregateOf = (m: Measure) => measureAggregate(ctx, m, fanOut);
  const select: SelectItem[] = [
    ...dims.map(({ d, expr }) => ({ expr, as: d.as })),
    ...(plan.select ?? []).map((r) => selectColumn(ctx, r)),
    ...plan.measures.flatMap((m) => measureItems(m, aggregateOf(m))),
    ...ratioItems(ctx, aggregateOf),
  ];
  return {
    distinct: Boolean(plan.distinct) && !plan.measures.length,
    select,
    from,
    where,
    groupBy: plan.measures.length ? [...dims.map(({ expr }) => expr), ...entityKeys(ctx)] : [],
    having: havingConditions(ctx, aggregateOf),
  };
}

/** Each root row once per group: a line that belongs to two categories counts in both, but
 *  never twice in one (docs/architecture.md#the-compiler). The base holds the root's key, the
 *  groups and each measure's input; the outer query aggregates it. */
function overDistinctBase(ctx: LowerContext, from: From, where: Condition[], dims: Dim[]): Grouped {
  const { plan } = ctx;
  const key = ctx.rootKey();
  if (!key.length) {
    throw new NotUnderstood(
      `I can't add that up safely: ${ctx.names.table(ctx.root).name} has no key to tell its rows apart.`,
    );
  }
  const base: SelectTree = {
    distinct: true,
    select: [
      ...key.map((k, i) => ({ expr: k, as: `__k${i}` })),
      ...dims.map(({ d, expr }) => ({ expr, as: d.as })),
      ...plan.measures.flatMap((m, i) =>
        m.expr.kind === 'rows' ? [] : [{ expr: measureInput(ctx, m.expr), as: `__m${i}` }],
      ),
    ],
    from,
    where,
    groupBy: [],
    having: [],
    orderBy: [],
  };
  const aggregateOf = (m: Measure) =>
    aggregate(ctx, m, m.expr.kind === 'rows' ? '*' : `__m${plan.measures.indexOf(m)}`, false);
  const grouping = dims.map(({ d }) => quoteIdent(d.as));
  return {
    distinct: false,
    select: [
      ...grouping.map((expr) => ({ expr })),
      ...plan.measures.flatMap((m) => measureItems(m, aggregateOf(m))),
      ...ratioItems(ctx, aggregateOf),
    ],
    from: { kind: 'base', query: base },
    where: [],
    groupBy: grouping,
    having: havingConditions(ctx, aggregateOf),
  };
}

/** Thresholds on totals ("more than 5 orders"): HAVING on the measure's aggregate. */
function havingConditions(ctx: LowerContext, aggregateOf: (m: Measure) => Aggregate): Compare[] {
  return (ctx.plan.having ?? []).flatMap((h) => {
    const m = ctx.plan.measures.find((x) => x.as === h.measure);
    return m ? [compare(ctx, aggregateOf(m), h.op, h.value)] : [];
  });
}

/** The plan's order by the names it knows; else time order, else the first measure, largest
 *  first, when there are groups. */
function orderBy(ctx: LowerContext, grouped: (d: Dimension) => Sql): OrderItem[] {
  const p = ctx.plan;
  const known = new Map<string, Sql>();
  for (const d of p.dimensions)
    known.set(d.as, d.part ? calendarOrder(d.part, grouped(d)) : quoteIdent(d.as));
  for (const m of p.measures) known.set(m.as, quoteIdent(m.as));
  if (p.ratio) known.set(p.ratio.as, quoteIdent(p.ratio.as));
  for (const s of p.select ?? []) known.set(s.column, ctx.names.col(s));
  const items = (p.orderBy ?? []).flatMap((o): OrderItem[] => {
    const expr = known.get(o.by);
    return expr ? [{ expr, dir: o.dir === 'asc' ? 'ASC' : 'DESC' }] : [];
  });
  if (items.length) return items;
  const timeDim = p.dimensions.find((d) => d.grain);
  if (timeDim) return [{ expr: quoteIdent(timeDim.as), dir: 'ASC' }];
  // "by year and month", "by day of the week": as the calendar runs.
  if (p.dimensions.some((d) => d.part))
    return p.dimensions.map((d) => ({ expr: known.get(d.as)!, dir: 'ASC' }));
  if (p.dimensions.length && p.measures[0]) return [{ expr: quoteIdent(p.measures[0].as), dir: 'DESC' }];
  // Distinct values read best in order.
  if (p.distinct && !p.measures.length)
    return (p.select ?? []).map((s) => ({ expr: ctx.names.col(s), dir: 'ASC' }));
  return [];
}
