import type { Cell } from '../domain/types.ts';

// A cap on the bytes of a result, behind the cap on rows: a thousand rows of long text could
// still be megabytes that no Slack message, chart or session should carry. Rows are kept in
// order while they fit; the rest are dropped and the answer says so.

export interface SizedRows {
  rows: Cell[][];
  /** Rows were dropped to fit. */
  cut: boolean;
}

export function capResultBytes(rows: Cell[][], maxBytes: number): SizedRows {
  let used = 0;
  for (const [i, row] of rows.entries()) {
    used += Buffer.byteLength(JSON.stringify(row));
    if (used > maxBytes) return { rows: rows.slice(0, i), cut: true };
  }
  return { rows, cut: false };
}

/** The note for an answer whose rows were cut by size. */
export function sizeCapNote(kept: number, maxBytes: number): string {
  const size =
    maxBytes >= 1_000_000 ? `${Math.round(maxBytes / 100_000) / 10} MB` : `${Math.round(maxBytes / 1000)} kB`;
  return `The result was larger than ${size}, so I kept only the first ${kept} rows. Ask for fewer columns or rows to see the rest.`;
}
