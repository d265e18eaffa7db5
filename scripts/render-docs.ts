// Renders one example PNG per chart kind into docs/ from demo-shop-like results, through the same
// choice and rendering code as live answers. Run: node --import tsx scripts/render-docs.ts

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChartSpec } from '../src/render/chartSpec.ts';
import { chooseChart } from '../src/render/chooseChart.ts';
import { renderDashboard } from '../src/render/dashboard.ts';
import { CHART_EXAMPLES } from '../src/render/examples.ts';
import { renderChart } from '../src/render/renderChart.ts';

const DOCS = join(import.meta.dirname, '..', 'docs');
/** One dark-theme picture shows how charts sit in Slack's dark mode. */
const DARK_EXAMPLE = 'stacked-bar';

const specs = new Map<string, ChartSpec>();
for (const { name, input } of CHART_EXAMPLES) {
  const spec = chooseChart(input);
  if (!spec) throw new Error(`${name}: no chart was chosen`);
  specs.set(name, spec);
  await writeFile(join(DOCS, `chart-${name}.png`), await renderChart(spec));
  if (name === DARK_EXAMPLE)
    await writeFile(join(DOCS, `chart-${name}-dark.png`), await renderChart(spec, { theme: 'dark' }));
  console.log(`chart-${name}.png: ${spec.kind}`);
}

const panel = (title: string, name: string) => ({ title, spec: specs.get(name) ?? null });
await writeFile(
  join(DOCS, 'chart-dashboard.png'),
  await renderDashboard([
    panel('Sales last month', 'big-number'),
    panel('Sales by month', 'line'),
    panel('Top categories last quarter', 'bar'),
    panel('Share of sales by category', 'doughnut'),
    panel('Orders by segment', 'line-series'),
    { title: 'New customers this week', spec: null, headline: '1,482' },
  ]),
);
console.log('chart-dashboard.png: 6 panels');
