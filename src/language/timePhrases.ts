import type { ParsedComponents } from 'chrono-node';
// The English parser alone (what `chrono-node`'s own `parse` is): the other locales cost every
// command a few hundred milliseconds to load.
import * as chrono from 'chrono-node/en';
import type { DatePart, RelativeUnit, TimeGrain } from '../domain/types.ts';
import { MONTH_NAMES } from './calendarNames.ts';

// Time phrases → a relative or absolute range and, for trends, a grain. Relative phrases are
// read here (they compile to date_trunc on the database clock); calendar dates ("since March",
// "between 1 May and 3 June") go to chrono.

export type RangeSpec =
  | { kind: 'current'; unit: RelativeUnit }
  | { kind: 'previous'; unit: RelativeUnit; n: number; offset?: number }
  | { kind: 'rolling'; unit: RelativeUnit; n: number; offset?: number }
  | { kind: 'absolute'; from?: string; to?: string };

export interface TimeReading {
  range?: RangeSpec;
  grain?: TimeGrain;
  /** The words understood, for "what I understood". */
  phrases: string[];
  /** The question with the time phrases blanked out. */
  rest: string;
  /** More than one period was named; the planner must not pick one silently. */
  conflict?: boolean;
  /** "by day of the week": a calendar place to group by. */
  part?: DatePart;
  /** "N units" phrases ask for whole periods when a trend is drawn over them. */
  windowWithoutGrain?: { unit: RelativeUnit; n: number };
}

const UNIT = '(day|week|month|quarter|year)s?';
const NUMBER_WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  sixty: 60,
  ninety: 90,
  hundred: 100,
  a: 1,
  an: 1,
};
const NUM = `(\\d+|${Object.keys(NUMBER_WORDS).join('|')})`;

const ORDINALS = ['first', 'second', 'third', 'fourth'];
const DAY_MS = 86_400_000;

