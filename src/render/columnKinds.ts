import type { QueryPlan, ResultColumn, TimeGrain } from '../domain/types.ts';

// What a result column means for presentation: money, a count, a share, a time bucket. Read from
// the plan when there is one, else from the column's name and type.

/** `identifier`: ids, keys, codes and years, shown as stored ("10211", never "10,211"). */
export type NumberStyle = 'money' | 'count' | 'percent' | 'decimal' | 'identifier';

const MONEY_TYPE_OID = 790;
const MONEY_WORDS =
  /(^|[^a-z])(total|subtotal|price|revenue|sales|amount|cost|costs|spent|spend|income|profit|paid|payment|order_value|lifetime_value|ltv|gmv|aov|salary|salaries|wage|budget|fee|charge|mrr|arr|balance|compensation|earnings)s?($|[^a-z])/i;
// Words that make a "total …" a count or a ratio rather than money ("total_orders", "sales_share_pct").
const NOT_MONEY_WORDS =
  /(count|number|num|qty|quantity|units|items|orders|customers|products|pct|percent|share|rank|ratio|(^|_)id$)/i;
const PERCENT_WORDS = /(_pct$|percent|(^|_)share($|_))/i;
const COUNT_WORDS = /(^|_)(count|num|number|n|orders|customers|products|items|units|quantity|qty)($|_)/i;

// Names of columns that identify or date rather than measure: `id`, `customer_id`, `customerId`,
// `paperid`, `zip_code`, `order_number`, `year`. A one-word `…id` must not be an English word
// that ends so ("paid", "valid").
const IDENTIFIER_WORDS =
  /((^|_)(id|key|code|no|number|num|zip|zipcode|postcode|sku|year|yr|fiscal_year)|[a-z0-9]Id|ID|[a-z]Key|[a-z]Code|[a-z]Year)$/;
const ONE_WORD_ID = /^[a-z]{3,}id$/;
const ENDS_LIKE_ID =
  /(paid|valid|void|fluid|liquid|rapid|hybrid|humid|solid|squid|grid|acid|timid|vivid|stupid|candid|splendid|lucid|rigid|orchid|pyramid|avoid)$/;

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
    // Otherwise the columns it adds up decide, not its name: sum(hours) named total_hours is hours.
    if (refs.length) return refs.some((r) => isMoneyName(r.column));
  }
  return isMoneyName(column.name);
}

export function isShareColumn(column: ResultColumn, plan?: QueryPlan | null): boolean {
  return measureOf(column, plan)?.derive === 'share' || PERCENT_WORDS.test(column.name);
}

/** Whether a column names rows or years rather than measuring them: never a quantity. */
export function isIdentifierColumn(column: ResultColumn, plan?: QueryPlan | null): boolean {
  if (column.typeOid === MONEY_TYPE_OID || measureOf(column, plan)) return false;
  const name = column.name;
  return IDENTIFIER_WORDS.test(name) || (ONE_WORD_ID.test(name) && !ENDS_LIKE_ID.test(name));
}

/** How a number column's values read: money (two decimals), count (none), percent, an
 *  identifier (as stored), or plain. */
export function numberStyleOf(column: ResultColumn, plan?: QueryPlan | null, money?: boolean): NumberStyle {
  if (money) return 'money';
  if (isIdentifierColumn(column, plan)) return 'identifier';
  if (money === undefined && isMoneyColumn(column, plan)) return 'money';
  if (PERCENT_WORDS.test(column.name)) return 'percent';
  const agg = measureOf(column, plan)?.agg;
  if (agg === 'count' || agg === 'count_distinct') return 'count';
  // An average of counts ("orders per customer": 4.9977) is not a whole number.
  if (agg === 'avg' || agg === 'median') return 'decimal';
  return COUNT_WORDS.test(column.name) ? 'count' : 'decimal';
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
  if (column.kind === 'number' && !isDimension && !isIdentifierColumn(column, plan)) return 'measure';
  return 'category';
}
