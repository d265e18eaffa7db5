import type { NumberStyle } from './columnKinds.ts';

// The declarative chart description handed from the choice to the renderer: plain JSON (stored,
// logged, sent to tests), never code. Labels are already formatted for the reader; numbers are
// formatted at draw time from `format`.

export type ChartKind = 'big_number' | 'line' | 'area' | 'bar' | 'doughnut' | 'scatter';

/** How the values of an axis or a card read. */
export interface ValueFormat {
  style: NumberStyle;
  /** ISO 4217 code; meaningful when style is money. */
  currency: string;
  locale: string;
}

export interface Series {
  label: string;
  values: (number | null)[];
}

export interface Point {
  x: number;
  y: number;
}

interface SpecBase {
  title: string;
  /** Why the chart differs from what was asked, or what was left out ("showing 8 of 12 series"). */
  note?: string;
}

export interface BigNumberSpec extends SpecBase {
  kind: 'big_number';
  label: string;
  /** A number, or an exact decimal string for big numerics. */
  value: number | string;
  previousValue?: number;
  /** Percent change vs `previousValue`; null when the previous value was zero. */
  changePct?: number | null;
  format: ValueFormat;
}

export interface LineSpec extends SpecBase {
  kind: 'line' | 'area';
  labels: string[];
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Series stack (shares of a whole over time). */
  stacked: boolean;
  format: ValueFormat;
}

export interface BarSpec extends SpecBase {
  kind: 'bar';
  /** Horizontal for categories (long names read well), vertical for time. */
  orientation: 'horizontal' | 'vertical';
  stacking: 'none' | 'stacked' | 'grouped';
  labels: string[];
  /** Title of the category (or time) axis. */
  categoryLabel: string;
  /** Title of the value axis. */
  valueLabel: string;
  series: Series[];
  format: ValueFormat;
}

export interface DoughnutSpec extends SpecBase {
  kind: 'doughnut';
  labels: string[];
  values: number[];
  valueLabel: string;
  format: ValueFormat;
}

export interface ScatterSpec extends SpecBase {
  kind: 'scatter';
  xLabel: string;
  yLabel: string;
  points: Point[];
  xFormat: ValueFormat;
  format: ValueFormat;
}

export type ChartSpec = BigNumberSpec | LineSpec | BarSpec | DoughnutSpec | ScatterSpec;
