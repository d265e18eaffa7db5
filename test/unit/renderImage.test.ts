import { createCanvas, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import type { Answer, Cell, ResultColumn } from '../../src/domain/types.ts';
import { renderAnswerChart } from '../../src/render/answerChart.ts';
import type { ChartInput } from '../../src/render/chartContext.ts';
import type { ChartSpec } from '../../src/render/chartSpec.ts';
import { chooseChart } from '../../src/render/chooseChart.ts';
import { renderDashboard } from '../../src/render/dashboard.ts';
import { renderChart } from '../../src/render/renderChart.ts';
import { THEMES } from '../../src/render/theme.ts';

// Rendering is checked on the decoded PNG: its size, and that ink landed where the chart is.

interface Decoded {
  width: number;
  height: number;
  pixel(x: number, y: number): [number, number, number];
  /** Share of pixels in the box (fractions of the image) that differ from `background`. */
  inkShare(box: { x0: number; y0: number; x1: number; y1: number }, background: string): number;
  distinctColours(): number;
}

async function decode(png: Buffer): Promise<Decoded> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const { data } = ctx.getImageData(0, 0, image.width, image.height);
  const pixel = (x: number, y: number): [number, number, number] => {
    const i = (y * image.width + x) * 4;
    return [data[i]!, data[i + 1]!, data[i + 2]!];
  };
  return {
    width: image.width,
    height: image.height,
    pixel,
    inkShare(box, background) {
      const bg = [1, 3, 5].map((o) => Number.parseInt(background.slice(o, o + 2), 16));
      let ink = 0;
      let all = 0;
      for (let y = Math.floor(box.y0 * image.height); y < box.y1 * image.height; y += 2) {
        for (let x = Math.floor(box.x0 * image.width); x < box.x1 * image.width; x += 2) {
          const p = pixel(x, y);
          if (p.some((v, c) => Math.abs(v - bg[c]!) > 24)) ink++;
          all++;
        }
      }
      return ink / all;
    },
    distinctColours() {
      const seen = new Set<number>();
      for (let i = 0; i < data.length; i += 4 * 7)
        seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      return seen.size;
    },
  };
}

const WHITE = THEMES.light.card;
const PLOT = { x0: 0.15, y0: 0.2, x1: 0.95, y1: 0.8 };
const TITLE = { x0: 0, y0: 0, x1: 0.5, y1: 0.09 };

const col = (name: string, kind: ResultColumn['kind']): ResultColumn => ({ name, kind });
const month = (i: number) => `${new Date(Date.UTC(2025, i, 1)).toISOString().slice(0, 10)}T00:00:00+00:00`;
const chart = (input: Partial<ChartInput> & Pick<ChartInput, 'columns' | 'rows'>): ChartSpec => {
  const spec = chooseChart({ question: 'Sales by month', ...input });
  if (!spec) throw new Error('expected a chart');
  return spec;
};

const specs: Record<string, ChartSpec> = {
  big_number: chart({ columns: [col('total_sales', 'number')], rows: [['1234.5']], previousValue: 1000 }),
  line: chart({
    columns: [col('month', 'timestamp'), col('sales', 'number')],
    rows: Array.from({ length: 12 }, (_, i) => [month(i), 100 + ((i * 37) % 50)]),
  }),
  area: chart({
    columns: [
      col('month', 'timestamp'),
      col('category', 'text'),
      col('sales', 'number'),
      col('sales_share_pct', 'number'),
    ],
    rows: [0, 1, 2].flatMap((m) => ['A', 'B'].map((c, j): Cell[] => [month(m), c, 10 + j * 5 + m, 50])),
  }),
  bar: chart({
    columns: [col('category', 'text'), col('revenue', 'number')],
    rows: ['Books', 'Garden', 'Toys', 'Kitchen'].map((c, i) => [c, 400 - i * 90]),
  }),
  stacked_bar: chart({
    columns: [col('country', 'text'), col('status', 'text'), col('orders', 'number')],
    rows: ['US', 'DE', 'FR'].flatMap((c, i) =>
      ['completed', 'refunded'].map((s, j): Cell[] => [c, s, (3 - i) * (j ? 5 : 40)]),
    ),
  }),
  doughnut: chart({
    columns: [col('segment', 'text'), col('sales', 'number'), col('sales_share_pct', 'number')],
    rows: [
      ['consumer', 70, 70],
      ['business', 30, 30],
    ],
  }),
  scatter: chart({
    columns: [col('price', 'number'), col('units', 'number')],
    rows: Array.from({ length: 40 }, (_, i): Cell[] => [i * 3, 200 - i * 4 + ((i * 7) % 13)]),
  }),
};

