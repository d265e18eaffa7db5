import type { Answer, Cell } from '../domain/types.ts';
import { chooseChart } from '../render/chooseChart.ts';
import type { DashboardPanel } from '../render/dashboard.ts';
import type { UsualPanel } from './runPanels.ts';

// All of a dashboard's panels in one image: each the chart its answer's shape suits, or a card
// with its headline (a failed panel shows its message).

/** Bars a ranking panel shows: a long list draws no chart at all, its top rows do. */
const RANKING_BARS = 10;

function chartRows(a: Answer): Cell[][] {
  const plan = a.plan;
  const ranking = plan?.orderBy?.length && plan.dimensions.length && !plan.dimensions.some((d) => d.grain);
  return ranking ? a.rows.slice(0, RANKING_BARS) : a.rows;
}

export async function renderPanels(
  panels: UsualPanel[],
  options: { locale?: string; timeZone?: string } = {},
): Promise<Buffer> {
  // The canvas and Chart.js load with the first image, not with every command that may draw one.
  const { renderDashboard } = await import('../render/dashboard.ts');
  const cards: DashboardPanel[] = panels.map((p) => ({
    title: p.title,
    headline: p.headline,
    spec: p.answer.error
      ? null
      : chooseChart({
          question: p.question,
          columns: p.answer.columns,
          rows: chartRows(p.answer),
          plan: p.answer.plan,
          previousValue: p.change?.previous ?? null,
          ...options,
        }),
  }));
  return renderDashboard(cards);
}
