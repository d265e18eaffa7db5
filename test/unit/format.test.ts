import { describe, expect, it } from 'vitest';
import type { QueryPlan, ResultColumn } from '../../src/domain/types.ts';
import { toCsv } from '../../src/render/csv.ts';
import { formatCell } from '../../src/render/format.ts';
import { formatTable } from '../../src/render/table.ts';
import { displayWidth, truncate } from '../../src/render/text.ts';

const col = (name: string, kind: ResultColumn['kind'], typeOid?: number): ResultColumn => ({
  name,
  kind,
  typeOid,
});
const num = col('value', 'number');
const sales = col('total_sales', 'number');

describe('formatCell: numbers', () => {
  it('uses the locale’s separators', () => {
    expect(formatCell(1234567.891, num, { locale: 'en-US' })).toBe('1,234,567.89');
    expect(formatCell(1234567.891, num, { locale: 'de-DE' })).toBe('1.234.567,89');
  });

  it('shows money with two decimals and the currency, guessed from the name', () => {
    expect(formatCell('1234.5', sales)).toBe('$1,234.50');
    expect(formatCell('1234.5', sales, { locale: 'de-DE', currency: 'EUR' })).toBe('1.234,50\u00a0€');
    expect(formatCell(7, col('price', 'number'))).toBe('$7.00');
    expect(formatCell('3.10', col('amount', 'number', 790))).toBe('$3.10');
  });

  it('does not take counts of things for money', () => {
    expect(formatCell(1200, col('total_orders', 'number'))).toBe('1,200');
    expect(formatCell(12, col('sales_count', 'number'))).toBe('12');
  });

  it('lets the caller say whether a column is money', () => {
    expect(formatCell(5, col('x', 'number'), { money: true })).toBe('$5.00');
    expect(formatCell(5, sales, { money: false })).toBe('5');
  });

  it('shows counts without decimals and averages with up to two', () => {
    expect(formatCell('42', col('orders', 'number'))).toBe('42');
    expect(formatCell(3.14659, col('avg_items', 'number'))).toBe('3.15');
    expect(formatCell(2.5, col('avg_items', 'number'))).toBe('2.5');
  });

  it('formats exact decimal strings without going through a float', () => {
    expect(formatCell('12345678901234567890.125', num)).toBe('12,345,678,901,234,567,890.13');
    expect(formatCell('9007199254740993', num)).toBe('9,007,199,254,740,993');
    expect(formatCell('-0.50', num)).toBe('-0.5');
  });

  it('keeps very small numbers readable', () => {
    expect(formatCell(0.004567, num)).toBe('0.0046');
    expect(formatCell(0.000001, num)).toBe('1E-6');
    expect(formatCell(0, num)).toBe('0');
  });

  it('keeps very large numbers whole', () => {
    expect(formatCell(1e15, num)).toBe('1,000,000,000,000,000');
  });

  it('shows share columns (0–100) as percentages', () => {
    expect(formatCell(33.3, col('sales_share_pct', 'number'))).toBe('33.3%');
    expect(formatCell(50, col('sales_share_pct', 'number'), { locale: 'de-DE' })).toBe('50,0\u00a0%');
  });

  it('passes text that is not a number through unchanged', () => {
    expect(formatCell('NaN', num)).toBe('NaN');
    expect(formatCell('Infinity', num)).toBe('Infinity');
  });
});

describe('formatCell: identifiers', () => {
  it('prints ids, keys, codes and years as stored, never as quantities', () => {
    for (const name of [
      'id',
      'customer_id',
      'customerId',
      'OrderID',
      'paperid',
      'citedpaperid',
      'zip_code',
      'order_number',
      'year',
    ])
      expect(formatCell(10211, col(name, 'number')), name).toBe('10211');
    expect(formatCell('2023', col('year', 'number'), { locale: 'de-DE' })).toBe('2023');
    expect(formatCell('9007199254740993', col('event_id', 'number'))).toBe('9007199254740993');
  });

  it('keeps quantities and money that merely end like an id grouped', () => {
    expect(formatCell(10211, col('units', 'number'))).toBe('10,211');
    expect(formatCell(10211, col('paid', 'number'))).toBe('$10,211.00');
    expect(formatCell(10211, col('valid', 'number'))).toBe('10,211');
  });

  it('formats a measure by what it counts, whatever it was named', () => {
    const plan: QueryPlan = {
      baseTable: 'public.orders',
      measures: [{ agg: 'count', expr: { kind: 'rows', table: 'public.orders' }, as: 'orders_per_year' }],
      dimensions: [],
      filters: [],
    };
    expect(formatCell(10211, col('orders_per_year', 'number'))).toBe('10211');
    expect(formatCell(10211, col('orders_per_year', 'number'), { plan })).toBe('10,211');
  });
});

