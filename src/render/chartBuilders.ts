import type { Cell } from '../domain/types.ts';
import {
  axisTitle,
  type ChartContext,
  categoryLabel,
  columnTitle,
  grainFor,
  isAdditive,
  valueFormat,
} from './chartContext.ts';
import { pivot, toEpoch, toNumber, weight } from './chartData.ts';
import type { ChartSpec, Series } from './chartSpec.ts';
import { numberStyleOf } from './columnKinds.ts';
import { formatTime, yearOf } from './dates.ts';
import { minMaxIndexes, strideIndexes } from './downsample.ts';

// One builder per chart kind: each either makes a spec from the answer or says, in words for the
// reader, why that kind does not fit it.

export type Built = { spec: ChartSpec } | { reason: string };

const MAX_SERIES = 8;
const MAX_BARS = 20;
const MAX_TIME_BARS = 60;
const MAX_DOUGHNUT_PARTS = 6;
const MAX_LINE_POINTS = 1000;
const MAX_SCATTER_POINTS = 2000;

const count = (n: number) => n.toLocaleString('en-US');
const joinNotes = (...notes: (string | undefined)[]) => notes.filter(Boolean).join(' ') || undefined;
/** A pivot key that keeps NULL, 1 and "1" apart. */
const keyOf = (cell: Cell | undefined) => JSON.stringify(cell ?? null);

/** The MAX_SERIES largest series by total size, with a note when some were left out. */
function largestSeries(series: Series[]): { series: Series[]; note?: string } {
  if (series.length <= MAX_SERIES) return { series };
  const kept = [...series].sort((a, b) => weight(b.values) - weight(a.values)).slice(0, MAX_SERIES);
  return { series: kept, note: `Showing the ${MAX_SERIES} largest of ${count(series.length)} series.` };
}

/** Measures that read the same way as the first (money with money), so they can share an axis. */
function sameAxisMeasures(ctx: ChartContext): number[] {
  const style = (i: number) => numberStyleOf(ctx.columns[i]!, ctx.plan);
  const first = ctx.measures[0]!;
  return ctx.measures.filter((i) => style(i) === style(first)).slice(0, MAX_SERIES);
}

interface TimeSeries {
  timeIndex: number;
  measureIndex: number;
  labels: string[];
  series: Series[];
  note?: string;
}

/** Rows in time order, one series per value of a second dimension (or per measure). */
function timeSeries(ctx: ChartContext, maxPoints: number, thin: boolean): TimeSeries | { reason: string } {
  const t = ctx.time[0];
  const m = ctx.measures[0];
  if (t === undefined) return { reason: 'it needs a date or time column' };
  if (m === undefined) return { reason: 'there is no number to plot' };
  // Each row's instant, worked out once: results can hold a hundred thousand rows.
  const rows = ctx.rows
    .map((row) => ({ row, at: toEpoch(row[t]) }))
    .filter((r): r is { row: Cell[]; at: number } => r.at !== null)
    .sort((a, b) => a.at - b.at);
  const atKey = (r: { at: number }) => String(r.at);
  const split = ctx.categories[0];
  const pivots =
    split === undefined
      ? sameAxisMeasures(ctx).map((i) => ({
          label: columnTitle(ctx, i),
          p: pivot(
            rows,
            atKey,
            () => '',
            (r) => toNumber(r.row[i]),
          ),
        }))
      : [
          {
            label: '',
            p: pivot(
              rows,
              atKey,
              (r) => keyOf(r.row[split]),
              (r) => toNumber(r.row[m]),
            ),
          },
        ];
  const keys = pivots[0]?.p.keys ?? [];
  if (keys.length < 2) return { reason: 'it needs at least two points in time' };
  if (pivots.some(({ p }) => p.collided)) return { reason: 'several rows fall on the same point in time' };
  const all: Series[] =
    split === undefined
      ? pivots.map(({ label, p }) => ({ label, values: p.values[0]! }))
      : pivots[0]!.p.seriesNames.map((name, s) => ({
          label: categoryLabel(ctx, JSON.parse(name) as Cell, split),
          values: pivots[0]!.p.values[s]!,
        }));
  const { series, note: seriesNote } = largestSeries(all);
  let kept = keys.map((_, k) => k);
  let pointsNote: string | undefined;
  if (keys.length > maxPoints) {
    if (!thin)
      return { reason: `${count(keys.length)} points in time are too many for bars (${maxPoints} at most)` };
    const totals = keys.map((_, k) => series.reduce((a, s) => a + (s.values[k] ?? 0), 0));
    kept = minMaxIndexes(totals, maxPoints);
    pointsNote = `Showing ${count(kept.length)} of ${count(keys.length)} points (peaks and dips kept).`;
  }
  const valueAt = new Map(rows.map((r) => [atKey(r), r.row[t] as string]));
  const values = kept.map((k) => valueAt.get(keys[k]!)!);
  const years = new Set(values.map((v) => yearOf(v, ctx.timeZone)));
  const labelOpts = {
    locale: ctx.locale,
    timeZone: ctx.timeZone,
    grain: grainFor(ctx, t),
    withYear: years.size > 1,
  };
  return {
    timeIndex: t,
    measureIndex: m,
    labels: values.map((v) => formatTime(v, labelOpts)),
    series: series.map((s) => ({ label: s.label, values: kept.map((k) => s.values[k] ?? null) })),
    note: joinNotes(seriesNote, pointsNote),
  };
}

