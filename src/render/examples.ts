import type { Cell, ResultColumn } from '../domain/types.ts';
import type { ChartInput } from './chartContext.ts';

// Demo-shop-like results, one per chart kind, for the docs pictures and the render benchmark.

/** A fixed-seed generator so the pictures only change when the rendering does. */
function seeded(seed: number) {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
    return s / 2 ** 32;
  };
}
const random = seeded(42);
const money = (n: number) => n.toFixed(2);
const col = (name: string, kind: ResultColumn['kind']): ResultColumn => ({ name, kind });

const months = Array.from({ length: 12 }, (_, i) => {
  const d = new Date(Date.UTC(2024, 6 + i, 1));
  return `${d.toISOString().slice(0, 10)}T00:00:00+00:00`;
});
const categories = ['Electronics', 'Home & Kitchen', 'Books', 'Garden', 'Toys & Games', 'Sports'];
const segments = ['consumer', 'business'];

export interface ChartExample {
  /** Also the picture's file name in docs/: chart-<name>.png. */
  name: string;
  input: ChartInput;
}

export const CHART_EXAMPLES: ChartExample[] = [
  {
    name: 'big-number',
    input: {
      question: 'Show me total sales for last month',
      columns: [col('total_sales', 'number')],
      rows: [['1284503.27']],
      previousValue: '1179022.10',
    },
  },
  {
    name: 'line',
    input: {
      question: 'Total sales by month for the last 12 months',
      columns: [col('month', 'timestamp'), col('total_sales', 'number')],
      rows: months.map((m, i) => [m, money(980_000 + i * 21_000 + Math.sin(i) * 60_000 + random() * 40_000)]),
    },
  },
  {
    name: 'line-series',
    input: {
      question: 'Monthly orders by customer segment',
      columns: [col('month', 'timestamp'), col('segment', 'text'), col('orders', 'number')],
      rows: months.flatMap((m, i) =>
        segments.map((s, j): Cell[] => [
          m,
          s,
          Math.round((j === 0 ? 3100 : 1200) + i * (j === 0 ? 45 : 70) + random() * 300),
        ]),
      ),
    },
  },
  {
    name: 'bar',
    input: {
      question: 'What were our top selling product categories last quarter?',
      columns: [col('category', 'text'), col('revenue', 'number')],
      rows: categories.map((c, i) => [c, money(420_000 / (i + 1.3) + random() * 30_000)]),
    },
  },
  {
    name: 'stacked-bar',
    input: {
      question: 'Orders by country and status this year',
      columns: [col('country', 'text'), col('status', 'text'), col('orders', 'number')],
      rows: ['United States', 'Germany', 'United Kingdom', 'France', 'Canada', 'Japan'].flatMap((c, i) =>
        ['completed', 'shipped', 'cancelled', 'refunded'].map((s, j): Cell[] => [
          c,
          s,
          Math.round((9000 / (i + 1)) * [0.7, 0.2, 0.06, 0.04][j]! + random() * 100),
        ]),
      ),
    },
  },
  {
    name: 'doughnut',
    input: {
      question: 'Share of sales by category last month',
      columns: [col('category', 'text'), col('sales', 'number'), col('sales_share_pct', 'number')],
      rows: (() => {
        const sales = categories.map((_, i) => 300_000 / (i + 1) + random() * 20_000);
        const total = sales.reduce((a, b) => a + b, 0);
        return categories.map((c, i): Cell[] => [
          c,
          money(sales[i]!),
          Math.round((1000 * sales[i]!) / total) / 10,
        ]);
      })(),
    },
  },
  {
    name: 'scatter',
    input: {
      question: 'Product price vs units sold last 90 days',
      columns: [col('price', 'number'), col('units_sold', 'number')],
      rows: Array.from({ length: 160 }, (): Cell[] => {
        const price = 5 + random() * 495;
        return [money(price), Math.max(1, Math.round(4000 / Math.sqrt(price) + (random() - 0.5) * 300))];
      }),
    },
  },
];
