import { describeChange } from './headline.ts';
import type { UsualPanel } from './runPanels.ts';

// A panel as one line of a /usual reply or a digest: title, headline, change.

export function panelLine(panel: UsualPanel, options: { locale?: string; timeZone?: string } = {}): string {
  const change = panel.change ? ` (${describeChange(panel.change, panel.answer, options)})` : '';
  const mark = panel.answer.error ? '⚠️ ' : '';
  return `• ${panel.title}: ${mark}${panel.headline}${change}`;
}
