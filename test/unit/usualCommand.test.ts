import { describe, expect, it } from 'vitest';
import { parseChannelRef } from '../../src/usual/channelRef.ts';
import {
  columnsOf,
  cronOf,
  describeSpec,
  parseScheduleSpec,
  parseTimeOfDay,
  specOf,
} from '../../src/usual/scheduleSpec.ts';
import { parseUsualCommand } from '../../src/usual/usualCommand.ts';
import { UsualCommandError } from '../../src/usual/usualErrors.ts';
import { isUsualRequest } from '../../src/usual/usualRequest.ts';
import { zonedInstant } from '../../src/usual/zonedTime.ts';

const NOW = new Date('2026-11-25T06:00:00Z');
const parse = (text: string, timeZone = 'Europe/Berlin') => parseUsualCommand(text, { timeZone, now: NOW });

function errorOf(fn: () => unknown): UsualCommandError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UsualCommandError) return e;
    throw e;
  }
  throw new Error('expected a UsualCommandError');
}

describe('isUsualRequest', () => {
  it.each([
    ['show me the usual', {}],
    ['Show me the usual sales dashboard', { topic: 'sales' }],
    ['the usual sales dashboard', { topic: 'sales' }],
    ['my usual', {}],
    ['my usual please!', {}],
    ['/usual sales', { topic: 'sales' }],
    ['/usual', {}],
    ['<@UQUARRY> show me the usual for Germany', { topic: 'Germany' }],
    ['can you pull up my usual numbers?', {}],
  ])('%s → %j', (text, expected) => {
    expect(isUsualRequest(text)).toEqual(expected);
  });

  it.each([
    "What's the usual order size?",
    'How many orders did we get last week?',
    'unusual orders last month',
    'Show me total sales for last month',
  ])('leaves questions alone: %s', (text) => {
    expect(isUsualRequest(text)).toBeNull();
  });
});

