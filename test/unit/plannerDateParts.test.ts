// Calendar places — "by day of the week", "by hour of the day", "each month of 2021" — from a
// time column (the demo shop) and from columns that keep the names themselves (a review table
// with a year number and a month name, check-ins by weekday name).
import { describe, expect, it } from 'vitest';
import { readTime } from '../../src/language/timePhrases.ts';
import { col, fk, schemaOf, table } from '../fixtures/schemaBuilders.ts';
import { shopSchema } from '../fixtures/shopSchema.ts';
import { offlinePlanner } from '../helpers/offlinePlanner.ts';

const shop = offlinePlanner(shopSchema);
const reviews = offlinePlanner(
  schemaOf(
    [
      table('business', [col('id', 'integer', 'number'), col('name', 'text', 'text')], 50),
      table(
        'review',
        [
          col('id', 'integer', 'number'),
          col('business_id', 'integer', 'number'),
          col('year', 'integer', 'number'),
          col('month', 'text', 'text'),
          col('rating', 'real', 'number'),
        ],
        5000,
      ),
      table(
        'checkin',
        [
          col('id', 'integer', 'number'),
          col('business_id', 'integer', 'number'),
          col('day', 'text', 'text', { sampleValues: ['Monday', 'Friday', 'Saturday'] }),
          col('count', 'integer', 'number'),
        ],
        300,
      ),
    ],
    [fk('review', 'business_id', 'business'), fk('checkin', 'business_id', 'business')],
  ),
);

describe('calendar places in words', () => {
  it('reads a place in the calendar apart from a grain and a filter', () => {
    expect(readTime('orders by day of the week').part).toBe('weekday');
    expect(readTime('revenue for each hour of the day').part).toBe('hour');
    expect(readTime('signups by month of the year').part).toBe('month');
    expect(readTime('orders on weekdays').part).toBeUndefined();
    const withinYear = readTime('reviews in each month of the year 2021');
    expect([withinYear.part, withinYear.grain, withinYear.range]).toEqual([
      undefined,
      'month',
      { kind: 'absolute', from: '2021-01-01', to: '2022-01-01' },
    ]);
  });
});

describe('from a time column', () => {
  it('groups by the name of the day, in calendar order', () => {
    const sql = shop.sql('orders by day of the week');
    expect(sql).toContain("to_char(orders.created_at, 'FMDay') AS day_of_week");
    expect(sql).toContain("ORDER BY array_position(ARRAY['monday', 'tuesday'");
  });

  it('groups by the hour of the day, in order, within a period', () => {
    const sql = shop.sql('revenue by hour of the day last month');
    expect(sql).toContain('extract(hour FROM orders.created_at) AS hour_of_day');
    expect(sql).toMatch(/ORDER BY extract\(hour FROM orders\.created_at\) ASC/);
  });
});

describe('from columns that keep the names', () => {
  it('groups by a weekday-name column, adding up the tallies', () => {
    const p = reviews.plan('How many check-ins occurred on each day of the week?');
    expect(p.dimensions).toEqual([
      { ref: { table: 'public.checkin', column: 'day' }, part: 'weekday', as: 'day' },
    ]);
    expect(p.measures[0]).toMatchObject({ agg: 'sum' });
  });

  it('reads one month of one year on a year number and a month name', () => {
    expect(reviews.plan('how many reviews in the month of April 2021').filters).toEqual([
      { ref: { table: 'public.review', column: 'year' }, op: '=', value: 2021 },
      { ref: { table: 'public.review', column: 'month' }, op: '=', value: 'April' },
    ]);
  });

  it('groups each month of a year by the month name, and several years by year and month', () => {
    const within = reviews.plan('how many reviews in each month of the year 2021');
    expect(within.dimensions.map((d) => d.ref.column)).toEqual(['month']);
    expect(reviews.sql('reviews by month')).toMatch(
      /GROUP BY review\.year, review\.month\nORDER BY year ASC NULLS LAST, array_position\(ARRAY\['january'/,
    );
  });

  it('does not put a day or a rolling window on columns that cannot hold it', () => {
    expect(() => reviews.plan('how many reviews last week')).toThrow(/date or time column/);
    expect(() => reviews.plan('reviews by hour of the day')).toThrow(/date or time column/);
  });
});
