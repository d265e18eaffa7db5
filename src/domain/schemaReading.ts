import type { ColumnRef, TableKey } from './types.ts';

/** What a phrase of a question may mean in the schema: a table, a column, or a value of one. */
export type SchemaReading =
  | { kind: 'table'; table: TableKey; score: number }
  | { kind: 'column'; ref: ColumnRef; score: number }
  | { kind: 'value'; ref: ColumnRef; value: string; score: number };

/** A word a team uses for a table or column (the knowledge file's synonyms), in normal form. */
export interface TeamWord {
  phrase: string;
  reading: SchemaReading;
}
