// The demo shop's customers. Ids follow sign-up order, so the customers who could have placed
// an order at a given moment are always a prefix of the list; each has an activity weight that
// makes a few of them loyal, big spenders.

import { COUNTRIES, TRADES } from './places.ts';
import { createRandom } from './random.ts';
import type { CustomerRow, Segment } from './rows.ts';
import { DAY_MS, momentOn, sampleBusyMoment, sampleTimeOfDay, type Timeline } from './timeline.ts';

const BUSINESS_SHARE = 0.2;
/** Share of customers who signed up before the first day of orders. */
const EARLY_SHARE = 0.2;
const EARLY_SPAN_DAYS = 730;

export interface Customers {
  rows: CustomerRow[];
  /** Running sum of activity in id order, for picking who places an order. */
  cumulativeActivity: Float64Array;
}

export function generateCustomers(timeline: Timeline, count: number, seed: number): Customers {
  const random = createRandom(seed, 'customers');
  const drafts = Array.from({ length: count }, () => {
    const country = random.weighted(COUNTRIES, (c) => c.weight);
    const city = random.weighted(country.cities, ([, w]) => w)[0];
    const segment: Segment = random.chance(BUSINESS_SHARE) ? 'business' : 'consumer';
    const first = random.pick(country.firstNames);
    const last = random.pick(country.lastNames);
    const trade = random.pick(TRADES);
    const createdAt = random.chance(EARLY_SHARE)
      ? timeline.start - Math.floor(random.next() * EARLY_SPAN_DAYS * DAY_MS) - 1
      : sampleBusyMoment(timeline, random);
    // A heavy tail: most customers buy now and then, a few very often.
    const activity = (segment === 'business' ? 2.5 : 1) / Math.sqrt(1 - random.next() * 0.995);
    return { country, city, segment, first, last, trade, createdAt, activity };
  });
  drafts.sort((a, b) => a.createdAt - b.createdAt);
  // The first orders need someone to place them.
  if (drafts[0] && drafts[0].createdAt >= timeline.start) drafts[0].createdAt = timeline.start - DAY_MS;
  // Someone has signed up today, so "new customers this month" has an answer on the 1st too.
  const last = drafts.at(-1);
  if (last && last.createdAt < timeline.today && timeline.now > timeline.today) {
    last.createdAt = momentOn(timeline, timeline.days - 1, sampleTimeOfDay(random));
  }

  const cumulativeActivity = new Float64Array(count);
  let sum = 0;
  const rows = drafts.map((d, i): CustomerRow => {
    sum += d.activity;
    cumulativeActivity[i] = sum;
    const id = i + 1;
    const business = d.segment === 'business';
    return {
      id,
      name: business ? `${d.last} ${d.trade} ${d.country.companySuffix}` : `${d.first} ${d.last}`,
      email: business
        ? `purchasing.${id}@${asciiSlug(d.last)}-${asciiSlug(d.trade)}.example.com`
        : `${asciiSlug(d.first)}.${asciiSlug(d.last)}.${id}@example.com`,
      country: d.country.name,
      city: d.city,
      segment: d.segment,
      createdAt: d.createdAt,
    };
  });
  return { rows, cumulativeActivity };
}

/** "Wiśniewski" → "wisniewski", "de Jong" → "dejong": safe in an email address. */
function asciiSlug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}
