import type { Answer } from '../domain/types.ts';
import { verifiedMark } from '../knowledge/verifiedMark.ts';
import { formatTable } from '../render/table.ts';

// An answer as a person reads it in a terminal: summary, notes, assumptions, SQL, a table.

const TABLE_ROWS = 20;

export interface AnswerTextOptions {
  timeZone?: string;
  locale?: string;
  /** The conversation goes on, so a reading is picked by replying with its number. */
  inThread?: boolean;
}

/** The readings a question asked back offers, numbered, each with the words that ask it. */
function readingLines(a: Answer, inThread: boolean): string[] {
  const readings = a.error?.readings ?? [];
  if (!readings.length) return [];
  return [
    inThread
      ? '  Did you mean one of these? Reply with its number.'
      : '  Did you mean one of these? Ask it in those words.',
    ...readings.map((r, i) => `    ${i + 1}. ${r.label}   ("${r.question}")`),
  ];
}

export function answerText(
  a: Answer,
  chartFile: string | null = null,
  options: AnswerTextOptions = {},
): string {
  const lines: string[] = [];
  lines.push(a.error ? `✗ ${a.error.message}` : a.summary);
  lines.push(...readingLines(a, options.inThread === true));
  if (a.verified) lines.push(`  ${verifiedMark(a.verified, (id) => id)}`);
  for (const n of a.notes) lines.push(`  note: ${n}`);
  for (const s of a.assumptions) lines.push(`  assumed: ${s}`);
  if (a.sql) lines.push('', a.sql.replace(/^/gm, '    '));
  if (!a.error && a.columns.length) {
    lines.push(
      '',
      formatTable(a.columns, a.rows, {
        maxRows: TABLE_ROWS,
        maxWidth: process.stdout.columns || 100,
        plan: a.plan,
        ...options,
      }),
    );
  }
  if (chartFile) lines.push(`  chart: ${chartFile}`);
  const total = Object.values(a.timings).reduce((x, y) => x + y, 0);
  if (!a.error) lines.push(`  (${a.source ?? '—'} · ${Math.round(total)} ms)`);
  return `${lines.join('\n')}\n`;
}

export function printAnswer(
  a: Answer,
  chartFile: string | null = null,
  options: AnswerTextOptions = {},
): void {
  process.stdout.write(answerText(a, chartFile, options));
}
