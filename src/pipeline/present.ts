import { formatCell } from '../render/format.ts';
import { describePeriod, humanize } from './describe.ts';
import type { Answer } from './types.ts';

// The present stage's words: one plain line that answers the question before any table.

export interface PresentOptions {
  locale?: string;
  timeZone?: string;
}

export function summarize(answer: Answer, options: PresentOptions = {}): string {
  if (answer.error) return answer.error.message;
  const period = describePeriod(answer.plan);
  const fmt = (i: number, row = 0) => {
    const col = answer.columns[i];
    const value = answer.rows[row]?.[i] ?? null;
    return col
      ? formatCell(value, col, {
          locale: options.locale,
          timeZone: options.timeZone,
          grain: answer.plan?.dimensions.find((d) => d.as === col.name)?.grain,
        })
      : '';
  };
  if (answer.rows.length === 0 && answer.truncatedBy === 'size') {
    return 'The result was too large to show; ask for fewer or shorter columns.';
  }
  if (answer.rows.length === 0) return `No matching rows${period}.`;
  if (answer.rows.length === 1 && answer.columns.length === 1) {
    return `${humanize(answer.columns[0]!.name)}${period}: ${fmt(0)}`;
  }
  const shown = answer.truncated
    ? `first ${answer.rowCount.toLocaleString('en-US')} rows`
    : `${answer.rowCount.toLocaleString('en-US')} ${answer.rowCount === 1 ? 'row' : 'rows'}`;
  // The value the rows are ranked or measured by: a measure, else the listing's sort column.
  const rankedBy = answer.plan?.measures[0]?.as ?? answer.plan?.orderBy?.[0]?.by;
  const measureIdx = answer.columns.findIndex((c) => c.kind === 'number' && c.name === rankedBy);
  const labelIdx = answer.columns.findIndex((_, i) => i !== measureIdx);
  const ordered = answer.plan?.orderBy?.length || answer.plan?.dimensions.some((d) => !d.grain);
  if (measureIdx >= 0 && labelIdx >= 0 && ordered && !answer.plan?.dimensions.some((d) => d.grain)) {
    return `${shown}${period}; top: ${fmt(labelIdx)} with ${fmt(measureIdx)} ${humanize(answer.columns[measureIdx]!.name).toLowerCase()}`;
  }
  return `${shown}${period}.`;
}
