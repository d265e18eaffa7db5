import type { Cell, TimeGrain } from '../domain/types.ts';
import { parseTime } from './dates.ts';

// Result rows reshaped for charts: numbers out of cells, time order, and long rows pivoted into
// one series per value of a second dimension.

const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A cell as a plottable number (exact decimal strings become floats: fine for pixels). */
export function toNumber(cell: Cell | undefined): number | null {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
  if (typeof cell === 'string' && DECIMAL_TEXT.test(cell.trim())) {
    const n = Number(cell);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** Milliseconds since the epoch for a date/timestamp cell, or null. */
export function toEpoch(cell: Cell | undefined): number | null {
  if (typeof cell !== 'string') return null;
  return parseTime(cell, 'UTC')?.date.getTime() ?? null;
}

const GUESS_SAMPLE = 500;

/** The bucket size values were cut to, read from the values themselves (for raw SQL results).
 *  Works on the wall-clock the database wrote, so a month bucket at local midnight reads as one. */
export function guessGrain(values: string[]): TimeGrain | undefined {
  const parsed = values
    .slice(0, GUESS_SAMPLE)
    .map((v) => parseTime(v)?.date)
    .filter((d): d is Date => d !== undefined);
  if (parsed.length < 2) return undefined;
  const all = (test: (d: Date) => boolean) => parsed.every(test);
  if (!all((d) => d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0 && d.getUTCMilliseconds() === 0))
    return undefined;
  if (!all((d) => d.getUTCHours() === 0)) return 'hour';
  if (all((d) => d.getUTCDate() === 1)) {
    if (all((d) => d.getUTCMonth() === 0)) return 'year';
    const months = [...new Set(parsed.map((d) => d.getUTCFullYear() * 12 + d.getUTCMonth()))].sort(
      (a, b) => a - b,
    );
    const gaps = months.slice(1).map((m, i) => m - months[i]!);
    return gaps.length > 0 && gaps.every((g) => g % 3 === 0) ? 'quarter' : 'month';
  }
  if (all((d) => d.getUTCDay() === 1)) return 'week';
  return 'day';
}

export interface Pivot {
  /** Row keys in first-seen order. */
  keys: string[];
  /** Series names in first-seen order. */
  seriesNames: string[];
  /** values[series][key]. */
  values: (number | null)[][];
  /** Whether two rows fell on the same (key, series) cell: the rows are not one per point. */
  collided: boolean;
}

/** Long rows → one series per `seriesOf` value, aligned on `keyOf`. */
export function pivot<T>(
  rows: T[],
  keyOf: (row: T) => string,
  seriesOf: (row: T) => string,
  measureOf: (row: T) => number | null,
): Pivot {
  const keyIndex = new Map<string, number>();
  const seriesIndex = new Map<string, number>();
  const cells = new Map<string, number | null>();
  let collided = false;
  for (const row of rows) {
    const key = keyOf(row);
    const series = seriesOf(row);
    if (!keyIndex.has(key)) keyIndex.set(key, keyIndex.size);
    if (!seriesIndex.has(series)) seriesIndex.set(series, seriesIndex.size);
    const cell = `${seriesIndex.get(series)}\u0000${keyIndex.get(key)}`;
    if (cells.has(cell)) collided = true;
    cells.set(cell, measureOf(row));
  }
  const values = [...seriesIndex.values()].map((s) =>
    [...keyIndex.values()].map((k) => cells.get(`${s}\u0000${k}`) ?? null),
  );
  return { keys: [...keyIndex.keys()], seriesNames: [...seriesIndex.keys()], values, collided };
}

/** Sum of absolute values: how much a series weighs when only the largest few can be drawn. */
export function weight(values: (number | null)[]): number {
  return values.reduce<number>((a, v) => a + Math.abs(v ?? 0), 0);
}
