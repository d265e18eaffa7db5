import { describe, expect, it } from 'vitest';
import { goldOrders, resultsMatch } from '../../src/eval/compareResults.ts';

describe('execution accuracy comparison', () => {
  const gold = {
    columns: ['category', 'sales'],
    rows: [
      ['Books', '10.50'],
      ['Garden', 7],
    ],
  };

  it('matches columns by value whatever their names, with extra columns allowed', () => {
    const pred = {
      columns: ['id', 'name', 'revenue'],
      rows: [
        [2, 'Garden', 7],
        [1, 'Books', 10.5],
      ],
    };
    expect(resultsMatch(gold, pred, false)).toBe(true);
  });

  it('fails on a different value or a missing row', () => {
    expect(
      resultsMatch(
        gold,
        {
          columns: ['c', 's'],
          rows: [
            ['Books', 10.5],
            ['Garden', 8],
          ],
        },
        false,
      ),
    ).toBe(false);
    expect(resultsMatch(gold, { columns: ['c', 's'], rows: [['Books', 10.5]] }, false)).toBe(false);
  });

  it('checks order when the gold orders, but lets ties swap', () => {
    const reversed = {
      columns: ['c', 's'],
      rows: [
        ['Garden', 7],
        ['Books', 10.5],
      ],
    };
    expect(resultsMatch(gold, reversed, true)).toBe(false);
    const tied = {
      columns: ['c', 's'],
      rows: [
        ['A', 1],
        ['B', 1],
      ],
    };
    expect(
      resultsMatch(
        tied,
        {
          columns: ['c', 's'],
          rows: [
            ['B', 1],
            ['A', 1],
          ],
        },
        true,
      ),
    ).toBe(true);
  });

  it('compares timestamps as instants and numbers by value', () => {
    const g = { columns: ['m', 'n'], rows: [['2026-01-01T00:00:00.000Z', '3']] };
    expect(resultsMatch(g, { columns: ['m', 'n'], rows: [['2026-01-01 00:00:00+00', 3]] }, false)).toBe(true);
  });

  it('reads ORDER BY with PostgreSQL parser, ignoring one inside a subquery', async () => {
    expect(await goldOrders('SELECT a FROM t ORDER BY a')).toBe(true);
    expect(await goldOrders('SELECT * FROM (SELECT a FROM t ORDER BY a) s')).toBe(false);
  });
});
