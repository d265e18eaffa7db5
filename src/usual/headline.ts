import type { Answer, Cell, Measure, QueryPlan, ResultColumn } from '../domain/types.ts';
import { toNumber } from '../render/chartData.ts';
import { numberStyleOf } from '../render/columnKinds.ts';
import { humanize } from '../render/describe.ts';
import { formatCell } from '../render/format.ts';

// The one value a dashboard panel leads with, and how it moved against the period before. A
// single number is itself; a breakdown or a trend of an additive measure (sum, count) is its
// total, so "sales by category last month" and "sales by category the month before" compare.

export interface Headline {
  text: string;
  /** The number compared with the previous period; null when the answer has none to compare. */
  value: number | null;
}

export interface Change {
  previous: number;
  /** Percent change; null when the previous value was zero. */
  pct: number | null;
}

export interface HeadlineOptions {
  locale?: string;
  timeZone?: string;
}

const ADDITIVE = new Set<Measure['agg']>(['sum', 'count']);

function measureIndex(answer: Answer): number {
  const named = answer.plan?.measures[0]?.as;
  const byName = named ? answer.columns.findIndex((c) => c.name === named) : -1;
  return byName >= 0 ? byName : answer.columns.findIndex((c) => c.kind === 'number');
}

function firstMeasure(plan: QueryPlan | null): Measure | undefined {
  return plan?.measures[0];
}

/** Whether rows of this answer add up to a meaningful whole. */
function isAdditive(answer: Answer): boolean {
  const m = firstMeasure(answer.plan);
  return Boolean(m && ADDITIVE.has(m.agg) && !m.derive && !answer.truncated);
}

/** The panel's comparable number: the value itself, or the total of an additive breakdown. */
export function headlineValue(answer: Answer): number | null {
  if (answer.error) return null;
  const i = measureIndex(answer);
  if (i < 0) return null;
  if (answer.rows.length === 1) return toNumber(answer.rows[0]![i]);
  if (answer.rows.length === 0) return isAdditive(answer) ? 0 : null;
  if (!isAdditive(answer)) return null;
  return answer.rows.reduce((sum, row) => sum + (toNumber(row[i]) ?? 0), 0);
}

export function headlineOf(answer: Answer, options: HeadlineOptions = {}): Headline {
  if (answer.error) return { text: answer.error.message, value: null };
  const value = headlineValue(answer);
  const i = measureIndex(answer);
  const measureCol = answer.columns[i];
  if (i < 0 || !measureCol) {
    const n = answer.rowCount;
    return { text: `${n.toLocaleString('en-US')} ${n === 1 ? 'row' : 'rows'}`, value };
  }
  const money = firstMeasure(answer.plan)?.concept === 'money' || undefined;
  // Money reads alone ("$1,234.00"); other numbers say what they count ("94 units sold").
  const unit =
    money || numberStyleOf(measureCol, answer.plan) === 'money'
      ? ''
      : ` ${humanize(measureCol.name).toLowerCase()}`;
  const fmt = (v: Cell, col: ResultColumn = measureCol) =>
    `${formatCell(v, col, { ...options, money: col === measureCol ? money : undefined })}${unit}`;
  if (answer.rows.length === 0) return { text: value === null ? 'no data' : fmt(value), value };
  const labelIdx = answer.columns.findIndex((_, j) => j !== i);
  const grainOf = (j: number) => answer.plan?.dimensions.find((d) => d.as === answer.columns[j]?.name)?.grain;
  const label = (row: number) => {
    const col = answer.columns[labelIdx];
    if (!col) return '';
    return formatCell(answer.rows[row]![labelIdx] ?? null, col, { ...options, grain: grainOf(labelIdx) });
  };
  if (answer.rows.length === 1) {
    const v = fmt(answer.rows[0]![i] ?? null);
    return { text: labelIdx >= 0 ? `${label(0)}: ${v}` : v, value };
  }
  const total = value === null ? '' : `${fmt(value)} in all; `;
  if (grainOf(labelIdx)) {
    const last = answer.rows.length - 1;
    return { text: `${total}latest ${label(last)}: ${fmt(answer.rows[last]![i] ?? null)}`, value };
  }
  let top = 0;
  answer.rows.forEach((row, r) => {
    if ((toNumber(row[i]) ?? -Infinity) > (toNumber(answer.rows[top]![i]) ?? -Infinity)) top = r;
  });
  return { text: `${total}top ${label(top)} (${fmt(answer.rows[top]![i] ?? null)})`, value };
}

export function changeOf(value: number | null, previous: number | null): Change | undefined {
  if (value === null || previous === null) return undefined;
  return { previous, pct: previous === 0 ? null : ((value - previous) / Math.abs(previous)) * 100 };
}

/** "▲ 12.5%", "▼ 3%", "= 0%" for a change with a percentage. */
export function arrowPct(pct: number): string {
  const rounded = Math.round(pct * 10) / 10;
  if (rounded === 0) return '= 0%';
  return `${rounded > 0 ? '▲' : '▼'} ${Math.abs(rounded).toLocaleString('en-US')}%`;
}

/** "▲ 12.5% vs the period before", or the previous value when there is no percentage. */
export function describeChange(change: Change, answer: Answer, options: HeadlineOptions = {}): string {
  if (change.pct === null) {
    const col = answer.columns[measureIndex(answer)];
    const money = firstMeasure(answer.plan)?.concept === 'money' || undefined;
    const previous = col ? formatCell(change.previous, col, { ...options, money }) : String(change.previous);
    return `previous period: ${previous}`;
  }
  const arrow = arrowPct(change.pct);
  return arrow === '= 0%' ? '= no change vs the period before' : `${arrow} vs the period before`;
}
