import type { Answer } from '../domain/types.ts';

// The JSON contract of `quarry ask --format json` and `quarry chat --format jsonl`
// (docs/architecture.md#the-command-line-contract). Scripts and evaluations depend on it: keep it
// stable.

export interface AnswerJson {
  question: string;
  /** The headline: what was computed, as the terminal and Slack say it. */
  summary: string;
  /** What was assumed, as the "assumed:" lines say it. */
  assumptions: string[];
  sql: string | null;
  columns: string[];
  rows: Answer['rows'];
  row_count: number;
  /** Rows were left out: `truncated_by` says whether by the row cap or the size cap. */
  truncated: boolean;
  truncated_by: 'rows' | 'size' | null;
  notes: string[];
  /** Rows that exist when the list was cut (counted), null when they could not be counted. */
  total_rows?: number | null;
  source: Answer['source'];
  timings: Record<string, number>;
  chart: string | null;
  error: Answer['error'];
}

export function answerJson(answer: Answer, chart: string | null = null): AnswerJson {
  return {
    question: answer.question,
    summary: answer.summary,
    assumptions: answer.assumptions,
    sql: answer.sql,
    columns: answer.columns.map((c) => c.name),
    rows: answer.rows,
    row_count: answer.rowCount,
    truncated: answer.truncated,
    truncated_by: answer.truncated ? (answer.truncatedBy ?? 'rows') : null,
    notes: answer.notes,
    ...(answer.totalRows !== undefined && { total_rows: answer.totalRows }),
    source: answer.source,
    timings: answer.timings,
    chart,
    error: answer.error,
  };
}

/** "Show me the usual" in `chat --format jsonl`: the same shape, one row per dashboard line
 *  (panels from memory, run afresh), no SQL of its own. */
export function dashboardJson(question: string, text: string): AnswerJson {
  const lines = text.split('\n').filter(Boolean);
  return {
    question,
    summary: lines[0] ?? '',
    assumptions: [],
    sql: null,
    columns: ['panel'],
    rows: lines.map((l) => [l]),
    row_count: lines.length,
    truncated: false,
    truncated_by: null,
    notes: [],
    source: 'memory',
    timings: {},
    chart: null,
    error: null,
  };
}
