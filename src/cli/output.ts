import type { Answer } from '../pipeline/types.ts';

// The JSON contract of `quarry ask --format json` and `quarry chat --format jsonl` (DESIGN §9).
// Scripts and evaluations depend on it: keep it stable.

export interface AnswerJson {
  question: string;
  sql: string | null;
  columns: string[];
  rows: Answer['rows'];
  row_count: number;
  /** Rows were left out: `truncated_by` says whether by the row cap or the size cap. */
  truncated: boolean;
  truncated_by: 'rows' | 'size' | null;
  notes: string[];
  source: Answer['source'];
  timings: Record<string, number>;
  chart: string | null;
  error: Answer['error'];
}

export function answerJson(answer: Answer, chart: string | null = null): AnswerJson {
  return {
    question: answer.question,
    sql: answer.sql,
    columns: answer.columns.map((c) => c.name),
    rows: answer.rows,
    row_count: answer.rowCount,
    truncated: answer.truncated,
    truncated_by: answer.truncated ? (answer.truncatedBy ?? 'rows') : null,
    notes: answer.notes,
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

/** 0 answered, 2 not understood, 1 any other failure. */
export function exitCodeFor(answer: Answer): number {
  if (!answer.error) return 0;
  return answer.error.kind === 'not_understood' ? 2 : 1;
}
