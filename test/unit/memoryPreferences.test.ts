import { describe, expect, it } from 'vitest';
import { learnedPreferences } from '../../src/memory/profiles.ts';

describe('preferences read from usage counters', () => {
  it('learns nothing from ordinary questions', () => {
    expect(learnedPreferences({ questions: 40, 'hour:09': 12, 'table:public.orders': 30 })).toEqual({});
  });

  it('takes the number of rows asked for at least three times, the most asked one', () => {
    expect(learnedPreferences({ 'limit:20': 2 })).toEqual({});
    expect(learnedPreferences({ 'limit:20': 3 })).toEqual({ default_limit: 20 });
    expect(learnedPreferences({ 'limit:20': 3, 'limit:50': 5, 'limit:10': 9 })).toEqual({
      default_limit: 10,
    });
  });

  it('takes chart kinds asked for at least twice, most asked first', () => {
    expect(learnedPreferences({ 'chart:bar': 1 })).toEqual({});
    expect(learnedPreferences({ 'chart:bar': 2, 'chart:area': 4, 'chart:line': 1 })).toEqual({
      preferred_charts: ['area', 'bar'],
    });
  });
});
