import { createCanvas } from '@napi-rs/canvas';
import { drawCard } from './card.ts';
import type { ChartSpec } from './chartSpec.ts';
import { encodePng } from './png.ts';
import { paintChart } from './renderChart.ts';
import { ensureFonts, font, THEMES, type ThemeName } from './theme.ts';

// Several answers in one image (`/usual`, scheduled digests): up to six panels in a grid, each a
// chart or a headline card, on one page so Slack shows them as a single upload.

export interface DashboardPanel {
  title: string;
  spec: ChartSpec | null;
  /** The one-line answer, shown as a card when there is no chart. */
  headline?: string;
}

export interface DashboardOptions {
  theme?: ThemeName;
  scale?: number;
}

const MAX_PANELS = 6;
const PANEL = { width: 600, height: 340 };
const GAP = 16;
const FOOTER = 28;

function columnsFor(count: number): number {
  if (count <= 1) return 1;
  return count <= 4 ? 2 : 3;
}

export async function renderDashboard(
  panels: DashboardPanel[],
  options: DashboardOptions = {},
): Promise<Buffer> {
  ensureFonts();
  const theme = THEMES[options.theme ?? 'light'] ?? THEMES.light;
  const scale = Math.min(4, Math.max(1, options.scale ?? 2));
  const shown = panels.slice(0, MAX_PANELS);
  const hidden = panels.length - shown.length;
  const cols = columnsFor(shown.length);
  const rows = Math.max(1, Math.ceil(shown.length / cols));
  const width = cols * PANEL.width + (cols + 1) * GAP;
  const height = rows * PANEL.height + (rows + 1) * GAP + (hidden > 0 ? FOOTER : 0);
  const canvas = createCanvas(Math.round(width * scale), Math.round(height * scale));
  const ctx = canvas.getContext('2d');
  ctx.scale(scale, scale);
  ctx.fillStyle = theme.page;
  ctx.fillRect(0, 0, width, height);

  shown.forEach((panel, i) => {
    const x = GAP + (i % cols) * (PANEL.width + GAP);
    const y = GAP + Math.floor(i / cols) * (PANEL.height + GAP);
    const rect = { x, y, ...PANEL };
    if (!panel.spec) {
      const value = panel.headline ?? 'No chart for this answer';
      drawCard(ctx, { title: panel.title, value, shortValue: value }, rect, theme);
      return;
    }
    const painted = paintChart(
      { ...panel.spec, title: panel.title },
      { ...PANEL, scale, theme: options.theme },
    );
    try {
      ctx.drawImage(painted.canvas, x, y, PANEL.width, PANEL.height);
    } finally {
      painted.dispose();
    }
  });

  if (hidden > 0) {
    ctx.font = font(13);
    ctx.fillStyle = theme.muted;
    ctx.textBaseline = 'bottom';
    ctx.fillText(
      `${hidden} more ${hidden === 1 ? 'panel' : 'panels'} not shown (${MAX_PANELS} at most).`,
      GAP,
      height - 10,
    );
  }
  return encodePng(canvas);
}
