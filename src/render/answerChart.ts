import type { Answer } from '../domain/types.ts';
import { chartKindOf } from './chartRequest.ts';
import type { ChartKind, ChartSpec } from './chartSpec.ts';
import { type ChartPrefs, decideChart } from './chooseChart.ts';
import { type RenderOptions, renderChart } from './renderChart.ts';

// The present stage's chart for one answer: choose from the result shape, then draw. Used by
// `quarry ask --chart FILE` and by the Slack reply's image upload.

export interface AnswerChartOptions extends ChartPrefs, RenderOptions {
  locale?: string;
  timeZone?: string;
  currency?: string;
  /** The same measure for the previous period, for a big number's change. */
  previousValue?: number | string | null;
}

export interface AnswerChart {
  spec: ChartSpec;
  png: Buffer;
  /** What the reader should know about the chart (a request that did not fit, thinned points). */
  note: string | null;
}

/** null when the answer failed, its shape suits the table alone, or the asker wanted the table.
 *  A kind given in the options wins over `answer.chartRequest` (the words of the question), and
 *  preferences given in the options over the asker's learned ones on the answer. */
export async function renderAnswerChart(
  answer: Answer,
  options: AnswerChartOptions = {},
): Promise<AnswerChart | null> {
  if (answer.error) return null;
  const { preferred, requested, width, height, scale, theme, ...presentation } = options;
  const asked = requested ?? chartKindOf(answer.chartRequest);
  if (asked === 'table') return null;
  const { question, columns, rows, plan } = answer;
  const learned = (answer.preferredCharts ?? [])
    .map(chartKindOf)
    .filter((k): k is ChartKind => k !== null && k !== 'table');
  const { spec, note } = decideChart(
    { question, columns, rows, plan, ...presentation },
    { preferred: preferred ?? learned, requested: asked ?? undefined },
  );
  if (!spec) return null;
  const png = await renderChart(spec, { width, height, scale, theme });
  return { spec, png, note };
}
