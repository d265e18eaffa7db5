import type { ChartKind } from './chartSpec.ts';

// A chart asked for in words ("line", "as a pie chart", "just the table") as a chart kind.

const WORDS: [RegExp, ChartKind | 'table'][] = [
  [/\b(table|no chart)\b/i, 'table'],
  [/\b(big[ _-]?number|kpi|single number)\b/i, 'big_number'],
  [/\barea\b/i, 'area'],
  [/\b(line|trend|time ?series)\b/i, 'line'],
  [/\b(bar|bars|column|histogram)\b/i, 'bar'],
  [/\b(pie|doughnut|donut)\b/i, 'doughnut'],
  [/\b(scatter|dot plot|xy)\b/i, 'scatter'],
];

/** The kind named in `words`, 'table' for a table instead of a chart, or null when none is. */
export function chartKindOf(words: string | undefined): ChartKind | 'table' | null {
  if (!words) return null;
  return WORDS.find(([pattern]) => pattern.test(words))?.[1] ?? null;
}
