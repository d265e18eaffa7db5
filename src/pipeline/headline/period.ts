import type { RelativeUnit, TimeRange } from '../../domain/types.ts';
import { safeTimeZone } from '../../render/dates.ts';
import { describeRange } from '../../render/describe.ts';

// A plan's period as calendar dates ("1–30 Nov 2026"), relative periods resolved the way
// compile/timeSql.ts cuts them (date_trunc in the reader's zone, ISO weeks from Monday), so the
// headline names the days the SQL read.

/** A calendar day, held as midnight UTC so arithmetic never crosses a zone change. */
type Day = Date;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?/;

function day(y: number, m: number, d: number): Day {
  return new Date(Date.UTC(y, m, d));
}

/** Today's date where the reader is. */
function today(now: Date, timeZone?: string): Day {
  const parts = new Intl.DateTimeFormat('en-US', {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    timeZone: safeTimeZone(timeZone),
  }).formatToParts(now);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return day(part('year'), part('month') - 1, part('day'));
}

/** Months later (or earlier), kept in the month it lands in as PostgreSQL does (31 Mar − 1 month
 *  = 28 Feb). */
function addMonths(d: Day, n: number): Day {
  const lastOfTarget = day(d.getUTCFullYear(), d.getUTCMonth() + n + 1, 0).getUTCDate();
  return day(d.getUTCFullYear(), d.getUTCMonth() + n, Math.min(d.getUTCDate(), lastOfTarget));
}

function addUnits(d: Day, n: number, unit: RelativeUnit): Day {
  switch (unit) {
    case 'day':
      return day(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + n);
    case 'week':
      return day(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 7 * n);
    case 'month':
      return addMonths(d, n);
    case 'quarter':
      return addMonths(d, 3 * n);
    case 'year':
      return addMonths(d, 12 * n);
  }
}

/** date_trunc(unit, d). */
function startOf(d: Day, unit: RelativeUnit): Day {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (unit) {
    case 'day':
      return d;
    case 'week':
      return day(y, m, d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
    case 'month':
      return day(y, m, 1);
    case 'quarter':
      return day(y, m - (m % 3), 1);
    case 'year':
      return day(y, 0, 1);
  }
}

/** The first and last day a range covers; either is absent when that side is open. */
export interface DaySpan {
  first?: Day;
  last?: Day;
}

/** An ISO date or timestamp bound: the day it falls on, and whether it is that day's midnight. */
function readBound(text: string): { day: Day; midnight: boolean } | null {
  const m = ISO_DAY.exec(text);
  if (!m) return null;
  const midnight = !m[4] || (Number(m[4]) === 0 && Number(m[5]) === 0 && Number(m[6] ?? 0) === 0);
  return { day: day(Number(m[1]), Number(m[2]) - 1, Number(m[3])), midnight };
}

/** The days of a range, `to` bounds being exclusive as the compiler writes them. */
export function spanOf(range: TimeRange, now: Date, timeZone?: string): DaySpan | null {
  const t = today(now, timeZone);
  const yesterdayOf = (d: Day) => addUnits(d, -1, 'day');
  switch (range.kind) {
    case 'current':
      return { first: startOf(t, range.unit), last: t };
    case 'previous': {
      const start = startOf(t, range.unit);
      const offset = range.offset ?? 0;
      return {
        first: addUnits(start, -(range.n + offset), range.unit),
        last: yesterdayOf(addUnits(start, -offset, range.unit)),
      };
    }
    case 'rolling': {
      const offset = range.offset ?? 0;
      return { first: addUnits(t, -(range.n + offset), range.unit), last: addUnits(t, -offset, range.unit) };
    }
    case 'absolute': {
      const from = range.from ? readBound(range.from) : undefined;
      const to = range.to ? readBound(range.to) : undefined;
      if (from === null || to === null) return null;
      return { first: from?.day, last: to && (to.midnight ? yesterdayOf(to.day) : to.day) };
    }
  }
}

const dayMonth = (d: Day) => `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
const full = (d: Day) => `${dayMonth(d)} ${d.getUTCFullYear()}`;

/** "3 Dec 2026", "1–30 Nov 2026", "1 Oct – 30 Nov 2026", "1 Dec 2025 – 31 Jan 2026". */
export function formatSpan(span: DaySpan): string {
  const { first, last } = span;
  if (first && last) {
    if (first.getTime() === last.getTime()) return full(first);
    if (first.getUTCFullYear() !== last.getUTCFullYear()) return `${full(first)} – ${full(last)}`;
    if (first.getUTCMonth() !== last.getUTCMonth()) return `${dayMonth(first)} – ${full(last)}`;
    return `${first.getUTCDate()}–${full(last)}`;
  }
  if (first) return `since ${full(first)}`;
  return last ? `until ${full(last)}` : '';
}

/** The period in words a reader checks: absolute ranges as dates, relative ones as their name
 *  and dates ("last month (1–30 Nov 2026)"). A shifted range ("the week before") is only its
 *  dates: its name would hide the shift. */
export function periodWords(range: TimeRange, now: Date, timeZone?: string): string {
  const span = spanOf(range, now, timeZone);
  const dates = span ? formatSpan(span) : '';
  if (range.kind === 'absolute') return dates || describeRange(range);
  if (range.kind !== 'current' && range.offset) return dates;
  const name = describeRange(range);
  if (!dates) return name;
  return range.kind === 'current' ? `${name} (${dates}, so far)` : `${name} (${dates})`;
}
