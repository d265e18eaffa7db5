// The present stage's public surface: chart choice and images, cell/table/CSV formatting.

export { type AnswerChart, type AnswerChartOptions, renderAnswerChart } from './answerChart.ts';
export type { ChartInput } from './chartContext.ts';
export { chartKindOf } from './chartRequest.ts';
export type { ChartKind, ChartSpec, ValueFormat } from './chartSpec.ts';
export { type ChartDecision, type ChartPrefs, chooseChart, decideChart } from './chooseChart.ts';
export { toCsv } from './csv.ts';
export { type DashboardPanel, renderDashboard } from './dashboard.ts';
export { type CellFormatOptions, formatCell, NULL_TEXT } from './format.ts';
export { type RenderOptions, renderChart } from './renderChart.ts';
export { formatTable, type TableOptions } from './table.ts';
