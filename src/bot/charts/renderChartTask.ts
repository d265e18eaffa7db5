import type { Answer } from '../../domain/types.ts';
import { type AnswerChart, type AnswerChartOptions, renderAnswerChart } from '../../render/index.ts';

// The chart of one answer, drawn on a worker thread: Chart.js draws synchronously for tens of
// milliseconds, which on the main thread would hold up acknowledging Slack's events.

export interface ChartTask {
  answer: Answer;
  options: AnswerChartOptions;
}

export function renderChartTask({ answer, options }: ChartTask): Promise<AnswerChart | null> {
  return renderAnswerChart(answer, options);
}
