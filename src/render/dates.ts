import type { TimeGrain } from '../domain/types.ts';
import { formatterCache } from './formatterCache.ts';
import { safeLocale } from './numbers.ts';

// Dates and timestamps for people: in their timezone, shaped by the grain they were bucketed by
// (a month reads "Mar 2025", not "3/1/2025, 12:00 AM").

export interface TimeOptions {
  locale?: string;
  timeZone?: string;
  grain?: TimeGrain;
  /** Chart labels drop the year when every point shares it. */
  withYear?: boolean;
}

interface ParsedTime {
  /** The instant, or the wall-clock time read as UTC when the value carries no offset. */
  date: Date;
  /** Zone to format in: the reader's for instants, UTC for wall-clock values. */
  zone: string;
  dateOnly: boolean;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}(?::?\d{2})?)?$/;

const knownZones = new Map<string, boolean>();

/** The zone when Intl knows it, else undefined: a bad setting must not break an answer. */
export function safeTimeZone(timeZone: string | undefined): string | undefined {
  if (!timeZone) return undefined;
  let valid = knownZones.get(timeZone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
      valid = true;
    } catch {
      valid = false;
    }
    knownZones.set(timeZone, valid);
  }
  return valid ? timeZone : undefined;
}

function offsetMinutes(offset: string): number {
  if (offset === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/** Reads `YYYY-MM-DD` and ISO timestamps; null for anything else (BC dates, infinity). */
export function parseTime(value: string, timeZone?: string): ParsedTime | null {
  if (DATE_ONLY.test(value)) {
    const date = new Date(`${value}T00:00:00Z`);
    return Number.isNaN(date.getTime()) ? null : { date, zone: 'UTC', dateOnly: true };
  }
  const m = ISO_TIME.exec(value);
  if (!m) return null;
  const [, day, time, offset] = m;
  const wallClock = new Date(`${day}T${time}Z`);
  if (Number.isNaN(wallClock.getTime())) return null;
  if (!offset) return { date: wallClock, zone: 'UTC', dateOnly: false };
  const instant = new Date(wallClock.getTime() - offsetMinutes(offset) * 60_000);
  const zone = safeTimeZone(timeZone);
  // Without a reader's zone, show the time as the database wrote it (its session zone).
  return zone ? { date: instant, zone, dateOnly: false } : { date: wallClock, zone: 'UTC', dateOnly: false };
}

const formatter = formatterCache(
  (locale: string, options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, options),
);

function grainOptions(
  grain: TimeGrain | undefined,
  dateOnly: boolean,
  withYear: boolean,
): Intl.DateTimeFormatOptions {
  const year = withYear ? ({ year: 'numeric' } as const) : {};
  switch (grain) {
    case 'year':
      return { year: 'numeric' };
    case 'month':
      return { month: 'short', year: 'numeric' };
    case 'week':
    case 'day':
      return { month: 'short', day: 'numeric', ...year };
    case 'hour':
      return { month: 'short', day: 'numeric', ...year, hour: 'numeric', minute: '2-digit' };
    default:
      return dateOnly ? { dateStyle: 'medium' } : { dateStyle: 'medium', timeStyle: 'short' };
  }
}

/** Year and month (1–12) of a parsed time in its display zone. */
function calendarOf(parsed: ParsedTime): { year: number; month: number } {
  const parts = formatter('en-US', {
    year: 'numeric',
    month: 'numeric',
    timeZone: parsed.zone,
  }).formatToParts(parsed.date);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: part('year'), month: part('month') };
}

/** Formats a date or timestamp value; text that is not one comes back unchanged. */
export function formatTime(value: string, options: TimeOptions = {}): string {
  const parsed = parseTime(value, options.timeZone);
  if (!parsed) return value;
  if (options.grain === 'quarter') {
    const { year, month } = calendarOf(parsed);
    return `Q${Math.ceil(month / 3)} ${year}`;
  }
  const text = formatter(safeLocale(options.locale), {
    ...grainOptions(options.grain, parsed.dateOnly, options.withYear ?? true),
    timeZone: parsed.zone,
  }).format(parsed.date);
  return options.grain === 'week' ? `Wk of ${text}` : text;
}

/** The calendar year of a time value in the reader's zone, for deciding whether labels need it. */
export function yearOf(value: string, timeZone?: string): number | null {
  const parsed = parseTime(value, timeZone);
  return parsed ? calendarOf(parsed).year : null;
}
