import { type Canvas, createCanvas } from '@napi-rs/canvas';
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  SubTitle,
  Title,
} from 'chart.js';
import { cardContent, drawCard } from './card.ts';
import { chartConfig } from './chartConfig.ts';
import type { ChartSpec } from './chartSpec.ts';
import { encodePng } from './png.ts';
import { ensureFonts, THEMES, type ThemeName } from './theme.ts';

// ChartSpec → PNG with Chart.js on a server-side canvas. No animation, no resizing: one frame is
// drawn synchronously, encoded off the main thread, and the chart is freed.

Chart.register(
  LineController,
  LineElement,
  PointElement,
  BarController,
  BarElement,
  DoughnutController,
  ArcElement,
  ScatterController,
  CategoryScale,
  LinearScale,
  Title,
  SubTitle,
  Legend,
  Filler,
);

export interface RenderOptions {
  /** Logical size; the PNG is `scale` times larger. */
  width?: number;
  height?: number;
  /** Pixel density: 2 keeps text sharp on Slack's high-density screens. */
  scale?: number;
  theme?: ThemeName;
}

const clamp = (v: number | undefined, min: number, max: number, fallback: number) =>
  Number.isFinite(v) ? Math.min(max, Math.max(min, v as number)) : fallback;

export interface Painted {
  canvas: Canvas;
  /** Frees the chart; the canvas is cleared, so read or copy it first. */
  dispose(): void;
}

/** Draws `spec` on a fresh canvas of `scale × width` by `scale × height` pixels. */
export function paintChart(spec: ChartSpec, options: RenderOptions = {}): Painted {
  ensureFonts();
  const width = Math.round(clamp(options.width, 200, 4000, 800));
  const height = Math.round(clamp(options.height, 150, 4000, 450));
  const scale = clamp(options.scale, 1, 4, 2);
  const theme = THEMES[options.theme ?? 'light'] ?? THEMES.light;
  if (spec.kind === 'big_number') {
    const canvas = createCanvas(Math.round(width * scale), Math.round(height * scale));
    const ctx = canvas.getContext('2d');
    ctx.scale(scale, scale);
    drawCard(ctx, cardContent(spec), { x: 0, y: 0, width, height }, theme);
    return { canvas, dispose: () => {} };
  }
  // Chart.js sizes the canvas itself from the logical size and devicePixelRatio.
  const canvas = createCanvas(width, height);
  const chart = new Chart(canvas as unknown as HTMLCanvasElement, chartConfig(spec, theme, scale));
  return { canvas, dispose: () => chart.destroy() };
}

export async function renderChart(spec: ChartSpec, options: RenderOptions = {}): Promise<Buffer> {
  const { canvas, dispose } = paintChart(spec, options);
  try {
    return await encodePng(canvas);
  } finally {
    dispose();
  }
}
