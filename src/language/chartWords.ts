// "as a line chart", "in a bar graph", "make it a pie": how the asker wants an answer drawn.
// It is read off any question, fresh or follow-up, and the rest is planned as usual, so
// "monthly sales as a bar chart" and "now by category as a pie" both work.

export type ChartRequest = 'line' | 'bar' | 'doughnut' | 'area' | 'scatter' | 'table' | 'big_number';

const CHART =
  /\b(?:as|in|into|make it|show (?:it|that|them|this) as) an? (line|bar|pie|doughnut|donut|area|scatter|table)(?: chart| graph| plot| diagram)?\b|\bas an? (?:big |single )?(number)\b/i;
/** Words that are left when a message was only a chart request ("now show it as a bar chart"). */
const FILLER =
  /\b(?:now|and|ok|okay|please|then|but|instead|can you|could you|would you|show|draw|display|plot|me|it|that|this|them|again)\b/gi;

export function splitChartRequest(text: string): { chart: ChartRequest | null; rest: string } {
  const m = CHART.exec(text);
  if (!m) return { chart: null, rest: text };
  const word = (m[1] ?? m[2])!.toLowerCase();
  const chart = (
    word === 'pie' || word === 'donut' ? 'doughnut' : word === 'number' ? 'big_number' : word
  ) as ChartRequest;
  const rest = `${text.slice(0, m.index)} ${text.slice(m.index + m[0].length)}`.replace(/\s+/g, ' ').trim();
  const meaningful = rest.replace(FILLER, '').replace(/[^\p{L}\p{N}]+/gu, '');
  return { chart, rest: meaningful ? rest : '' };
}
