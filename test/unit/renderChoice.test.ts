import { describe, expect, it } from 'vitest';
import type { Cell, QueryPlan, ResultColumn } from '../../src/domain/types.ts';
import type { ChartInput } from '../../src/render/chartContext.ts';
import { titleFrom } from '../../src/render/chartContext.ts';
import { chartKindOf } from '../../src/render/chartRequest.ts';
import type { BarSpec, BigNumberSpec, LineSpec, ScatterSpec } from '../../src/render/chartSpec.ts';
import { chooseChart, decideChart } from '../../src/render/chooseChart.ts';

const col = (name: string, kind: ResultColumn['kind']): ResultColumn => ({ name, kind });
const month = (i: number) => {
  const d = new Date(Date.UTC(2025, i, 1));
  return `${d.toISOString().slice(0, 10)}T00:00:00+00:00`;
};
const input = (columns: ResultColumn[], rows: Cell[][], extra: Partial<ChartInput> = {}): ChartInput => ({
  question: 'show me the numbers',
  columns,
  rows,
  ...extra,
});

const salesPlan = (over: Partial<QueryPlan> = {}): QueryPlan => ({
  baseTable: 'public.orders',
  measures: [
    { agg: 'sum', expr: { kind: 'column', ref: { table: 'public.orders', column: 'total' } }, as: 'sales' },
  ],
  dimensions: [],
  filters: [],
  ...over,
});

const byMonth = input(
  [col('month', 'timestamp'), col('sales', 'number')],
  Array.from({ length: 6 }, (_, i) => [month(i), String(1000 + i * 250.5)]),
  {
    plan: salesPlan({
      dimensions: [{ ref: { table: 'public.orders', column: 'created_at' }, grain: 'month', as: 'month' }],
    }),
  },
);

const categories = (n: number) => Array.from({ length: n }, (_, i) => `Category ${i + 1}`);
const byCategory = (n: number) =>
  input(
    [col('category', 'text'), col('revenue', 'number')],
    categories(n).map((c, i) => [c, (i * 37) % 11]),
  );