describe('formatCell: dates and times', () => {
  const ts = col('created_at', 'timestamp');
  const date = col('day', 'date');

  it('shows timestamps in the reader’s timezone', () => {
    expect(formatCell('2025-03-01T03:00:00+00:00', ts, { timeZone: 'America/Los_Angeles' })).toBe(
      'Feb 28, 2025, 7:00 PM',
    );
    expect(formatCell('2025-03-01T03:00:00+00:00', ts, { timeZone: 'Europe/Berlin', locale: 'de-DE' })).toBe(
      '01.03.2025, 04:00',
    );
  });

  it('shows a timestamp as written when no timezone is known', () => {
    expect(formatCell('2025-03-01T00:00:00-05:00', ts)).toBe('Mar 1, 2025, 12:00 AM');
  });

  it('never shifts a calendar date', () => {
    expect(formatCell('2025-03-04', date, { timeZone: 'Pacific/Kiritimati' })).toBe('Mar 4, 2025');
    expect(formatCell('2025-03-04', date, { timeZone: 'Pacific/Pago_Pago' })).toBe('Mar 4, 2025');
    expect(formatCell('2025-03-04', date, { locale: 'de-DE' })).toBe('04.03.2025');
  });

  it('shapes a bucket by its grain', () => {
    const start = '2025-03-03T00:00:00+01:00';
    expect(formatCell(start, ts, { grain: 'day' })).toBe('Mar 3, 2025');
    expect(formatCell(start, ts, { grain: 'week' })).toBe('Wk of Mar 3, 2025');
    expect(formatCell(start, ts, { grain: 'month' })).toBe('Mar 2025');
    expect(formatCell(start, ts, { grain: 'month', locale: 'de-DE' })).toBe('März 2025');
    expect(formatCell(start, ts, { grain: 'quarter' })).toBe('Q1 2025');
    expect(formatCell(start, ts, { grain: 'year' })).toBe('2025');
    expect(formatCell('2025-03-03T14:00:00Z', ts, { grain: 'hour' })).toBe('Mar 3, 2025, 2:00 PM');
  });

  it('a bucket cut in the reader’s zone keeps its label in that zone', () => {
    expect(
      formatCell('2025-03-01T00:00:00-05:00', ts, { grain: 'month', timeZone: 'America/New_York' }),
    ).toBe('Mar 2025');
  });

  it('passes unreadable values through', () => {
    expect(formatCell('infinity', ts)).toBe('infinity');
    expect(formatCell('4713-01-01 BC', date)).toBe('4713-01-01 BC');
  });
});

describe('formatCell: everything else', () => {
  const text = col('name', 'text');

  it('shows NULL as a dash and booleans as yes/no', () => {
    expect(formatCell(null, text)).toBe('—');
    expect(formatCell(null, num)).toBe('—');
    expect(formatCell(true, col('active', 'boolean'))).toBe('yes');
    expect(formatCell(false, col('active', 'boolean'))).toBe('no');
  });

  it('cuts long text with an ellipsis and keeps it on one line', () => {
    expect(formatCell('a'.repeat(300), text)).toBe(`${'a'.repeat(99)}…`);
    expect(formatCell('line one\nline two', text)).toBe('line one line two');
    expect(formatCell('abcdefghij', text, { maxWidth: 5 })).toBe('abcd…');
  });

  it('does not take a bad locale or timezone setting as a reason to fail', () => {
    expect(formatCell(1234.5, num, { locale: 'not a locale!' })).toBe('1,234.5');
    expect(formatCell('2025-03-01T03:00:00Z', col('at', 'timestamp'), { timeZone: 'Mars/Olympus' })).toBe(
      'Mar 1, 2025, 3:00 AM',
    );
  });
});

