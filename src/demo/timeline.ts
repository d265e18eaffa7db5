// When things happen in the demo shop: a window of whole UTC days ending today, with gentle
// growth, a yearly season (holidays, Black Friday), a weekly rhythm and daily noise. Every
// past day gets at least one order when there are enough orders to go round, so "yesterday"
// and "last week" always have data.

import { createRandom, type Random, searchCumulative } from './random.ts';

export const DAY_MS = 86_400_000;
/** Days of history before today: about two years and nine months. */
export const HISTORY_DAYS = 1000;

const YEARLY_GROWTH = 0.3;
const WEEKDAY_FACTOR = [0.95, 1.08, 1.05, 1.02, 1, 0.97, 0.9]; // Sunday first, as getUTCDay
// Share of orders per UTC hour: customers span many time zones, so nights are quiet, not empty.
const HOUR_WEIGHTS = [
  2, 1.5, 1.2, 1, 1, 1.2, 1.8, 2.6, 3.4, 4, 4.4, 4.6, 4.8, 4.8, 4.7, 4.6, 4.6, 4.8, 5, 5, 4.6, 4, 3.2, 2.5,
];
const HOUR_CUMULATIVE = Float64Array.from(
  HOUR_WEIGHTS.map((_, h) => HOUR_WEIGHTS.slice(0, h + 1).reduce((a, b) => a + b, 0)),
);

export interface Timeline {
  /** Midnight UTC of the first day. */
  start: number;
  /** Midnight UTC of today (the last, partial day). */
  today: number;
  now: number;
  /** Days from `start` to today inclusive. */
  days: number;
  /** Relative busyness of each day; the cumulative sum is for sampling a day. */
  cumulativeWeight: Float64Array;
}

export function timelineFor(now: Date, seed: number): Timeline {
  const nowMs = now.getTime();
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const start = today - HISTORY_DAYS * DAY_MS;
  const days = HISTORY_DAYS + 1;
  const random = createRandom(seed, 'timeline');
  const cumulativeWeight = new Float64Array(days);
  let sum = 0;
  for (let i = 0; i < days; i++) {
    sum += dayWeight(new Date(start + i * DAY_MS), i / 365, random);
    cumulativeWeight[i] = sum;
  }
  return { start, today, now: nowMs, days, cumulativeWeight };
}

function dayWeight(date: Date, years: number, random: Random): number {
  const month = date.getUTCMonth();
  const dayOfMonth = date.getUTCDate();
  const dayOfYear = (date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY_MS;
  const season = 1 + 0.15 * Math.cos((2 * Math.PI * (dayOfYear - 350)) / 365.25);
  const blackFriday = month === 10 && dayOfMonth >= 24 ? 1.6 : 1;
  const holidayShopping = month === 11 && dayOfMonth <= 20 ? 1.2 : 1;
  const noise = 0.85 + 0.3 * random.next();
  return (
    Math.exp(YEARLY_GROWTH * years) *
    season *
    blackFriday *
    holidayShopping *
    WEEKDAY_FACTOR[date.getUTCDay()]! *
    noise
  );
}

/** Fraction of today already past at `now`; today's rows only fill that part of the day. */
export function elapsedToday(timeline: Timeline): number {
  return (timeline.now - timeline.today) / DAY_MS;
}

/**
 * Splits `total` events over the days in proportion to their weight (largest remainder), with
 * at least one per day when `total` allows. Today's share is then cut to the part of the day
 * that has passed (rounded up: a shop open since midnight has taken an order).
 */
export function countsPerDay(timeline: Timeline, total: number): Int32Array {
  const { days, cumulativeWeight } = timeline;
  const counts = new Int32Array(days);
  const floor = total >= days ? 1 : 0;
  const rest = total - floor * days;
  const weightSum = cumulativeWeight[days - 1]!;
  const remainders: { day: number; fraction: number }[] = [];
  let given = 0;
  for (let i = 0; i < days; i++) {
    const weight = cumulativeWeight[i]! - (i > 0 ? cumulativeWeight[i - 1]! : 0);
    const quota = (rest * weight) / weightSum;
    counts[i] = floor + Math.floor(quota);
    given += Math.floor(quota);
    remainders.push({ day: i, fraction: quota - Math.floor(quota) });
  }
  remainders.sort((a, b) => b.fraction - a.fraction || a.day - b.day);
  for (let k = 0; k < rest - given; k++) counts[remainders[k]!.day]! += 1;
  counts[days - 1] = Math.ceil(counts[days - 1]! * elapsedToday(timeline));
  return counts;
}

/** A time of day in ms after midnight UTC, busier in the afternoon. */
export function sampleTimeOfDay(random: Random): number {
  const hour = searchCumulative(HOUR_CUMULATIVE, random.next() * HOUR_CUMULATIVE[23]!);
  return Math.floor((hour + random.next()) * 3_600_000);
}

/**
 * A moment on day `day` of the timeline; on today it is squeezed into the part already past,
 * so nothing is ever dated after `now`.
 */
export function momentOn(timeline: Timeline, day: number, timeOfDay: number): number {
  const start = timeline.start + day * DAY_MS;
  if (start < timeline.today) return start + timeOfDay;
  return start + Math.floor(timeOfDay * elapsedToday(timeline));
}

/** A moment sampled with the days' busyness (sign-ups follow the same curve as orders). */
export function sampleBusyMoment(timeline: Timeline, random: Random): number {
  const total = timeline.cumulativeWeight[timeline.days - 1]!;
  const day = searchCumulative(timeline.cumulativeWeight, random.next() * total);
  return momentOn(timeline, day, sampleTimeOfDay(random));
}
