import type { Cadence } from '../memory/digestSchedules.ts';
import { UsualCommandError } from './usualErrors.ts';
import { zonedInstant } from './zonedTime.ts';

// When a digest runs, read from the words of `/usual schedule …` ("daily 09:00",
// "weekdays 8:30am", "weekly mon 09:00", "monthly 1 09:00", "2026-12-01 09:00"), and the cron
// pattern the job scheduler fires it by, in the owner's timezone.

export type ScheduleSpec =
  | { cadence: 'daily' | 'weekdays'; time: string }
  | { cadence: 'weekly'; weekday: number; time: string }
  | { cadence: 'monthly'; dayOfMonth: number; time: string }
  /** A single digest at a local date and time. */
  | { cadence: 'once'; date: string; time: string };

export interface CronSchedule {
  pattern: string;
  tz: string;
  /** For a one-off digest: no run after this instant. */
  endDate?: Date;
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
export const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
/** Days every month has, so a monthly digest never skips one. */
const LAST_MONTH_DAY = 28;

const USAGE =
  'Say when, then where, e.g. `/usual schedule daily 09:00 #sales`, `weekdays 08:30`, `weekly mon 09:00`, `monthly 1 09:00` or a date like `2026-12-01 09:00`.';

/** "9", "09:00", "9:30am", "12pm" → "HH:MM" (24-hour); throws on anything else. */
export function parseTimeOfDay(text: string): string {
  const m = /^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$/i.exec(text.trim());
  const bad = () =>
    new UsualCommandError(`"${text}" isn't a time of day I can use. Write it as HH:MM, like 09:00 or 17:30.`);
  if (!m || (!m[2] && !m[3])) throw bad();
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? 0);
  const half = m[3]?.toLowerCase();
  if (half) {
    if (hour < 1 || hour > 12) throw bad();
    hour = (hour % 12) + (half === 'pm' ? 12 : 0);
  }
  if (hour > 23 || minute > 59) throw bad();
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

function parseWeekday(word: string): number {
  const i = WEEKDAYS.indexOf(word.toLowerCase().slice(0, 3));
  if (i < 0 || !WEEKDAY_NAMES[i]!.toLowerCase().startsWith(word.toLowerCase())) {
    throw new UsualCommandError(
      `"${word}" isn't a day of the week. Use mon, tue, wed, thu, fri, sat or sun.`,
    );
  }
  return i;
}

function parseDate(text: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const valid = m && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));
  const roundTrips = valid && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);
  if (!roundTrips) throw new UsualCommandError(`"${text}" isn't a date I can use. Write it as YYYY-MM-DD.`);
  return text;
}

/** Reads the words between `schedule` and the channel. `now`/`timeZone` reject a one-off
 *  date that has already passed. */
export function parseScheduleSpec(words: string[], timeZone: string, now: Date = new Date()): ScheduleSpec {
  const [first, ...rest] = words.map((w) => w.toLowerCase());
  if (!first) throw new UsualCommandError(USAGE);
  const timeOf = (args: string[], expected: number) => {
    if (args.length !== expected) throw new UsualCommandError(USAGE);
    return parseTimeOfDay(args.at(-1)!);
  };
  switch (first) {
    case 'daily':
      return { cadence: 'daily', time: timeOf(rest, 1) };
    case 'weekdays':
      return { cadence: 'weekdays', time: timeOf(rest, 1) };
    case 'weekly':
      return { cadence: 'weekly', weekday: parseWeekday(rest[0] ?? ''), time: timeOf(rest, 2) };
    case 'monthly': {
      const day = Number(rest[0]);
      if (!Number.isInteger(day) || day < 1 || day > LAST_MONTH_DAY)
        throw new UsualCommandError(
          `A monthly digest needs a day from 1 to ${LAST_MONTH_DAY} (every month has those), like \`monthly 1 09:00\`.`,
        );
      return { cadence: 'monthly', dayOfMonth: day, time: timeOf(rest, 2) };
    }
    default: {
      if (!/^\d/.test(first)) throw new UsualCommandError(`I don't know the schedule "${first}". ${USAGE}`);
      const spec = { cadence: 'once' as const, date: parseDate(first), time: timeOf(rest, 1) };
      if (zonedInstant(spec.date, spec.time, timeZone).getTime() <= now.getTime()) {
        throw new UsualCommandError(
          `${spec.date} ${spec.time} (${timeZone}) has already passed. Pick a time in the future, or a repeating schedule like \`daily ${spec.time}\`.`,
        );
      }
      return spec;
    }
  }
}

export function cronOf(spec: ScheduleSpec, tz: string): CronSchedule {
  const [hour, minute] = spec.time.split(':').map(Number) as [number, number];
  const at = `${minute} ${hour}`;
  switch (spec.cadence) {
    case 'daily':
      return { pattern: `${at} * * *`, tz };
    case 'weekdays':
      return { pattern: `${at} * * 1-5`, tz };
    case 'weekly':
      return { pattern: `${at} * * ${spec.weekday}`, tz };
    case 'monthly':
      return { pattern: `${at} ${spec.dayOfMonth} * *`, tz };
    case 'once': {
      const [, month, day] = spec.date.split('-').map(Number) as [number, number, number];
      const when = zonedInstant(spec.date, spec.time, tz);
      return { pattern: `${at} ${day} ${month} *`, tz, endDate: new Date(when.getTime() + 60_000) };
    }
  }
}

/** "daily at 09:00", "every Monday at 09:00", "once on 2026-12-01 at 09:00". */
export function describeSpec(spec: ScheduleSpec): string {
  switch (spec.cadence) {
    case 'daily':
      return `daily at ${spec.time}`;
    case 'weekdays':
      return `weekdays at ${spec.time}`;
    case 'weekly':
      return `every ${WEEKDAY_NAMES[spec.weekday]} at ${spec.time}`;
    case 'monthly':
      return `monthly on day ${spec.dayOfMonth} at ${spec.time}`;
    case 'once':
      return `once on ${spec.date} at ${spec.time}`;
  }
}

/** The stored columns of a schedule (digest_schedules) as the spec they were made from. */
export function specOf(s: {
  cadence: Cadence;
  timeOfDay: string;
  dayOfWeek: number | null;
  dayOfMonth: number | null;
  runOn: string | null;
}): ScheduleSpec {
  const time = s.timeOfDay;
  switch (s.cadence) {
    case 'daily':
    case 'weekdays':
      return { cadence: s.cadence, time };
    case 'weekly':
      return { cadence: 'weekly', weekday: s.dayOfWeek ?? 1, time };
    case 'monthly':
      return { cadence: 'monthly', dayOfMonth: s.dayOfMonth ?? 1, time };
    case 'once':
      return { cadence: 'once', date: s.runOn ?? '', time };
  }
}

/** The columns to store for a spec. */
export function columnsOf(spec: ScheduleSpec): {
  cadence: Cadence;
  timeOfDay: string;
  dayOfWeek: number | null;
  dayOfMonth: number | null;
  runOn: string | null;
} {
  return {
    cadence: spec.cadence,
    timeOfDay: spec.time,
    dayOfWeek: spec.cadence === 'weekly' ? spec.weekday : null,
    dayOfMonth: spec.cadence === 'monthly' ? spec.dayOfMonth : null,
    runOn: spec.cadence === 'once' ? spec.date : null,
  };
}
