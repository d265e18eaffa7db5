import type { ColumnRef, SchemaInfo, TableInfo } from '../domain/types.ts';

// Names written in the knowledge file (`orders`, `sales.orders`, `orders.total`) found in the
// discovered schema. A name that is not there is a problem of the file, never a guess.

export class MissingName extends Error {}

export function findTable(schema: SchemaInfo, name: string): TableInfo {
  const n = name.toLowerCase();
  const t =
    schema.tables.find((x) => x.key.toLowerCase() === n) ??
    schema.tables.find((x) => x.name.toLowerCase() === n);
  if (!t) throw new MissingName(`the table ${name} is not in the database`);
  return t;
}

export function findColumn(schema: SchemaInfo, table: string, column: string): ColumnRef {
  const t = findTable(schema, table);
  const c = t.columns.find((x) => x.name.toLowerCase() === column.toLowerCase());
  if (!c) throw new MissingName(`the column ${t.name}.${column} is not in the database`);
  return { table: t.key, column: c.name };
}

/** `customers` → the table; `customers.name` (or `sales.customers.name`) → the column. A
 *  two-part name that is a schema-qualified table is read as the table. */
export function findTableOrColumn(schema: SchemaInfo, name: string): { table: string } | ColumnRef {
  const parts = name.split('.');
  if (parts.length === 1) return { table: findTable(schema, name).key };
  const tableKey = schema.tables.find((t) => t.key.toLowerCase() === name.toLowerCase())?.key;
  if (tableKey) return { table: tableKey };
  return findColumn(schema, parts.slice(0, -1).join('.'), parts.at(-1)!);
}
