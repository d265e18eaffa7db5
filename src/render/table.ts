import type { Cell, QueryPlan, ResultColumn } from '../domain/types.ts';
import { grainOf, isMoneyColumn } from './columnKinds.ts';
import { formatCell } from './format.ts';
import { formatNumber } from './numbers.ts';
import { displayWidth, pad, truncate } from './text.ts';

// An aligned monospace table for a terminal or a Slack code block: header, separator, the first
// rows, and a footer saying what was left out. Too-wide tables lose width from their widest
// columns first, then their last columns.

export interface TableOptions {
  maxRows?: number;
  /** Total line width in monospace cells. */
  maxWidth?: number;
  locale?: string;
  timeZone?: string;
  currency?: string;
  /** Lets grains (month buckets) and money measures be read from the plan. */
  plan?: QueryPlan | null;
  /** Rows the query returned in all, when more exist than `rows` holds. */
  totalRows?: number;
}

const isTextKind = (kind: ResultColumn['kind']) => kind === 'text' || kind === 'json' || kind === 'other';
const GAP = '  ';
const MIN_COLUMN_WIDTH = 6;
const MAX_COLUMN_WIDTH = 40;

/** Narrows the widest text columns one cell at a time until the line fits. Numbers and dates are
 *  never cut (a cut number misleads); only their headers may be. */
function fitWidths(natural: number[], floors: number[], maxWidth: number): number[] {
  const widths = natural.map((w, i) => Math.max(Math.min(w, MAX_COLUMN_WIDTH), floors[i]!));
  const lineWidth = () => widths.reduce((a, b) => a + b, 0) + GAP.length * (widths.length - 1);
  while (lineWidth() > maxWidth) {
    const shrinkable = widths.map((w, i) => (w > floors[i]! ? w : -1));
    const widest = shrinkable.indexOf(Math.max(...shrinkable));
    if (shrinkable[widest]! < 0) break;
    widths[widest]! -= 1;
  }
  return widths;
}

/** How many leading columns fit in `maxWidth` at their given widths (at least one). */
function columnsThatFit(widths: number[], maxWidth: number): number {
  let used = 0;
  for (let i = 0; i < widths.length; i++) {
    used += widths[i]! + (i > 0 ? GAP.length : 0);
    if (used > maxWidth) return Math.max(1, i);
  }
  return widths.length;
}

export function formatTable(columns: ResultColumn[], rows: Cell[][], options: TableOptions = {}): string {
  if (columns.length === 0) return '(no columns)';
  const maxRows = Math.max(0, options.maxRows ?? 20);
  const maxWidth = Math.max(MIN_COLUMN_WIDTH, options.maxWidth ?? 100);
  const shown = rows.slice(0, maxRows);
  const cells = shown.map((row) =>
    columns.map((col, i) =>
      formatCell(row[i] ?? null, col, {
        locale: options.locale,
        timeZone: options.timeZone,
        currency: options.currency,
        grain: grainOf(col, options.plan),
        money: isMoneyColumn(col, options.plan),
        plan: options.plan,
        maxWidth: MAX_COLUMN_WIDTH,
      }),
    ),
  );
  const natural = columns.map((col, i) =>
    Math.max(displayWidth(col.name), ...cells.map((row) => displayWidth(row[i]!))),
  );
  const floors = columns.map((col, i) =>
    isTextKind(col.kind)
      ? Math.min(MIN_COLUMN_WIDTH, natural[i]!)
      : Math.min(natural[i]!, Math.max(MIN_COLUMN_WIDTH, ...cells.map((row) => displayWidth(row[i]!)))),
  );
  const fitted = fitWidths(natural, floors, maxWidth);
  const kept = columnsThatFit(fitted, maxWidth);
  const widths = fitted.slice(0, kept);
  const line = (texts: string[], aligns: ('left' | 'right')[]) =>
    texts
      .slice(0, kept)
      .map((t, i) => pad(truncate(t, widths[i]!), widths[i]!, aligns[i]!))
      .join(GAP)
      .trimEnd();
  const aligns = columns.map((c) => (c.kind === 'number' ? 'right' : 'left') as 'left' | 'right');
  const lines = [
    line(
      columns.map((c) => c.name),
      aligns,
    ),
    widths.map((w) => '-'.repeat(w)).join(GAP),
    ...cells.map((row) => line(row, aligns)),
  ];
  const total = Math.max(options.totalRows ?? rows.length, rows.length);
  const notes: string[] = [];
  if (total > shown.length)
    notes.push(`… and ${formatNumber(total - shown.length, 'count', { locale: options.locale })} more rows`);
  if (kept < columns.length) {
    const hidden = columns.length - kept;
    const names = columns.slice(kept).map((c) => c.name);
    notes.push(
      truncate(`… and ${hidden} more ${hidden === 1 ? 'column' : 'columns'}: ${names.join(', ')}`, maxWidth),
    );
  }
  if (rows.length === 0) notes.push('(no rows)');
  return [...lines, ...notes].join('\n');
}
