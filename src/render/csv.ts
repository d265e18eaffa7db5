import { stringify } from 'csv-stringify/sync';
import type { Cell, ResultColumn } from '../domain/types.ts';

// CSV for downloads: raw values (not locale-formatted) so spreadsheets read numbers as numbers,
// ISO dates as they came, booleans as true/false, NULL as an empty field.

export function toCsv(columns: ResultColumn[], rows: Cell[][]): string {
  return stringify(
    [columns.map((c) => c.name), ...rows.map((row) => columns.map((_, i) => row[i] ?? null))],
    {
      cast: { boolean: (v) => String(v) },
      record_delimiter: 'unix',
    },
  );
}