describe('chooseChart: the rule for each result shape', () => {
  it('one value becomes a big-number card with its change vs the previous period', () => {
    const spec = chooseChart(
      input([col('total_sales', 'number')], [['1200.50']], {
        previousValue: 1000,
        question: 'Show me total sales',
      }),
    ) as BigNumberSpec;
    expect(spec.kind).toBe('big_number');
    expect(spec.value).toBe('1200.50');
    expect(spec.changePct).toBeCloseTo(20.05, 5);
    expect(spec.format.style).toBe('money');
    expect(spec.title).toBe('Total sales');
  });

  it('a previous value of zero gives no percentage rather than infinity', () => {
    const spec = chooseChart(input([col('orders', 'number')], [[12]], { previousValue: 0 })) as BigNumberSpec;
    expect(spec.changePct).toBeNull();
    expect(spec.previousValue).toBe(0);
  });

  it('time × measure becomes a line with month labels and a money axis', () => {
    const spec = chooseChart(byMonth) as LineSpec;
    expect(spec.kind).toBe('line');
    expect(spec.labels).toEqual(['Jan 2025', 'Feb 2025', 'Mar 2025', 'Apr 2025', 'May 2025', 'Jun 2025']);
    expect(spec.series).toHaveLength(1);
    expect(spec.series[0]!.values[1]).toBeCloseTo(1250.5);
    expect(spec.yLabel).toBe('Sales (USD)');
  });

  it('rows out of time order are drawn in time order', () => {
    const shuffled = { ...byMonth, rows: [...byMonth.rows].reverse() };
    expect((chooseChart(shuffled) as LineSpec).labels[0]).toBe('Jan 2025');
  });

  it('a second dimension with up to 8 values becomes one line per value', () => {
    const rows = [0, 1, 2].flatMap((m) =>
      ['consumer', 'business'].map((s, j): Cell[] => [month(m), s, 10 * m + j]),
    );
    const spec = chooseChart(
      input([col('month', 'timestamp'), col('segment', 'text'), col('orders', 'number')], rows),
    );
    expect(spec?.kind).toBe('line');
    const line = spec as LineSpec;
    expect(line.series.map((s) => s.label)).toEqual(['consumer', 'business']);
    expect(line.series[1]!.values).toEqual([1, 11, 21]);
  });

  it('more than 8 series keeps the 8 largest and says so', () => {
    const rows = Array.from({ length: 12 }, (_, s) =>
      [0, 1].map((m): Cell[] => [month(m), `s${s}`, s + 1]),
    ).flat();
    const spec = chooseChart(
      input([col('month', 'timestamp'), col('shop', 'text'), col('orders', 'number')], rows),
    );
    const line = spec as LineSpec;
    expect(line.series).toHaveLength(8);
    expect(line.series.map((s) => s.label)).not.toContain('s0');
    expect(line.note).toMatch(/8 largest of 12 series/);
  });

  it('shares over time become a stacked area', () => {
    const rows = [0, 1].flatMap((m) =>
      ['Books', 'Garden'].map((c, j): Cell[] => [month(m), c, 100 * (j + 1), 50]),
    );
    const spec = chooseChart(
      input(
        [
          col('month', 'timestamp'),
          col('category', 'text'),
          col('sales', 'number'),
          col('sales_share_pct', 'number'),
        ],
        rows,
      ),
    ) as LineSpec;
    expect(spec.kind).toBe('area');
    expect(spec.stacked).toBe(true);
  });

  it('up to 20 categories become horizontal bars sorted by value', () => {
    const spec = chooseChart(byCategory(20)) as BarSpec;
    expect(spec.kind).toBe('bar');
    expect(spec.orientation).toBe('horizontal');
    expect(spec.stacking).toBe('none');
    const values = spec.series[0]!.values as number[];
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(spec.labels).toHaveLength(20);
  });

  it('more than 20 categories get no chart, with the reason', () => {
    const decision = decideChart(byCategory(21));
    expect(decision.spec).toBeNull();
    expect(decision.note).toMatch(/21 categories are too many/);
  });

  it('two categories of a sum stack; of an average they group', () => {
    const rows = ['US', 'DE'].flatMap((c) => ['completed', 'refunded'].map((s, j): Cell[] => [c, s, j + 1]));
    const columns = [col('country', 'text'), col('status', 'text'), col('orders', 'number')];
    const countPlan = salesPlan({
      measures: [{ agg: 'count', expr: { kind: 'rows', table: 'public.orders' }, as: 'orders' }],
    });
    const avgPlan = salesPlan({
      measures: [
        {
          agg: 'avg',
          expr: { kind: 'column', ref: { table: 'public.orders', column: 'total' } },
          as: 'orders',
        },
      ],
    });
    const stacked = chooseChart(input(columns, rows, { plan: countPlan })) as BarSpec;
    const grouped = chooseChart(input(columns, rows, { plan: avgPlan })) as BarSpec;
    expect(stacked.stacking).toBe('stacked');
    expect(grouped.stacking).toBe('grouped');
    expect(stacked.series.map((s) => s.label)).toEqual(['completed', 'refunded']);
  });

  it('shares of a whole with up to 6 parts become a doughnut; 7 parts stay bars', () => {
    const share = (n: number) =>
      input(
        [col('category', 'text'), col('sales', 'number'), col('sales_share_pct', 'number')],
        categories(n).map((c, i) => [c, 10 + i, 100 / n]),
      );
    expect(chooseChart(share(6))?.kind).toBe('doughnut');
    expect(chooseChart(share(7))?.kind).toBe('bar');
  });

  it('two measures without a dimension become a scatter plot', () => {
    const rows = Array.from({ length: 10 }, (_, i): Cell[] => [String(5 + i * 10), 100 - i * 7]);
    const spec = chooseChart(
      input([col('price', 'number'), col('units_sold', 'number')], rows),
    ) as ScatterSpec;
    expect(spec.kind).toBe('scatter');
    expect(spec.points[1]).toEqual({ x: 15, y: 93 });
    expect(spec.xFormat.style).toBe('money');
    expect(spec.format.style).toBe('count');
  });

  describe('a ratio is shown by its own column, not by the two counts it divides', () => {
    const count = (as: string): QueryPlan['measures'][number] => ({
      agg: 'count',
      expr: { kind: 'rows', table: 'public.orders' },
      as,
    });
    const cancelled = {
      ref: { table: 'public.orders', column: 'status' },
      op: '=' as const,
      value: 'cancelled',
    };
    const ratioPlan = (over: Partial<QueryPlan> = {}): QueryPlan => ({
      baseTable: 'public.orders',
      measures: [{ ...count('cancelled'), where: [cancelled] }, count('all_orders')],
      dimensions: [],
      filters: [],
      ratio: { numerator: 'cancelled', denominator: 'all_orders', as: 'ratio' },
      ...over,
    });
    const counts = [col('cancelled', 'number'), col('all_orders', 'number'), col('ratio', 'number')];

    it('ungrouped: a big number of the ratio', () => {
      const spec = chooseChart(input(counts, [[12, 100, 0.12]], { plan: ratioPlan() })) as BigNumberSpec;
      expect(spec.kind).toBe('big_number');
      expect(spec.value).toBe(0.12);
      expect(spec.label).toBe('Ratio');
      expect(spec.format.style).toBe('decimal');
    });

    it('grouped: bars of the ratio, ranked by it', () => {
      const plan = ratioPlan({
        dimensions: [{ ref: { table: 'public.customers', column: 'country' }, as: 'country' }],
      });
      const rows = [
        ['Germany', 5, 40, 0.125],
        ['France', 3, 30, 0.1],
        ['Japan', 4, 30, 0.1333],
      ];
      const spec = chooseChart(input([col('country', 'text'), ...counts], rows, { plan })) as BarSpec;
      expect(spec.kind).toBe('bar');
      expect(spec.series).toEqual([{ label: 'Ratio', values: [0.1333, 0.125, 0.1] }]);
      expect(spec.labels).toEqual(['Japan', 'Germany', 'France']);
      expect(spec.valueLabel).toBe('Ratio');
    });

    it('too many groups for bars: the table, never a scatter of the two counts', () => {
      const plan = ratioPlan({
        dimensions: [{ ref: { table: 'public.customers', column: 'city' }, as: 'city' }],
      });
      const rows = categories(30).map((c, i) => [c, i, 100 + i, i / (100 + i)]);
      const decision = decideChart(input([col('city', 'text'), ...counts], rows, { plan }));
      expect(decision.spec).toBeNull();
      expect(decision.note).toMatch(/too many for a bar chart/);
    });
  });

  it('a plain listing of rows stays a table', () => {
    const listing = salesPlan({ measures: [], select: [{ table: 'public.orders', column: 'total' }] });
    const decision = decideChart({ ...byCategory(5), plan: listing });
    expect(decision.spec).toBeNull();
    expect(decision.note).toMatch(/table/);
  });

  it('raw timestamps without a plan are labelled by the grain they were cut to', () => {
    const spec = chooseChart(
      input(
        [col('week', 'timestamp'), col('orders', 'number')],
        ['2025-03-03T00:00:00+00:00', '2025-03-10T00:00:00+00:00', '2025-03-17T00:00:00+00:00'].map(
          (w, i) => [w, i],
        ),
      ),
    ) as LineSpec;
    expect(spec.labels).toEqual(['Wk of Mar 3', 'Wk of Mar 10', 'Wk of Mar 17']);
  });

  it('labels follow the locale', () => {
    const spec = chooseChart({ ...byMonth, locale: 'de-DE' }) as LineSpec;
    expect(spec.labels[2]).toBe('März 2025');
    expect(spec.format.locale).toBe('de-DE');
  });

  it('specs are plain JSON: they survive a round trip unchanged', () => {
    for (const spec of [chooseChart(byMonth), chooseChart(byCategory(5))]) {
      expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
    }
  });
});