export function buildBigNumber(ctx: ChartContext): Built {
  const m = ctx.measures[0];
  if (m === undefined) return { reason: 'there is no number to show' };
  if (ctx.rows.length !== 1)
    return { reason: `it shows one value and this answer has ${count(ctx.rows.length)} rows` };
  const row = ctx.rows[0]!;
  const cell = row[m];
  const value = typeof cell === 'string' ? cell : toNumber(cell);
  if (value === null || toNumber(value) === null) return { reason: 'the value is empty' };
  const context = [...ctx.categories, ...ctx.time].map((i) => categoryLabel(ctx, row[i], i));
  const label = [columnTitle(ctx, m) + ctx.period, ...context].join(' · ');
  const previous = ctx.previousValue;
  const change =
    previous === null
      ? {}
      : {
          previousValue: previous,
          changePct: previous === 0 ? null : ((toNumber(value)! - previous) / Math.abs(previous)) * 100,
        };
  return {
    spec: { kind: 'big_number', title: ctx.title, label, value, ...change, format: valueFormat(ctx, m) },
  };
}

export function buildLine(ctx: ChartContext, kind: 'line' | 'area'): Built {
  const ts = timeSeries(ctx, MAX_LINE_POINTS, true);
  if ('reason' in ts) return ts;
  return {
    spec: {
      kind,
      title: ctx.title,
      note: ts.note,
      labels: ts.labels,
      xLabel: columnTitle(ctx, ts.timeIndex),
      yLabel: axisTitle(ctx, ts.measureIndex),
      series: ts.series,
      stacked: kind === 'area' && ts.series.length > 1 && isAdditive(ctx, ts.measureIndex),
      format: valueFormat(ctx, ts.measureIndex),
    },
  };
}

function categoryBars(ctx: ChartContext, m: number): Built {
  const [cat, second] = ctx.categories as [number, number | undefined];
  const base = {
    kind: 'bar',
    title: ctx.title,
    orientation: 'horizontal',
    format: valueFormat(ctx, m),
  } as const;
  const axes = { categoryLabel: columnTitle(ctx, cat), valueLabel: axisTitle(ctx, m) };
  if (second === undefined) {
    if (ctx.rows.length > MAX_BARS) {
      return {
        reason: `${count(ctx.rows.length)} categories are too many for a bar chart (${MAX_BARS} at most)`,
      };
    }
    if (ctx.rows.length < 2) return { reason: 'it needs at least two categories' };
    const bars = ctx.rows
      .map((row) => ({ label: categoryLabel(ctx, row[cat], cat), value: toNumber(row[m]) }))
      .sort((a, b) => (b.value ?? Number.NEGATIVE_INFINITY) - (a.value ?? Number.NEGATIVE_INFINITY));
    const series = [{ label: columnTitle(ctx, m), values: bars.map((b) => b.value) }];
    return { spec: { ...base, ...axes, stacking: 'none', labels: bars.map((b) => b.label), series } };
  }
  const p = pivot(
    ctx.rows,
    (row) => keyOf(row[cat]),
    (row) => keyOf(row[second]),
    (row) => toNumber(row[m]),
  );
  if (p.collided) return { reason: 'several rows fall on the same bar' };
  if (p.keys.length > MAX_BARS) {
    return {
      reason: `${count(p.keys.length)} categories are too many for a bar chart (${MAX_BARS} at most)`,
    };
  }
  const { series: kept, note } = largestSeries(
    p.seriesNames.map((name, s) => ({
      label: categoryLabel(ctx, JSON.parse(name) as Cell, second),
      values: p.values[s]!,
    })),
  );
  const totals = p.keys.map((_, k) => kept.reduce((a, s) => a + (s.values[k] ?? 0), 0));
  const order = p.keys.map((_, k) => k).sort((a, b) => totals[b]! - totals[a]!);
  return {
    spec: {
      ...base,
      ...axes,
      note,
      stacking: isAdditive(ctx, m) ? 'stacked' : 'grouped',
      labels: order.map((k) => categoryLabel(ctx, JSON.parse(p.keys[k]!) as Cell, cat)),
      series: kept.map((s) => ({ label: s.label, values: order.map((k) => s.values[k] ?? null) })),
    },
  };
}

