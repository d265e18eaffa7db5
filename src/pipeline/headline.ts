import { measureTable } from '../domain/planParts.ts';
import type { Answer, Having, Measure, QueryPlan, ResultColumn, TableKey } from '../domain/types.ts';
import { isMoneyColumn } from '../render/columnKinds.ts';
import { humanize } from '../render/describe.ts';
import { formatCell } from '../render/format.ts';
import { formatNumber } from '../render/numbers.ts';
import { filterPhrases } from './headline/filters.ts';
import { columnWords, dimensionNoun, plural, tableNoun } from './headline/nouns.ts';
import { periodWords } from './headline/period.ts';

// The headline is written from the plan, never from the question: what was measured, every
// filter, the period as dates, the grouping, the order and how many rows exist. So it cannot
// say something the SQL did not do ("Sales for customers in Germany, last month (1–30 Nov 2026):
// $5,983.75"), and a list that was cut says so ("top 100 of 108 countries").

export interface HeadlineOptions {
  locale?: string;
  timeZone?: string;
  /** The clock relative periods are resolved against; the current time when absent. */
  now?: Date;
}

export type HeadlineAnswer = Pick<
  Answer,
  'plan' | 'columns' | 'rows' | 'rowCount' | 'truncated' | 'totalRows'
>;

const HAVING_WORDS: Record<Having['op'], string> = {
  '=': 'of exactly',
  '<>': 'other than',
  '<': 'under',
  '<=': 'at most',
  '>': 'over',
  '>=': 'at least',
  between: 'between',
};

/** The same, for how many rows: "more than 10 orders", "fewer than 3". */
const COUNT_WORDS: Record<Having['op'], string> = {
  ...HAVING_WORDS,
  '<': 'fewer than',
  '>': 'more than',
};

const countWords = (op: Having['op'], value: number | [number, number], noun: string) => {
  const n = (v: number) => formatNumber(v, 'count');
  return `${COUNT_WORDS[op]} ${Array.isArray(value) ? `${n(value[0])} and ${n(value[1])}` : n(value)} ${noun}`;
};