describe('chooseChart: requests and preferences', () => {
  it('an explicit request wins when it fits the shape', () => {
    const spec = chooseChart(byMonth, { requested: 'bar' }) as BarSpec;
    expect(spec.kind).toBe('bar');
    expect(spec.orientation).toBe('vertical');
    expect(spec.labels[0]).toBe('Jan 2025');
  });

  it('a request that does not fit falls back and says why', () => {
    const decision = decideChart(byCategory(5), { requested: 'line' });
    expect(decision.spec?.kind).toBe('bar');
    expect(decision.note).toMatch(/line chart doesn't fit.*date or time.*bar chart instead/);
    expect(decision.spec?.note).toBe(decision.note);
  });

  it('a doughnut request with negative parts falls back to bars', () => {
    const rows: Cell[][] = [
      ['a', 5],
      ['b', -2],
    ];
    const decision = decideChart(input([col('region', 'text'), col('profit', 'number')], rows), {
      requested: 'doughnut',
    });
    expect(decision.spec?.kind).toBe('bar');
    expect(decision.note).toMatch(/negative/);
  });

  it('a request that fits nothing leaves the table alone, with the reason', () => {
    const decision = decideChart(input([col('name', 'text')], [['a'], ['b']]), { requested: 'scatter' });
    expect(decision.spec).toBeNull();
    expect(decision.note).toMatch(/scatter plot doesn't fit.*table only/);
  });

  it('a learned preference wins silently when it fits', () => {
    const decision = decideChart(byMonth, { preferred: ['bar', 'line'] });
    expect(decision.spec?.kind).toBe('bar');
    expect(decision.note).toBeNull();
  });

  it('a preference that does not fit is skipped for the next one, then for the automatic choice', () => {
    expect(chooseChart(byCategory(5), { preferred: ['line', 'doughnut'] })?.kind).toBe('doughnut');
    const decision = decideChart(byCategory(10), { preferred: ['line', 'doughnut'] });
    expect(decision.spec?.kind).toBe('bar');
    expect(decision.note).toBeNull();
  });

  it('a preference never turns a single value into a one-bar chart', () => {
    expect(chooseChart(input([col('sales', 'number')], [[5]]), { preferred: ['bar'] })?.kind).toBe(
      'big_number',
    );
  });
});

describe('chooseChart: awkward input', () => {
  it('0 rows: no chart and a note', () => {
    const decision = decideChart(input([col('month', 'timestamp'), col('sales', 'number')], []));
    expect(decision).toEqual({ spec: null, note: 'No chart: there are no rows.' });
  });

  it('all-NULL measures: no chart', () => {
    const decision = decideChart(
      input(
        [col('month', 'timestamp'), col('sales', 'number')],
        [
          [month(0), null],
          [month(1), null],
        ],
      ),
    );
    expect(decision.spec).toBeNull();
    expect(decision.note).toMatch(/no number/);
  });

  it('a NULL category reads as a dash and NULL values stay gaps', () => {
    const spec = chooseChart(
      input(
        [col('category', 'text'), col('sales', 'number')],
        [
          [null, 3],
          ['Books', null],
          ['Toys', 5],
        ],
      ),
    ) as BarSpec;
    expect(spec.labels).toEqual(['Toys', '—', 'Books']);
    expect(spec.series[0]!.values).toEqual([5, 3, null]);
  });

  it('100,000 time points are thinned to at most 1,000 with the peak kept', () => {
    const rows = Array.from({ length: 100_000 }, (_, i): Cell[] => [
      new Date(Date.UTC(2020, 0, 1) + i * 60_000).toISOString(),
      i === 54_321 ? 1e6 : i % 100,
    ]);
    const spec = chooseChart(input([col('at', 'timestamp'), col('events', 'number')], rows)) as LineSpec;
    expect(spec.labels.length).toBeLessThanOrEqual(1000);
    expect(spec.labels.length).toBeGreaterThan(500);
    expect(Math.max(...(spec.series[0]!.values as number[]))).toBe(1e6);
    expect(spec.note).toMatch(/of 100,000 points/);
  });

  it('100,000 categories: no chart and a clear note', () => {
    const decision = decideChart(byCategory(100_000));
    expect(decision.spec).toBeNull();
    expect(decision.note).toMatch(/100,000 categories are too many/);
  });

  it('100,000 scatter points are sampled evenly to 2,000', () => {
    const rows = Array.from({ length: 100_000 }, (_, i): Cell[] => [i, i * 2]);
    const spec = chooseChart(input([col('price', 'number'), col('units', 'number')], rows)) as ScatterSpec;
    expect(spec.points).toHaveLength(2000);
    expect(spec.points.at(-1)!.x).toBeGreaterThan(99_000);
    expect(spec.note).toMatch(/2,000 of 100,000/);
  });

  it('200-character names are cut, emoji names are kept whole', () => {
    const long = 'x'.repeat(200);
    const emoji = '🧸 Toys 👩‍👩‍👧';
    const spec = chooseChart(
      input(
        [col('product', 'text'), col('units', 'number')],
        [
          [long, 2],
          [emoji, 1],
        ],
      ),
    ) as BarSpec;
    expect(spec.labels[0]!.length).toBeLessThanOrEqual(32);
    expect(spec.labels[0]!.endsWith('…')).toBe(true);
    expect(spec.labels[1]).toBe(emoji);
  });

  it('huge, tiny and negative values pass through unchanged', () => {
    const spec = chooseChart(
      input(
        [col('name', 'text'), col('amount', 'number')],
        [
          ['big', '1000000000000000'],
          ['small', 1e-6],
          ['loss', -250],
        ],
      ),
    ) as BarSpec;
    expect(spec.series[0]!.values).toEqual([1e15, 1e-6, -250]);
  });
});

describe('titleFrom', () => {
  it('drops the leading verb and a chart request', () => {
    expect(titleFrom('show me total sales by month as a line chart')).toBe('Total sales by month');
    expect(titleFrom('Can you plot orders per week?')).toBe('Orders per week?');
    expect(titleFrom('how many orders last week')).toBe('How many orders last week');
  });
});

describe('chartKindOf', () => {
  it('reads a chart kind from words', () => {
    expect(chartKindOf('as a line chart')).toBe('line');
    expect(chartKindOf('pie')).toBe('doughnut');
    expect(chartKindOf('show it as bars')).toBe('bar');
    expect(chartKindOf('stacked area')).toBe('area');
    expect(chartKindOf('just the table please')).toBe('table');
    expect(chartKindOf('something nice')).toBeNull();
    expect(chartKindOf(undefined)).toBeNull();
  });
});
