import { schemaFingerprint } from '../domain/schemaFingerprint.ts';
import type { ForeignKey, SchemaInfo, TableInfo } from '../domain/types.ts';
import { type AccessRules, deniedColumnsOf, isOpen, tableDenied } from './rules.ts';

// The schema as Quarry may see it: denied tables and columns are left out, with the keys,
// indexes and foreign keys that name them. The fingerprint is taken again, so denying a column
// retires the remembered plans built while it was visible.

function visibleTable(table: TableInfo, rules: AccessRules): TableInfo | null {
  if (tableDenied(rules, table.schema, table.name)) return null;
  const hidden = deniedColumnsOf(rules, table.schema, table.name);
  if (hidden.length === 0) return table;
  const shown = (name: string) => !hidden.includes(name.toLowerCase());
  const columns = table.columns.filter((c) => shown(c.name));
  if (columns.length === 0) return null;
  if (columns.length === table.columns.length) return table;
  return {
    ...table,
    columns,
    primaryKey: table.primaryKey.filter(shown),
    indexes: table.indexes.filter((i) => i.columns.every(shown)),
  };
}

function keyIsVisible(fk: ForeignKey, tables: Map<string, TableInfo>): boolean {
  const has = (key: string, columns: string[]) => {
    const t = tables.get(key);
    return t !== undefined && columns.every((c) => t.columns.some((col) => col.name === c));
  };
  return has(fk.fromTable, fk.fromColumns) && has(fk.toTable, fk.toColumns);
}

/** `schema` without what the rules deny; the same object when nothing is denied in it. */
export function restrictSchema(schema: SchemaInfo, rules: AccessRules | undefined): SchemaInfo {
  if (!rules || isOpen(rules)) return schema;
  const tables: TableInfo[] = [];
  for (const t of schema.tables) {
    const visible = visibleTable(t, rules);
    if (visible) tables.push(visible);
  }
  const changed = tables.length !== schema.tables.length || tables.some((t, i) => t !== schema.tables[i]);
  if (!changed) return schema;
  const byKey = new Map(tables.map((t) => [t.key, t]));
  const foreignKeys = schema.foreignKeys.filter((fk) => keyIsVisible(fk, byKey));
  return { ...schema, tables, foreignKeys, fingerprint: schemaFingerprint(tables, foreignKeys) };
}