describe('truncate', () => {
  it('cuts a value of megabytes by looking only at what the width can show', () => {
    expect(truncate('x'.repeat(5_000_000), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(truncate('👍🏽'.repeat(1_000_000), 7)).toBe(`${'👍🏽'.repeat(3)}…`);
    // Graphemes longer than the prefix allows: still cut, and still says so.
    const heavy = `a${'\u0301'.repeat(40)}`.repeat(1000);
    const cut = truncate(heavy, 5);
    expect(cut.endsWith('…')).toBe(true);
    expect(displayWidth(cut)).toBeLessThanOrEqual(5);
  });

  it('never splits an emoji grapheme and counts emoji as two cells', () => {
    const family = '👩‍👩‍👧';
    expect(displayWidth(family)).toBe(2);
    expect(truncate(`${family}${family}${family}`, 5)).toBe(`${family}${family}…`);
    expect(truncate('🇩🇪🇫🇷🇯🇵', 4)).toBe('🇩🇪…');
    expect(truncate('short', 10)).toBe('short');
  });
});

describe('formatTable', () => {
  const columns = [col('category', 'text'), col('total_sales', 'number'), col('orders', 'number')];
  const rows = [
    ['Electronics', '12345.5', 120],
    ['Books', '99.99', 3],
    [null, '-5', 1_000_000],
  ];

  it('aligns a header, a separator and the rows, numbers to the right', () => {
    expect(formatTable(columns, rows)).toBe(
      [
        'category     total_sales     orders',
        '-----------  -----------  ---------',
        'Electronics   $12,345.50        120',
        'Books             $99.99          3',
        '—                 -$5.00  1,000,000',
      ].join('\n'),
    );
  });

  it('formats for the locale', () => {
    const table = formatTable(columns, rows, { locale: 'de-DE', currency: 'EUR' });
    expect(table).toContain('12.345,50\u00a0€');
    expect(table).toContain('1.000.000');
  });

  it('says how many rows were left out, counting those the query did not fetch', () => {
    expect(formatTable(columns, rows, { maxRows: 2 }).split('\n').at(-1)).toBe('… and 1 more rows');
    expect(formatTable(columns, rows, { maxRows: 2, totalRows: 5000 }).split('\n').at(-1)).toBe(
      '… and 4,998 more rows',
    );
  });

  it('prints identifier columns without thousands separators', () => {
    const table = formatTable([col('customer_id', 'number'), col('orders', 'number')], [[10211, 12000]]);
    expect(table.split('\n')[2]).toBe('      10211  12,000');
  });

  it('reads grains and money from the plan', () => {
    const plan: QueryPlan = {
      baseTable: 'public.orders',
      measures: [
        { agg: 'sum', expr: { kind: 'column', ref: { table: 'public.orders', column: 'total' } }, as: 'x' },
      ],
      dimensions: [{ ref: { table: 'public.orders', column: 'created_at' }, grain: 'month', as: 'm' }],
      filters: [],
    };
    const table = formatTable([col('m', 'timestamp'), col('x', 'number')], [['2025-02-01T00:00:00Z', 5]], {
      plan,
    });
    expect(table.split('\n')[2]).toBe('Feb 2025  $5.00');
  });

  it('narrows text columns first when too wide, and never cuts a number', () => {
    const wide = [[`${'Very long product name '.repeat(4)}`, '123456789.99', 42]];
    const table = formatTable(columns, wide, { maxWidth: 40 });
    const lines = table.split('\n');
    expect(Math.max(...lines.map(displayWidth))).toBeLessThanOrEqual(40);
    expect(lines[2]).toContain('$123,456,789.99');
    expect(lines[2]).toContain('…');
  });

  it('drops the last columns when even narrowed text does not fit, and names them', () => {
    const many = Array.from({ length: 8 }, (_, i) => col(`amount_${i}`, 'number'));
    const table = formatTable(many, [many.map(() => '1234567.00')], { maxWidth: 50 });
    const lines = table.split('\n');
    expect(lines[0]!.split(/\s+/).length).toBeLessThan(8);
    expect(lines.at(-1)).toMatch(/^… and \d more columns: amount_\d/);
    expect(Math.max(...lines.map(displayWidth))).toBeLessThanOrEqual(50);
  });

  it('keeps emoji rows aligned by display width', () => {
    const table = formatTable(
      [col('name', 'text'), col('n', 'number')],
      [
        ['🧸 Toys', 1],
        ['Books', 22],
      ],
    );
    const [, , first, second] = table.split('\n');
    expect(displayWidth(first!)).toBe(displayWidth(second!));
  });

  it('handles no rows and no columns', () => {
    expect(formatTable(columns, []).split('\n').at(-1)).toBe('(no rows)');
    expect(formatTable([], [])).toBe('(no columns)');
  });
});

describe('toCsv', () => {
  it('quotes commas, quotes and newlines and keeps raw values', () => {
    const csv = toCsv(
      [
        col('name', 'text'),
        col('total', 'number'),
        col('day', 'date'),
        col('at', 'timestamp'),
        col('ok', 'boolean'),
      ],
      [
        ['Smith, "Bob"\nJr.', '1234.50', '2025-03-04', '2025-03-04T10:00:00+01:00', true],
        [null, 1e-6, null, null, false],
      ],
    );
    expect(csv).toBe(
      [
        'name,total,day,at,ok',
        '"Smith, ""Bob""',
        'Jr.",1234.50,2025-03-04,2025-03-04T10:00:00+01:00,true',
        ',0.000001,,,false',
        '',
      ].join('\n'),
    );
  });

  it('writes a header even with no rows', () => {
    expect(toCsv([col('a', 'text'), col('b,c', 'number')], [])).toBe('a,"b,c"\n');
  });
});
