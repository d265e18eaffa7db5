// Render time per chart kind (choice + Chart.js draw + PNG encode) and for a six-panel dashboard,
// after warm-up. Targets: p50 ≤ 50 ms per chart, ≤ 300 ms per dashboard.
// Run: node --import tsx bench/render.ts

import type { ChartSpec } from '../src/render/chartSpec.ts';
import { chooseChart } from '../src/render/chooseChart.ts';
import { renderDashboard } from '../src/render/dashboard.ts';
import { CHART_EXAMPLES } from '../src/render/examples.ts';
import { renderChart } from '../src/render/renderChart.ts';

const WARM_UP = 5;
const RUNS = 40;
const DASHBOARD_RUNS = 15;
const TARGET = { chart: 50, dashboard: 300 };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function time(runs: number, work: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < WARM_UP; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

const rows: { what: string; p50: number; p95: number; target: number }[] = [];
const specs: ChartSpec[] = [];
for (const { name, input } of CHART_EXAMPLES) {
  const result = await time(RUNS, async () => {
    const spec = chooseChart(input);
    if (spec) await renderChart(spec);
  });
  const spec = chooseChart(input);
  if (spec) specs.push(spec);
  rows.push({ what: `${name} (${spec?.kind ?? 'none'})`, ...result, target: TARGET.chart });
}
const panels = specs.slice(0, 6).map((spec, i) => ({ title: `Panel ${i + 1}`, spec }));
rows.push({
  what: `dashboard (${panels.length} panels)`,
  ...(await time(DASHBOARD_RUNS, () => renderDashboard(panels))),
  target: TARGET.dashboard,
});

const fmt = (ms: number) => ms.toFixed(1).padStart(8);
console.log(
  `${'render'.padEnd(28)}${'p50 ms'.padStart(8)}${'p95 ms'.padStart(8)}${'target'.padStart(8)}  ok`,
);
for (const r of rows) {
  console.log(
    `${r.what.padEnd(28)}${fmt(r.p50)}${fmt(r.p95)}${String(r.target).padStart(8)}  ${r.p50 <= r.target ? 'yes' : 'NO'}`,
  );
}
