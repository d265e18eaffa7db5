import type { QueryPlan, ResultColumn, TimeGrain } from '../pipeline/types.ts';

// What a result column means for presentation: money, a count, a share, a time bucket. Read from
// the plan when there is one, else from the column's name and type.

export type NumberStyle = 'money' | 'count' | 'percent' | 'decimal';

const MONEY_TYPE_OID = 790;
const MONEY_WORDS =
  /(^|[^a-z])(total|price|revenue|sales|amount|cost|costs|spent|spend|income|profit|paid|payment|order_value|lifetime_value|ltv|gmv|aov)s?($|[^a-z])/i;
// Words that make a "total …" a count or a ratio rather than money ("total_orders", "sales_share_pct").
const NOT_MONEY_WORDS =
  /(count|number|num|qty|quantity|units|items|orders|customers|products|pct|percent|share|rank|ratio|(^|_)id$)/i;
const PERCENT_WORDS = /(_pct$|percent|(^|_)share($|_))/i;
const COUNT_WORDS = /(^|_)(count|num|number|n|orders|customers|products|items|units|quantity|qty)($|_)/i;

function measureOf(column: ResultColumn, plan?: QueryPlan | null) {
  return plan?.measures.find((m) => m.as === column.name);
}

const isMoneyName = (name: string) => MONEY_WORDS.test(name) && !NOT_MONEY_WORDS.test(name);

export function isMoneyColumn(column: ResultColumn, plan?: QueryPlan | null): boolean {
  if (column.typeOid === MONEY_TYPE_OID) return true;
  const measure = measureOf(column, plan);
  if (measure) {
    if (measure.agg === 'count' || measure.agg === 'count_distinct') return false;
    if (measure.concept) return measure.concept === 'money';
    // sum(orders.total) is money whatever it was named; so is price * quantity.
    const refs =
      measure.expr.kind === 'column'
        ? [measure.expr.ref]
        : measure.expr.kind === 'product'
          ? measure.expr.refs
          : [];
    if (refs.some((r) => isMoneyName(r.column))) return true;
  }
  return isMoneyName(column.name);
}

export function isShareColumn(column: ResultColumn, plan?: QueryPlan | null): boolean {
  return measureOf(column, plan)?.derive === 'share' || PERCENT_WORDS.test(column.name);
}

/** How a number column's values read: money (two decimals), count (none), percent, or plain. */
export function numberStyleOf(column: ResultColumn, plan?: QueryPlan | null, money?: boolean): NumberStyle {
  if (money ?? isMoneyColumn(column, plan)) return 'money';
  if (PERCENT_WORDS.test(column.name)) return 'percent';
  const agg = measureOf(column, plan)?.agg;
  if (agg === 'count' || agg === 'count_distinct' || COUNT_WORDS.test(column.name)) return 'count';
  return 'decimal';
}

/** The time grain a plan bucketed this column by, if any. */
export function grainOf(column: ResultColumn, plan?: QueryPlan | null): TimeGrain | undefined {
  return plan?.dimensions.find((d) => d.as === column.name)?.grain;
}

export type ColumnRole = 'time' | 'category' | 'measure';

/** time = a date/timestamp or a plan dimension with a grain; measure = a number that is not a plan
 *  dimension and not an id; category = everything else that can label a bar. */
export function roleOf(column: ResultColumn, plan?: QueryPlan | null): ColumnRole {
  if (column.kind === 'timestamp' || column.kind === 'date' || grainOf(column, plan)) return 'time';
  const isDimension = plan?.dimensions.some((d) => d.as === column.name) ?? false;
  if (column.kind === 'number' && !isDimension && !/(^|_)id$/i.test(column.name)) return 'measure';
  return 'category';
}