describe('parseUsualCommand', () => {
  it('reads show, topics, help, list and schedules', () => {
    expect(parse('')).toEqual({ kind: 'show' });
    expect(parse('  sales  ')).toEqual({ kind: 'show', topic: 'sales' });
    expect(parse('sales in Germany')).toEqual({ kind: 'show', topic: 'sales in Germany' });
    expect(parse('help')).toEqual({ kind: 'help' });
    expect(parse('list')).toEqual({ kind: 'list' });
    expect(parse('schedules')).toEqual({ kind: 'schedules' });
  });

  it('reads pins, unpins, stops and resumes', () => {
    expect(parse('pin total sales last month')).toEqual({ kind: 'pin', question: 'total sales last month' });
    expect(parse('unpin 2')).toEqual({ kind: 'unpin', n: 2 });
    expect(parse('stop 14')).toEqual({ kind: 'stop', id: 14 });
    expect(parse('stop #14')).toEqual({ kind: 'stop', id: 14 });
    expect(parse('resume 3')).toEqual({ kind: 'resume', id: 3 });
  });

  it.each([
    ['pin', /Say what to pin/],
    ['unpin', /needs a number/],
    ['unpin two', /needs a number/],
    ['unpin 0', /needs a number/],
    ['stop -1', /needs a number/],
    ['stop 3 4', /didn't expect "4"/],
    ['list everything', /didn't expect "everything"/],
    [`pin ${'x'.repeat(2001)}`, /too long/],
  ])('%s → a clear error', (text, message) => {
    expect(errorOf(() => parse(text)).userMessage).toMatch(message);
  });

  it('reads schedules with channel and the person’s timezone', () => {
    expect(parse('schedule daily 09:00 <#C024BE91L|sales>')).toEqual({
      kind: 'schedule',
      spec: { cadence: 'daily', time: '09:00' },
      channel: { id: 'C024BE91L', name: 'sales' },
      timeZone: 'Europe/Berlin',
    });
    expect(parse('schedule weekdays 8:30am #sales-team', 'America/New_York')).toEqual({
      kind: 'schedule',
      spec: { cadence: 'weekdays', time: '08:30' },
      channel: { name: 'sales-team' },
      timeZone: 'America/New_York',
    });
    expect(parse('schedule weekly mon 09:00 C024BE91L')).toMatchObject({
      spec: { cadence: 'weekly', weekday: 1, time: '09:00' },
      channel: { id: 'C024BE91L' },
    });
    expect(parse('schedule weekly Friday 17:00 #x')).toMatchObject({ spec: { weekday: 5 } });
    expect(parse('schedule monthly 1 07:15 #x')).toMatchObject({
      spec: { cadence: 'monthly', dayOfMonth: 1 },
    });
    expect(parse('schedule 2026-12-01 09:00 #x')).toMatchObject({
      spec: { cadence: 'once', date: '2026-12-01', time: '09:00' },
    });
  });

  it.each([
    ['schedule daily 25:00 #sales', /isn't a time of day/],
    ['schedule daily 9:75 #sales', /isn't a time of day/],
    ['schedule daily 13pm #sales', /isn't a time of day/],
    ['schedule daily 9 #sales', /isn't a time of day/],
    ['schedule daily noon #sales', /isn't a time of day/],
    ['schedule weekly someday 09:00 #sales', /isn't a day of the week/],
    ['schedule monthly 31 09:00 #sales', /day from 1 to 28/],
    ['schedule hourly 09:00 #sales', /don't know the schedule "hourly"/],
    ['schedule daily 09:00', /Say when and where|Say when, then where/],
    ['schedule daily 09:00 sales', /isn't a channel/],
    ['schedule daily 09:00 <@U123>', /looks like a person/],
    ['schedule daily 09:00 #Not A Channel', /Say when, then where|isn't a channel/],
    ['schedule 2026-02-30 09:00 #sales', /isn't a date/],
    ['schedule 2026-11-25 06:59 #sales', /already passed/],
    ['schedule 2025-01-01 09:00 #sales', /already passed/],
  ])('%s → a clear error', (text, message) => {
    expect(errorOf(() => parse(text)).userMessage).toMatch(message);
  });

  it('rejects an unknown timezone before scheduling', () => {
    expect(errorOf(() => parse('schedule daily 09:00 #x', 'Mars/Olympus')).userMessage).toMatch(/timezone/);
  });
});

describe('schedule specs', () => {
  it('reads times of day in 24- and 12-hour forms', () => {
    expect(parseTimeOfDay('9:05')).toBe('09:05');
    expect(parseTimeOfDay('12am')).toBe('00:00');
    expect(parseTimeOfDay('12:30pm')).toBe('12:30');
    expect(parseTimeOfDay('11pm')).toBe('23:00');
  });

  it('turns cadences into cron patterns in the owner’s zone', () => {
    const tz = 'Europe/Berlin';
    expect(cronOf({ cadence: 'daily', time: '09:00' }, tz)).toEqual({ pattern: '0 9 * * *', tz });
    expect(cronOf({ cadence: 'weekdays', time: '08:30' }, tz)).toEqual({ pattern: '30 8 * * 1-5', tz });
    expect(cronOf({ cadence: 'weekly', weekday: 1, time: '09:00' }, tz)).toEqual({
      pattern: '0 9 * * 1',
      tz,
    });
    expect(cronOf({ cadence: 'monthly', dayOfMonth: 15, time: '18:45' }, tz)).toEqual({
      pattern: '45 18 15 * *',
      tz,
    });
    const once = cronOf({ cadence: 'once', date: '2026-12-01', time: '09:00' }, tz);
    expect(once.pattern).toBe('0 9 1 12 *');
    // 09:00 in Berlin in winter is 08:00 UTC; the one-off ends a minute later.
    expect(once.endDate?.toISOString()).toBe('2026-12-01T08:01:00.000Z');
  });

  it('round-trips specs through the stored columns', () => {
    const specs = [
      { cadence: 'daily', time: '09:00' },
      { cadence: 'weekdays', time: '07:00' },
      { cadence: 'weekly', weekday: 0, time: '10:00' },
      { cadence: 'monthly', dayOfMonth: 28, time: '23:59' },
      { cadence: 'once', date: '2027-01-02', time: '00:00' },
    ] as const;
    for (const spec of specs) expect(specOf(columnsOf(spec))).toEqual(spec);
    expect(describeSpec({ cadence: 'weekly', weekday: 1, time: '09:00' })).toBe('every Monday at 09:00');
  });

  it('accepts a one-off time later today but not one a minute ago', () => {
    const zone = 'Asia/Tokyo'; // 06:00 UTC is 15:00 in Tokyo
    expect(parseScheduleSpec(['2026-11-25', '15:01'], zone, NOW)).toEqual({
      cadence: 'once',
      date: '2026-11-25',
      time: '15:01',
    });
    expect(() => parseScheduleSpec(['2026-11-25', '14:59'], zone, NOW)).toThrow(UsualCommandError);
  });
});

describe('zoned times and channels', () => {
  it('finds the instant of a wall-clock time across daylight saving', () => {
    expect(zonedInstant('2026-07-01', '09:00', 'Europe/Berlin').toISOString()).toBe(
      '2026-07-01T07:00:00.000Z',
    );
    expect(zonedInstant('2026-01-15', '09:00', 'America/New_York').toISOString()).toBe(
      '2026-01-15T14:00:00.000Z',
    );
    expect(zonedInstant('2026-03-29', '03:30', 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    expect(zonedInstant('2026-06-01', '00:00', 'UTC').toISOString()).toBe('2026-06-01T00:00:00.000Z');
  });

  it('reads Slack’s escaped channels, ids and names', () => {
    expect(parseChannelRef('<#C0123ABCD>')).toEqual({ id: 'C0123ABCD' });
    expect(parseChannelRef('<#G0123ABCD|private-team>')).toEqual({ id: 'G0123ABCD', name: 'private-team' });
    expect(parseChannelRef('#General')).toEqual({ name: 'general' });
    expect(() => parseChannelRef('#')).toThrow(UsualCommandError);
    expect(() => parseChannelRef('@someone')).toThrow(/person/);
  });
});