export function buildBar(ctx: ChartContext): Built {
  const m = ctx.measures[0];
  if (m === undefined) return { reason: 'there is no number to plot' };
  if (ctx.time.length === 0 && ctx.categories.length > 0) return categoryBars(ctx, m);
  if (ctx.time.length === 0) return { reason: 'it needs categories or dates to put on an axis' };
  const ts = timeSeries(ctx, MAX_TIME_BARS, false);
  if ('reason' in ts) return ts;
  return {
    spec: {
      kind: 'bar',
      title: ctx.title,
      note: ts.note,
      orientation: 'vertical',
      stacking: ts.series.length < 2 ? 'none' : isAdditive(ctx, m) ? 'stacked' : 'grouped',
      labels: ts.labels,
      categoryLabel: columnTitle(ctx, ts.timeIndex),
      valueLabel: axisTitle(ctx, m),
      series: ts.series,
      format: valueFormat(ctx, m),
    },
  };
}

export function buildDoughnut(ctx: ChartContext): Built {
  const m = ctx.measures[0];
  const cat = ctx.categories[0];
  if (m === undefined) return { reason: 'there is no number to show' };
  if (cat === undefined || ctx.time.length > 0)
    return { reason: 'it needs one set of categories, not dates' };
  if (ctx.categories.length > 1) return { reason: 'it shows one set of categories, not two' };
  const n = ctx.rows.length;
  if (n < 2) return { reason: 'it needs at least two parts' };
  if (n > MAX_DOUGHNUT_PARTS)
    return { reason: `${count(n)} parts are too many (${MAX_DOUGHNUT_PARTS} at most)` };
  const parts = ctx.rows
    .map((row) => ({ label: categoryLabel(ctx, row[cat], cat), value: toNumber(row[m]) ?? 0 }))
    .sort((a, b) => b.value - a.value);
  if (parts.some((p) => p.value < 0)) return { reason: 'parts of a whole cannot be negative' };
  if (parts.every((p) => p.value === 0)) return { reason: 'the parts add up to zero' };
  return {
    spec: {
      kind: 'doughnut',
      title: ctx.title,
      labels: parts.map((p) => p.label),
      values: parts.map((p) => p.value),
      valueLabel: columnTitle(ctx, m),
      format: valueFormat(ctx, m),
    },
  };
}

export function buildScatter(ctx: ChartContext): Built {
  const [mx, my] = ctx.measures;
  if (mx === undefined || my === undefined) return { reason: 'it needs two numbers per row' };
  const points = ctx.rows
    .map((row) => ({ x: toNumber(row[mx]), y: toNumber(row[my]) }))
    .filter((p): p is { x: number; y: number } => p.x !== null && p.y !== null);
  if (points.length < 3) return { reason: 'it needs at least three rows with both numbers' };
  const kept = strideIndexes(points.length, MAX_SCATTER_POINTS);
  return {
    spec: {
      kind: 'scatter',
      title: ctx.title,
      note:
        kept.length < points.length
          ? `Showing an even sample of ${count(kept.length)} of ${count(points.length)} points.`
          : undefined,
      xLabel: axisTitle(ctx, mx),
      yLabel: axisTitle(ctx, my),
      points: kept.map((i) => points[i]!),
      xFormat: valueFormat(ctx, mx),
      format: valueFormat(ctx, my),
    },
  };
}
