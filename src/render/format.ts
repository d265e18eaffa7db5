import type { Cell, QueryPlan, ResultColumn, TimeGrain } from '../domain/types.ts';
import { numberStyleOf } from './columnKinds.ts';
import { formatTime } from './dates.ts';
import { formatNumber } from './numbers.ts';
import { oneLine, truncate } from './text.ts';

// One cell as a person reads it: in their locale and timezone, money with two decimals, NULL as
// a dash, long text cut without breaking an emoji.

export const NULL_TEXT = '—';
const DEFAULT_MAX_WIDTH = 100;

export interface CellFormatOptions {
  locale?: string;
  timeZone?: string;
  grain?: TimeGrain;
  /** Whether the column is money; guessed from its name and type when not given. */
  money?: boolean;
  /** ISO 4217 code for money; USD when not given. */
  currency?: string;
  /** The plan the column came from: its measures are quantities, whatever their names. */
  plan?: QueryPlan | null;
  /** Longest text shown, in monospace cells. */
  maxWidth?: number;
}

export function formatCell(value: Cell, column: ResultColumn, options: CellFormatOptions = {}): string {
  if (value === null || value === undefined) return NULL_TEXT;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  const maxWidth = options.maxWidth ?? DEFAULT_MAX_WIDTH;
  if (typeof value === 'number' || column.kind === 'number') {
    const style = numberStyleOf(column, options.plan, options.money);
    return formatNumber(value, style, { locale: options.locale, currency: options.currency });
  }
  if (column.kind === 'date' || column.kind === 'timestamp' || options.grain) {
    return formatTime(value, { locale: options.locale, timeZone: options.timeZone, grain: options.grain });
  }
  return truncate(oneLine(value), maxWidth);
}
