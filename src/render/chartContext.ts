import type { Cell, QueryPlan, ResultColumn, TimeGrain } from '../domain/types.ts';
import { guessGrain, toNumber } from './chartData.ts';
import type { ValueFormat } from './chartSpec.ts';
import { grainOf, isShareColumn, numberStyleOf, roleOf } from './columnKinds.ts';
import { describePeriod, humanize } from './describe.ts';
import { formatCell } from './format.ts';
import { DEFAULT_CURRENCY, safeLocale } from './numbers.ts';

// What the chart builders need to know about one answer: which columns are time, categories and
// measures, how values read, and the title. Worked out once per answer.

export interface ChartInput {
  question: string;
  columns: ResultColumn[];
  rows: Cell[][];
  plan?: QueryPlan | null;
  /** The same measure for the previous period, for a big number's change. */
  previousValue?: number | string | null;
  locale?: string;
  timeZone?: string;
  /** ISO 4217 code for money columns; USD when not given. */
  currency?: string;
}

export interface ChartContext {
  columns: ResultColumn[];
  rows: Cell[][];
  plan: QueryPlan | null;
  previousValue: number | null;
  /** Column indexes by role; measures only where some value is a number. */
  time: number[];
  categories: number[];
  measures: number[];
  /** The answer is shares of a whole. */
  share: boolean;
  locale: string;
  timeZone?: string;
  currency: string;
  title: string;
  period: string;
}

const CHART_REQUEST =
  /\s*(,?\s*(as|in|on)\s+an?\s+)?(line|bar|pie|doughnut|donut|area|scatter)\s*(chart|graph|plot)?\s*[.?!]*$/i;
const LEADING_VERB =
  /^(please\s+)?(can you\s+|could you\s+)?(show|give|plot|chart|graph|draw|display|list|get)(\s+(me|us))?\s+/i;
const MAX_TITLE_WIDTH = 90;

/** "show me total sales by month as a line chart" → "Total sales by month". */
export function titleFrom(question: string): string {
  const text = question
    .trim()
    .replace(/\s+/g, ' ')
    .replace(CHART_REQUEST, '')
    .replace(LEADING_VERB, '')
    .trim();
  const title = text.charAt(0).toUpperCase() + text.slice(1);
  return title.length > MAX_TITLE_WIDTH ? `${title.slice(0, MAX_TITLE_WIDTH - 1).trimEnd()}…` : title;
}

/** Drops `x_share_pct` when `x` is shown too: the same numbers as a percentage. */
function withoutShareTwins(measures: number[], columns: ResultColumn[]): number[] {
  const names = new Set(measures.map((i) => columns[i]!.name));
  return measures.filter((i) => {
    const m = /^(.*)_share_pct$/.exec(columns[i]!.name);
    return !(m && names.has(m[1]!));
  });
}

/** A ratio answer is about the ratio: the two measures it divides are shown in the table, but
 *  the big number or the bars are the ratio alone. */
function ratioAlone(measures: number[], columns: ResultColumn[], plan: QueryPlan | null): number[] {
  const ratio = plan?.ratio;
  const i = ratio ? columns.findIndex((c) => c.name === ratio.as) : -1;
  return measures.includes(i) ? [i] : measures;
}

export function chartContext(input: ChartInput): ChartContext {
  const plan = input.plan ?? null;
  const { columns, rows } = input;
  const roles = columns.map((c) => roleOf(c, plan));
  const indexes = (role: string) => roles.flatMap((r, i) => (r === role ? [i] : []));
  const plottable = indexes('measure').filter((i) => rows.some((row) => toNumber(row[i]) !== null));
  return {
    columns,
    rows,
    plan,
    previousValue: toNumber(input.previousValue ?? null),
    time: indexes('time'),
    categories: indexes('category'),
    measures: ratioAlone(withoutShareTwins(plottable, columns), columns, plan),
    share: plottable.some((i) => isShareColumn(columns[i]!, plan)),
    locale: safeLocale(input.locale),
    timeZone: input.timeZone,
    currency: input.currency ?? DEFAULT_CURRENCY,
    title: titleFrom(input.question),
    period: describePeriod(plan),
  };
}

export function valueFormat(ctx: ChartContext, index: number): ValueFormat {
  return { style: numberStyleOf(ctx.columns[index]!, ctx.plan), currency: ctx.currency, locale: ctx.locale };
}

/** An axis title with its unit: "Total sales (USD)", "Share (%)". */
export function axisTitle(ctx: ChartContext, index: number): string {
  const name = humanize(ctx.columns[index]!.name);
  const style = numberStyleOf(ctx.columns[index]!, ctx.plan);
  if (style === 'money') return `${name} (${ctx.currency})`;
  if (style === 'percent') return `${name.replace(/ pct$/i, '')} (%)`;
  return name;
}

export function columnTitle(ctx: ChartContext, index: number): string {
  return humanize(ctx.columns[index]!.name);
}

export function grainFor(ctx: ChartContext, index: number): TimeGrain | undefined {
  const column = ctx.columns[index]!;
  return (
    grainOf(column, ctx.plan) ??
    guessGrain(ctx.rows.flatMap((row) => (typeof row[index] === 'string' ? [row[index] as string] : [])))
  );
}

/** A category value as a label (NULL → "—", long names cut). */
export function categoryLabel(
  ctx: ChartContext,
  cell: Cell | undefined,
  index: number,
  maxWidth = 32,
): string {
  return formatCell(cell ?? null, ctx.columns[index]!, {
    locale: ctx.locale,
    timeZone: ctx.timeZone,
    maxWidth,
  });
}

/** Whether adding values up across a second dimension means something (sums and counts do;
 *  averages, extremes and distinct counts do not), which decides stacked vs grouped bars. */
export function isAdditive(ctx: ChartContext, index: number): boolean {
  const column = ctx.columns[index]!;
  const measure = ctx.plan?.measures.find((m) => m.as === column.name);
  if (measure) return measure.agg === 'sum' || measure.agg === 'count';
  return !/(avg|average|mean|median|min|max|rate|ratio|pct|percent|share)/i.test(column.name);
}