function isoOf(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function num(s: string): number {
  return /^\d+$/.test(s) ? Number(s) : (NUMBER_WORDS[s] ?? 1);
}

function unitOf(s: string): RelativeUnit {
  return s.replace(/s$/, '') as RelativeUnit;
}

function isoDate(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

interface Rule {
  re: RegExp;
  read: (m: RegExpExecArray, now: Date) => Partial<TimeReading> | null;
}

/** "since March" starts a range, "before March" ends one, "in March" is the whole period. */
function bounded(prefix: string | undefined, from: string, to: string): RangeSpec {
  const p = prefix?.trim();
  if (p === 'since' || p === 'from' || p === 'after')
    return { kind: 'absolute', from: p === 'after' ? to : from };
  if (p === 'before' || p === 'until') return { kind: 'absolute', to: from };
  return { kind: 'absolute', from, to };
}
const PREFIX = '(since |from |after |before |until |in |during |for |of )?';

const RULES: Rule[] = [
  {
    // "the last week of March 2023", "the first week of June": seven days at the month's edge.
    re: new RegExp(
      `\\b(?:in |during |for )?(?:the )?(first|last|final) week of (${MONTH_NAMES.join('|')})(?:\\s+((?:19|20)\\d\\d))?\\b`,
    ),
    read: (m, now) => {
      const month = MONTH_NAMES.indexOf(m[2]!) + 1;
      let year = m[3] ? Number(m[3]) : now.getUTCFullYear();
      if (!m[3] && month > now.getUTCMonth() + 1) year -= 1;
      const end = new Date(Date.UTC(year, month, 1));
      const start =
        m[1] === 'first' ? new Date(Date.UTC(year, month - 1, 1)) : new Date(end.getTime() - 7 * DAY_MS);
      const stop = m[1] === 'first' ? new Date(start.getTime() + 7 * DAY_MS) : end;
      return { range: { kind: 'absolute', from: isoOf(start), to: isoOf(stop) } };
    },
  },
  { re: /\b(all[ -]time|ever|of all time)\b/, read: () => ({}) },
  { re: /\byesterday\b/, read: () => ({ range: { kind: 'previous', unit: 'day', n: 1 } }) },
  { re: /\btoday\b/, read: () => ({ range: { kind: 'current', unit: 'day' } }) },
  { re: /\b(ytd|year to date)\b/, read: () => ({ range: { kind: 'current', unit: 'year' } }) },
  { re: /\b(mtd|month to date)\b/, read: () => ({ range: { kind: 'current', unit: 'month' } }) },
  { re: /\b(qtd|quarter to date)\b/, read: () => ({ range: { kind: 'current', unit: 'quarter' } }) },
  {
    re: new RegExp(
      `\\b(?:in |during |over |for |within )?(?:the )?(?:last|past|previous|prior|trailing) ${NUM} ${UNIT}\\b`,
    ),
    read: (m) => ({ windowWithoutGrain: { unit: unitOf(m[2]!), n: num(m[1]!) } }),
  },
  {
    re: new RegExp(`\\b(?:in |during |over |for )?(?:the )?(?:last|previous|prior|past) ${UNIT}\\b`),
    read: (m) => ({ range: { kind: 'previous', unit: unitOf(m[1]!), n: 1 } }),
  },
  {
    re: new RegExp(`\\b(?:in |during |for )?(?:so far )?(?:this|the current|current) ${UNIT}(?: so far)?\\b`),
    read: (m) => ({ range: { kind: 'current', unit: unitOf(m[1]!) } }),
  },
  {
    // "Q3 2023", "2023 Q4", "2023-Q1", "the third quarter of 2023", "second quarter" (this year's).
    re: new RegExp(
      `\\b${PREFIX}(?:the )?(?:(?:((?:19|20)\\d\\d)[ -]?q([1-4]))|(?:(?:q([1-4])|(${ORDINALS.join('|')}) quarter)(?:\\s*of\\s*(?:the year\\s*)?|\\s+|-)?((?:19|20)\\d\\d)?))\\b`,
    ),
    read: (m, now) => {
      const q = m[3] ? Number(m[3]) : m[4] ? Number(m[4]) : ORDINALS.indexOf(m[5]!) + 1;
      if (!(q >= 1 && q <= 4)) return null;
      const yearText = m[2] ?? m[6];
      let year = yearText ? Number(yearText) : now.getUTCFullYear();
      if (!yearText && (q - 1) * 3 > now.getUTCMonth()) year -= 1;
      const from = isoDate(year, (q - 1) * 3 + 1, 1);
      const to = q === 4 ? isoDate(year + 1, 1, 1) : isoDate(year, q * 3 + 1, 1);
      return { range: bounded(m[1], from, to) };
    },
  },
  {
    // "the first half of 2023", "H2 2024".
    re: /\b(?:in |during |for )?(?:the )?(?:(first|second|1st|2nd) half|h([12]))(?: of)?\s*((?:19|20)\d\d)\b/,
    read: (m) => {
      const second = m[1] === 'second' || m[1] === '2nd' || m[2] === '2';
      const y = Number(m[3]);
      return {
        range: second
          ? { kind: 'absolute', from: isoDate(y, 7, 1), to: isoDate(y + 1, 1, 1) }
          : { kind: 'absolute', from: isoDate(y, 1, 1), to: isoDate(y, 7, 1) },
      };
    },
  },
  {
    // "in the month of April 2021" says the same as "in April 2021".
    re: new RegExp(
      `\\b(?:(?:in |during |for )?the month of )?${PREFIX}(${MONTH_NAMES.join('|')})(?:\\s+((?:19|20)\\d\\d))?\\b`,
    ),
    read: (m, now) => {
      // "may" is usually the verb unless a preposition or a year makes it the month.
      if (m[2] === 'may' && !m[1] && !m[3]) return null;
      const month = MONTH_NAMES.indexOf(m[2]!) + 1;
      let year = m[3] ? Number(m[3]) : now.getUTCFullYear();
      // "in March" without a year means the most recent March that has begun.
      if (!m[3] && month > now.getUTCMonth() + 1) year -= 1;
      const to = month === 12 ? isoDate(year + 1, 1, 1) : isoDate(year, month + 1, 1);
      return { range: bounded(m[1], isoDate(year, month, 1), to) };
    },
  },
  {
    // "between 2019 and 2021", "from 2019 to 2021", "2019–2021": whole years, both ends included.
    re: /\b(?:(?:between|from) )?((?:19|20)\d\d) ?(?:and|to|through|until|-|–) ?((?:19|20)\d\d)\b/,
    read: (m) => {
      const [a, b] = [Number(m[1]), Number(m[2])];
      if (b < a) return null;
      return { range: { kind: 'absolute', from: isoDate(a, 1, 1), to: isoDate(b + 1, 1, 1) } };
    },
  },
  {
    // "spent over 2000", "$2000", "at least 1999": an amount compared, not a year.
    re: new RegExp(
      `(?<!(?:than|over|above|under|below|least|most|exceeding|exactly)\\s+|[$€£]\\s?)\\b${PREFIX}(?:the year )?((?:19|20)\\d\\d)\\b`,
    ),
    read: (m) => {
      const y = Number(m[2]);
      return { range: bounded(m[1], isoDate(y, 1, 1), isoDate(y + 1, 1, 1)) };
    },
  },
];

// "by day of the week", "which hour of the day", "each month of the year": a place in the
// calendar that rows of every year share, not a period. "On weekdays" is a filter, not this;
// "each month of the year 2021" is a grain within a year.
const PART_RE =
  /\b(?:(?:by|per|for each|in each|on each|each|every|across) (?:the )?weekdays?|(?:(?:by|per|for each|in each|on each|each|every|across) (?:the )?)?(?:day of (?:the )?week|(?:hour|time) of (?:the )?day|month of (?:the )?year(?! \d{4})))\b/;
const PART_OF = (phrase: string): DatePart =>
  /week/.test(phrase) ? 'weekday' : /day/.test(phrase) ? 'hour' : 'month';

// "month by month", "week over week"; "last week by day" is a period and a grain.
const GRAIN_RE =
  /\b(hourly|daily|weekly|monthly|quarterly|yearly|annual(?:ly)?|(?:per|by|each|every|a) (?:hour|day|week|month|quarter|year)|(?<by>day|week|month|quarter|year) by \k<by>|(?<over>week|month|quarter|year) over \k<over>)\b/;
const GRAIN_OF: Record<string, TimeGrain> = {
  hour: 'hour',
  hourly: 'hour',
  day: 'day',
  daily: 'day',
  week: 'week',
  weekly: 'week',
  month: 'month',
  monthly: 'month',
  quarter: 'quarter',
  quarterly: 'quarter',
  year: 'year',
  yearly: 'year',
  annual: 'year',
  annually: 'year',
};
const TREND_RE = /\b(trend|trends|over time|timeline|evolution|time series)\b/;

function blank(text: string, m: RegExpExecArray): string {
  return text.slice(0, m.index) + ' '.repeat(m[0].length) + text.slice(m.index + m[0].length);
}

/** The finest sensible grain for a window of `n` units (a trend of 7 days is daily). */
function grainForWindow(unit: RelativeUnit, n: number): TimeGrain {
  if (unit === 'day') return n <= 62 ? 'day' : 'week';
  if (unit === 'week') return n <= 26 ? 'week' : 'month';
  if (unit === 'month') return n <= 36 ? 'month' : 'quarter';
  if (unit === 'quarter') return 'quarter';
  return unit === 'year' && n <= 3 ? 'month' : 'year';
}

export function readTime(question: string, now: Date = new Date()): TimeReading {
  let text = question.toLowerCase();
  const reading: TimeReading = { phrases: [], rest: text };
  const part = PART_RE.exec(text);
  if (part) {
    reading.part = PART_OF(part[0]);
    reading.phrases.push(part[0]);
    text = blank(text, part);
  }
  const g = GRAIN_RE.exec(text);
  if (g) {
    const word = g[1]!.split(' ').find((w) => GRAIN_OF[w]) ?? g[1]!;
    reading.grain = GRAIN_OF[word];
    reading.phrases.push(g[1]!);
    text = blank(text, g);
  }
  const trend = TREND_RE.exec(text);
  if (DAY_DATE.test(text)) text = readCalendarDates(text, now, reading);
  for (const rule of RULES) {
    const m = rule.re.exec(text);
    if (!m) continue;
    const r = rule.read(m, now);
    if (!r) continue;
    // Two periods in one question ("Q4 … 2025") are not silently reduced to one of them.
    if (r.range && (reading.range || reading.windowWithoutGrain)) reading.conflict = true;
    if (r.range && !reading.range && !reading.windowWithoutGrain) reading.range = r.range;
    if (r.windowWithoutGrain && !reading.range && !reading.windowWithoutGrain)
      reading.windowWithoutGrain = r.windowWithoutGrain;
    reading.phrases.push(m[0].trim());
    text = blank(text, m);
  }
  if (!reading.range && !reading.windowWithoutGrain) {
    const since = /\b(since|after|from|before|until|between)\b/.exec(text);
    if (since) {
      const parsed = chrono.parse(text.slice(since.index), now, { forwardDate: false })[0];
      if (parsed) {
        const from = since[1] === 'before' || since[1] === 'until' ? undefined : toIso(parsed.start.date());
        const to = parsed.end
          ? toIso(parsed.end.date())
          : since[1] === 'before' || since[1] === 'until'
            ? toIso(parsed.start.date())
            : undefined;
        reading.range = { kind: 'absolute', from, to };
        reading.phrases.push(`${since[1]} ${parsed.text}`);
        const start = since.index;
        const end = since.index + parsed.index + parsed.text.length;
        text = text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);
      }
    }
  }
  if (trend) {
    reading.phrases.push(trend[1]!);
    text = blank(text, trend);
  }
  // A window of whole periods when the answer is a trend (complete buckets); a rolling window
  // when it is a single figure ("in the last 90 days" counts up to now).
  const w = reading.windowWithoutGrain;
  if (w) {
    if (!reading.grain && trend) reading.grain = grainForWindow(w.unit, w.n);
    reading.range = reading.grain
      ? { kind: 'previous', unit: w.unit, n: w.n }
      : { kind: 'rolling', unit: w.unit, n: w.n };
  } else if (trend && !reading.grain) {
    reading.grain = 'month';
  }
  reading.rest = text;
  return reading;
}

// A day next to a month name ("3 March", "April 9th"): a calendar date for chrono, not a month.
const DAY_DATE = new RegExp(
  `\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?(?:${MONTH_NAMES.join('|')})\\b|\\b(?:${MONTH_NAMES.join('|')})\\s+\\d{1,2}(?:st|nd|rd|th)?\\b(?!\\d)`,
);

/** "between 3 March and 9 April", "from May 2 to May 9", "since 1 June": whole days, the last included. */
function readCalendarDates(text: string, now: Date, reading: TimeReading): string {
  const results = chrono.parse(text, now, { forwardDate: false });
  const first = results[0];
  if (!first) return text;
  const lead = /\b(since|after|from|before|until|between|on)\s+(?:the\s+)?$/.exec(text.slice(0, first.index));
  const second = results[1];
  const joined =
    second &&
    /^\s*(?:and|to|until|till|through|-|–)\s*$/.test(
      text.slice(first.index + first.text.length, second.index),
    );
  // A date written without a year is the most recent one that has begun, as for months.
  const shift = !first.start.isCertain('year') && first.start.date().getTime() > now.getTime() ? -1 : 0;
  const dated = (c: ParsedComponents) => {
    const d = c.date();
    if (shift && !c.isCertain('year')) d.setFullYear(d.getFullYear() + shift);
    return d;
  };
  const dayAfter = (d: Date) => toIso(new Date(d.getTime() + DAY_MS));
  let from: string | undefined = toIso(dated(first.start));
  let to: string | undefined;
  let endAt = first.index + first.text.length;
  if (joined && second) {
    const end = dated(second.start);
    to = dayAfter(end);
    // "between 1 March and 9 April 2025": the year written once is both ends' year, and a
    // start that would then fall after the end is in the year before ("1 Dec and 9 Jan 2025").
    if (!first.start.isCertain('year') && second.start.isCertain('year')) {
      const start = first.start.date();
      start.setFullYear(end.getFullYear() - (monthDay(start) > monthDay(end) ? 1 : 0));
      from = toIso(start);
    }
    endAt = second.index + second.text.length;
  } else if (first.end) to = dayAfter(dated(first.end));
  else if (lead?.[1] === 'before' || lead?.[1] === 'until') {
    to = from;
    from = undefined;
  } else if (lead?.[1] === 'after') from = dayAfter(dated(first.start));
  else if (lead?.[1] !== 'since' && lead?.[1] !== 'from') to = dayAfter(dated(first.start));
  reading.range = { kind: 'absolute', from, to };
  const startAt = lead ? first.index - lead[0].length : first.index;
  reading.phrases.push(text.slice(startAt, endAt).trim());
  return text.slice(0, startAt) + ' '.repeat(endAt - startAt) + text.slice(endAt);
}

const monthDay = (d: Date) => d.getMonth() * 100 + d.getDate();

function toIso(d: Date): string {
  return isoDate(d.getFullYear(), d.getMonth() + 1, d.getDate());
}