describe('renderChart', () => {
  for (const [name, spec] of Object.entries(specs)) {
    it(`draws a ${name} at twice the logical size, with a title and ink in the plot`, async () => {
      const image = await decode(await renderChart(spec));
      expect([image.width, image.height]).toEqual([1600, 900]);
      expect(image.pixel(2, 2)).toEqual([255, 255, 255]);
      expect(image.distinctColours()).toBeGreaterThan(8);
      expect(image.inkShare(TITLE, WHITE)).toBeGreaterThan(0.01);
      expect(image.inkShare(PLOT, WHITE)).toBeGreaterThan(0.02);
    });
  }

  it('draws the series in the first palette colour', async () => {
    const image = await decode(await renderChart(specs.bar!));
    const blue = [0x00, 0x72, 0xb2];
    let found = false;
    for (let y = 200; y < 700 && !found; y += 5) {
      for (let x = 400; x < 1500 && !found; x += 5)
        found = image.pixel(x, y).every((v, c) => Math.abs(v - blue[c]!) < 4);
    }
    expect(found).toBe(true);
  });

  it('honours size, scale and the dark theme', async () => {
    const image = await decode(
      await renderChart(specs.line!, { width: 640, height: 360, scale: 1, theme: 'dark' }),
    );
    expect([image.width, image.height]).toEqual([640, 360]);
    expect(image.pixel(1, 1)).toEqual([0x1a, 0x1d, 0x21]);
    expect(image.inkShare(PLOT, THEMES.dark.card)).toBeGreaterThan(0.02);
  });

  it('draws the big number large in the middle of the card', async () => {
    const image = await decode(await renderChart(specs.big_number!));
    expect(image.inkShare({ x0: 0.02, y0: 0.3, x1: 0.6, y1: 0.55 }, WHITE)).toBeGreaterThan(0.1);
  });

  it('survives awkward values: huge, tiny, negative, long and emoji names, gaps', async () => {
    const awkward = chart({
      columns: [col('name', 'text'), col('amount', 'number')],
      rows: [
        ['x'.repeat(200), '1000000000000000'],
        ['🧸 Toys 👩‍👩‍👧', 1e-6],
        ['loss', -5e14],
        [null, null],
      ],
    });
    const image = await decode(await renderChart(awkward));
    expect(image.width).toBe(1600);
    expect(image.inkShare(PLOT, WHITE)).toBeGreaterThan(0.02);
  });

  it('survives a line of 100,000 points (thinned) and a big number from an exact decimal string', async () => {
    const many = chart({
      columns: [col('at', 'timestamp'), col('events', 'number')],
      rows: Array.from({ length: 100_000 }, (_, i): Cell[] => [
        new Date(Date.UTC(2020, 0, 1) + i * 60_000).toISOString(),
        i % 97,
      ]),
    });
    const exact = chart({ columns: [col('revenue', 'number')], rows: [['123456789012345678901.25']] });
    for (const spec of [many, exact]) {
      const image = await decode(await renderChart(spec));
      expect(image.inkShare(PLOT, WHITE)).toBeGreaterThan(0.02);
    }
  });
});

describe('renderDashboard', () => {
  it('lays six panels out in three columns on one image', async () => {
    const panels = [
      { title: 'Sales last month', spec: specs.big_number! },
      { title: 'Sales by month', spec: specs.line! },
      { title: 'Top categories', spec: specs.bar! },
      { title: 'By segment', spec: specs.doughnut! },
      { title: 'By country', spec: specs.stacked_bar! },
      { title: 'New customers', spec: null, headline: '1,482' },
    ];
    const image = await decode(await renderDashboard(panels));
    // 3 × 600 wide panels and 2 × 340 high, 16 apart, at 2×.
    expect([image.width, image.height]).toEqual([2 * (3 * 600 + 4 * 16), 2 * (2 * 340 + 3 * 16)]);
    expect(image.pixel(4, 4)).toEqual([0xee, 0xf0, 0xf3]);
    for (let i = 0; i < 6; i++) {
      const x0 = (16 + (i % 3) * 616) / 1864;
      const y0 = (16 + Math.floor(i / 3) * 356) / 728;
      const share = image.inkShare({ x0, y0, x1: x0 + 600 / 1864, y1: y0 + 340 / 728 }, WHITE);
      expect(share, `panel ${i}`).toBeGreaterThan(0.01);
    }
  });

  it('uses two columns for up to four panels and shows at most six', async () => {
    const two = await decode(
      await renderDashboard([
        { title: 'A', spec: specs.line! },
        { title: 'B', spec: null },
      ]),
    );
    expect(two.width).toBe(2 * (2 * 600 + 3 * 16));
    const eight = await decode(
      await renderDashboard(Array.from({ length: 8 }, (_, i) => ({ title: `Panel ${i}`, spec: specs.bar! }))),
    );
    expect(eight.width).toBe(2 * (3 * 600 + 4 * 16));
    expect(eight.height).toBe(2 * (2 * 340 + 3 * 16 + 28));
  });
});

describe('renderAnswerChart', () => {
  const answer = (over: Partial<Answer>): Answer => ({
    question: 'Revenue by category',
    sql: 'SELECT 1',
    columns: [col('category', 'text'), col('revenue', 'number')],
    rows: [
      ['Books', 10],
      ['Toys', 20],
    ],
    rowCount: 2,
    truncated: false,
    source: 'rules',
    plan: null,
    summary: '',
    assumptions: [],
    timings: {},
    error: null,
    notes: [],
    ...over,
  });

  it('returns the spec and a PNG for a chartable answer', async () => {
    const result = await renderAnswerChart(answer({}), { requested: 'doughnut', scale: 1 });
    expect(result?.spec.kind).toBe('doughnut');
    expect(result?.png.subarray(1, 4).toString()).toBe('PNG');
    expect((await decode(result!.png)).width).toBe(800);
  });

  it('honours the chart asked for in the question, and a request for the table alone', async () => {
    expect(
      (await renderAnswerChart(answer({ chartRequest: 'as a pie chart' }), { scale: 1 }))?.spec.kind,
    ).toBe('doughnut');
    expect(await renderAnswerChart(answer({ chartRequest: 'just the table' }))).toBeNull();
    const fallback = await renderAnswerChart(answer({ chartRequest: 'line' }), { scale: 1 });
    expect(fallback?.spec.kind).toBe('bar');
    expect(fallback?.note).toMatch(/line chart doesn't fit/);
  });

  it('returns null for a failed answer or one with no rows', async () => {
    expect(await renderAnswerChart(answer({ error: { kind: 'timeout', message: 'too slow' } }))).toBeNull();
    expect(await renderAnswerChart(answer({ rows: [], rowCount: 0 }))).toBeNull();
  });
});