/** "with more than 10 orders", "with no orders": how many related rows each row has. */
function relatedCountWords(plan: QueryPlan): string {
  return (plan.relatedCounts ?? [])
    .map((c) =>
      c.op === '=' && c.value === 0
        ? `with no ${tableNoun(c.table)}`
        : `with ${countWords(c.op, c.value, tableNoun(c.table))}`,
    )
    .join(' and ');
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function rootOf(plan: QueryPlan): TableKey {
  return plan.measures[0] ? measureTable(plan.measures[0].expr) : plan.baseTable;
}

const countsRootRows = (m: Measure, root: TableKey) =>
  m.agg === 'count' && m.expr.kind === 'rows' && m.expr.table === root;

/** One side of a ratio: "orders with status completed", "customers in Germany". */
function ratioSide(m: Measure, root: TableKey): string {
  if (!countsRootRows(m, root)) return humanize(m.as).toLowerCase();
  const { own, related } = filterPhrases(m.where ?? [], root);
  return [tableNoun(root), own, related && `for ${related}`].filter(Boolean).join(' ');
}

/** What was measured or listed, with its filters: "Sales for customers in Germany". */
function measured(plan: QueryPlan): string {
  const root = rootOf(plan);
  const ratio = plan.ratio;
  const num = ratio && plan.measures.find((m) => m.as === ratio.numerator);
  const den = ratio && plan.measures.find((m) => m.as === ratio.denominator);
  if (num && den) {
    const { own, related } = filterPhrases(plan.filters, root);
    const scope = [own && `${tableNoun(root)} ${own}`, related].filter(Boolean).join(' and ');
    return `Ratio of ${ratioSide(num, root)} to ${ratioSide(den, root)}${scope ? `, among ${scope}` : ''}`;
  }
  const filtered = filterPhrases(plan.filters, root);
  const { own, absent } = filtered;
  // "for domains with name X, through publications": the way the condition was reached.
  const through = plan.via?.length ? `, through ${plan.via.map((t) => tableNoun(t)).join(' and ')}` : '';
  const related = filtered.related && `${filtered.related}${through}`;
  const without = [absent && `with ${absent}`, relatedCountWords(plan)].filter(Boolean).join(' and ');
  const [first, ...rest] = plan.measures;
  if (!first || countsRootRows(first, root)) {
    const [listed, ...alsoListed] = plan.distinct ? (plan.select ?? []) : [];
    const names = first
      ? [humanize(first.as), ...rest.map((m) => humanize(m.as).toLowerCase())].join(' and ')
      : listed && !alsoListed.length
        ? capitalize(`${plural(columnWords(listed.column))} of ${tableNoun(root)}`)
        : capitalize(tableNoun(root));
    return [names, own, related && `for ${related}`, without].filter(Boolean).join(' ');
  }
  const names = [humanize(first.as), ...rest.map((m) => humanize(m.as).toLowerCase())].join(' and ');
  const scope = [(own || without) && [tableNoun(root), own, without].filter(Boolean).join(' '), related]
    .filter(Boolean)
    .join(' and ');
  return scope ? `${names} for ${scope}` : names;
}

/** "with over 10 orders" on a count; "with spent over 5,000 in total" on a sum. */
function havingWords(plan: QueryPlan): string {
  const n = (v: number) => formatNumber(v, 'count');
  return (plan.having ?? [])
    .map((h) => {
      const value = Array.isArray(h.value) ? `${n(h.value[0])} and ${n(h.value[1])}` : n(h.value);
      const measure = plan.measures.find((m) => m.as === h.measure);
      const words = humanize(h.measure).toLowerCase();
      if (measure?.agg === 'count') return `with ${countWords(h.op, h.value, words)}`;
      return `with ${words} ${HAVING_WORDS[h.op]} ${value}${measure?.agg === 'sum' ? ' in total' : ''}`;
    })
    .join(' and ');
}

/** The ranking measure of a grouped plan and its direction, when its rows are ranked by one. */
function rankedBy(plan: QueryPlan): { measure: string; dir: 'asc' | 'desc' } | null {
  if (!plan.dimensions.length || !plan.measures[0]) return null;
  const order = plan.orderBy?.[0];
  if (order)
    return plan.measures.some((m) => m.as === order.by) || plan.ratio?.as === order.by
      ? { measure: order.by, dir: order.dir }
      : null;
  // Without an order the compiler sorts groups by the first measure, largest first; trends by time.
  return plan.dimensions.some((d) => d.grain) ? null : { measure: plan.measures[0].as, dir: 'desc' };
}

/** ", newest first", " by price, highest first": an order the rows are not ranked by a measure in. */
function orderWords(plan: QueryPlan, columns: ResultColumn[]): string {
  const order = plan.orderBy?.[0];
  if (!order || rankedBy(plan)) return '';
  const dimension = plan.dimensions.find((d) => d.as === order.by);
  if ((dimension?.grain || dimension?.part) && order.dir === 'asc') return '';
  const kind = dimension?.grain ? 'timestamp' : columns.find((c) => c.name === order.by)?.kind;
  if (kind === 'timestamp' || kind === 'date')
    return order.dir === 'desc' ? ', newest first' : ', oldest first';
  const name = dimension ? dimensionNoun(dimension) : columnWords(order.by);
  // A grouping is already named ("by status"): say only which way it runs.
  const lead = dimension ? `, ${name}` : ` by ${name},`;
  if (kind === 'number') return `${lead} ${order.dir === 'desc' ? 'highest' : 'lowest'} first`;
  if (dimension) return `${lead} ${order.dir === 'asc' ? 'A to Z' : 'Z to A'}`;
  return order.dir === 'asc' ? ` by ${name}` : ` by ${name}, Z to A`;
}

/** Everything the rows are: "Sales by country, last month (1–30 Nov 2026)". */
function subjectOf(plan: QueryPlan, columns: ResultColumn[], options: HeadlineOptions): string {
  const grouping = plan.dimensions.length ? ` by ${plan.dimensions.map(dimensionNoun).join(' and ')}` : '';
  const having = havingWords(plan);
  const tr = plan.timeRange;
  // "Customers with orders, yesterday": a period on related rows says whose time it is, or it
  // would read as when the customers themselves were created.
  const root = rootOf(plan);
  const whose =
    tr && tr.column.table !== root && (!plan.measures[0] || countsRootRows(plan.measures[0], root))
      ? ` with ${tableNoun(tr.column.table)}`
      : '';
  const period = tr ? `, ${periodWords(tr, options.now ?? new Date(), options.timeZone)}` : '';
  const share = plan.measures.some((m) => m.derive === 'share') ? ', with each share of the total' : '';
  return `${measured(plan)}${whose}${grouping}${having && ` ${having}`}${share}${orderWords(plan, columns)}${period}`;
}

/** What one row is, in the plural: "countries", "months", "customers", "rows". */
function rowNoun(plan: QueryPlan | null, n: number): string {
  const one = (noun: string) => (n === 1 ? noun : plural(noun));
  if (!plan || plan.sql) return one('row');
  if (plan.dimensions.length === 1) return one(dimensionNoun(plan.dimensions[0]!));
  if (plan.dimensions.length > 1) return one('row');
  // "8 categories": distinct values are counted by what they are.
  const [only, ...more] = plan.distinct ? (plan.select ?? []) : [];
  if (only && !more.length) return one(columnWords(only.column));
  const table = tableNoun(rootOf(plan));
  return n === 1 ? table.replace(/s$/, '') : table;
}

/** "12 countries", "top 100 of 108 countries", "first 1,000 rows; more exist". */
function howMany(answer: HeadlineAnswer, locale?: string): string {
  const count = (n: number) => formatNumber(n, 'count', { locale });
  const shown = answer.rowCount;
  const total = answer.totalRows;
  const ranked = answer.plan ? rankedBy(answer.plan) : null;
  const lead = ranked ? (ranked.dir === 'desc' ? 'top' : 'bottom') : 'first';
  if (typeof total === 'number' && total > shown)
    return `${lead} ${count(shown)} of ${count(total)} ${rowNoun(answer.plan, total)}`;
  const noun = rowNoun(answer.plan, shown);
  if (answer.truncated) return `${lead} ${count(shown)} ${noun}; more exist`;
  if (total === null) return `${lead} ${count(shown)} ${noun}; there may be more`;
  return `${count(shown)} ${noun}`;
}

function cellText(answer: HeadlineAnswer, column: number, options: HeadlineOptions): string {
  const col = answer.columns[column]!;
  return formatCell(answer.rows[0]?.[column] ?? null, col, {
    locale: options.locale,
    timeZone: options.timeZone,
    grain: answer.plan?.dimensions.find((d) => d.as === col.name)?.grain,
    money: isMoneyColumn(col, answer.plan),
    plan: answer.plan,
  });
}

interface Leader {
  /** "top", "lowest" or "first". */
  word: string;
  /** "Germany with $5,983.75 sales", "Widget ($99.00)". */
  text: string;
}

/** The first row of a ordered list, by its label and the value it is ordered by. */
function leaderOf(answer: HeadlineAnswer, options: HeadlineOptions): Leader | null {
  const plan = answer.plan;
  if (!plan || answer.rows.length === 0) return null;
  const ranked = rankedBy(plan);
  const by = ranked?.measure ?? (plan.measures.length ? undefined : plan.orderBy?.[0]?.by);
  if (!by) return null;
  const valueIdx = answer.columns.findIndex((c) => c.name === by);
  // A row is named by its first text column ("Origin Pasta 500g"), not by its id.
  const textIdx = answer.columns.findIndex((c, i) => i !== valueIdx && c.kind === 'text');
  const labelIdx = textIdx >= 0 ? textIdx : answer.columns.findIndex((_, i) => i !== valueIdx);
  if (valueIdx < 0 || labelIdx < 0) return null;
  const label = cellText(answer, labelIdx, options);
  const value = cellText(answer, valueIdx, options);
  if (!ranked) return { word: 'first', text: `${label} (${value})` };
  return {
    word: ranked.dir === 'desc' ? 'top' : 'lowest',
    text: `${label} with ${value} ${humanize(by).toLowerCase()}`,
  };
}

/** A list's size and its first row: "12 countries; top: Germany with …", or for one row
 *  "Germany with …, top of 12 countries". */
function listOutcome(answer: HeadlineAnswer, options: HeadlineOptions): string {
  const size = howMany(answer, options.locale);
  const leader = leaderOf(answer, options);
  if (!leader) return size;
  if (answer.rowCount > 1) return `${size}; ${leader.word}: ${leader.text}`;
  const total = answer.totalRows;
  if (typeof total === 'number' && total > 1) {
    const count = formatNumber(total, 'count', { locale: options.locale });
    return `${leader.text}, ${leader.word === 'lowest' ? 'bottom' : leader.word} of ${count} ${rowNoun(answer.plan, total)}`;
  }
  return answer.truncated || total === null ? `${leader.text} (${size})` : leader.text;
}

/** One value per measure: "$5,983.75", or "$5,983.75 sales, 42 orders" for several; a ratio
 *  first, with what it divides: "16.34 (8,986 to 550)". */
function values(answer: HeadlineAnswer, options: HeadlineOptions): string {
  if (answer.columns.length === 1) return cellText(answer, 0, options);
  const ratio = answer.plan?.ratio;
  const at = (name?: string) => answer.columns.findIndex((c) => c.name === name);
  if (ratio && at(ratio.as) >= 0 && at(ratio.numerator) >= 0 && at(ratio.denominator) >= 0)
    return `${cellText(answer, at(ratio.as), options)} (${cellText(answer, at(ratio.numerator), options)} to ${cellText(answer, at(ratio.denominator), options)})`;
  return answer.columns
    .map((c, i) => `${cellText(answer, i, options)} ${humanize(c.name).toLowerCase()}`)
    .join(', ');
}

/** What a plan computes, before it runs: the headline's subject and how many rows a ranking
 *  keeps ("Sales by product, top 5"). Offered as a reading when a question is asked back. */
export function describePlan(plan: QueryPlan, options: HeadlineOptions = {}): string {
  const ranked = rankedBy(plan);
  const kept = ranked && plan.limit ? `, ${ranked.dir === 'desc' ? 'top' : 'bottom'} ${plan.limit}` : '';
  return `${subjectOf(plan, [], options)}${kept}`;
}

export function writeHeadline(answer: HeadlineAnswer, options: HeadlineOptions = {}): string {
  const plan = answer.plan && !answer.plan.sql ? answer.plan : null;
  const single =
    answer.rows.length === 1 &&
    (plan ? !plan.dimensions.length && !plan.select?.length : answer.columns.length === 1);
  if (!plan) {
    if (single) return `${humanize(answer.columns[0]!.name)}: ${cellText(answer, 0, options)}`;
    return answer.rows.length ? `${capitalize(howMany(answer, options.locale))}.` : 'No matching rows.';
  }
  const subject = subjectOf(plan, answer.columns, options);
  if (answer.rows.length === 0) return `${subject}: no matching rows`;
  if (single) return `${subject}: ${values(answer, options)}`;
  return `${subject}: ${listOutcome(answer, options)}`;
}
