import { createHash } from 'node:crypto';
import type { ForeignKey, TableInfo } from './types.ts';

// The fingerprint names a structure: the relations, their columns (name, type, nullability,
// enum labels), primary keys and foreign keys, declared or inferred. Stored plans depend on
// exactly these, so a change to any of them retires the plans built on the old fingerprint.
// Data-dependent facts (row estimates, sample values, distinct counts), comments and indexes
// are left out: they change without breaking a single query. Everything is sorted by plain
// code-unit order, so catalog order and collation never move the hash.

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function schemaFingerprint(tables: TableInfo[], foreignKeys: ForeignKey[]): string {
  const structure = {
    tables: tables
      .map((t) => ({
        key: t.key,
        kind: t.kind,
        primaryKey: t.primaryKey,
        columns: t.columns
          .map((c) => JSON.stringify([c.name, c.type, c.nullable, c.enumValues ?? null]))
          .sort(byText),
      }))
      .sort((a, b) => byText(a.key, b.key)),
    foreignKeys: foreignKeys
      .map((fk) => JSON.stringify([fk.fromTable, fk.fromColumns, fk.toTable, fk.toColumns, fk.inferred]))
      .sort(byText),
  };
  return createHash('sha256').update(JSON.stringify(structure)).digest('hex');
}
