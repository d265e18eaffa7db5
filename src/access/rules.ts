// Which tables and columns Quarry may read (QUARRY_DENY, QUARRY_ALLOW_SCHEMAS). Rules are plain
// data, applied twice: discovery leaves denied things out of the SchemaInfo (so no planner,
// model or memory ever sees them), and the guard refuses SQL that names them anyway.
//
// An entry has one to three dot-separated parts:
//   `table`                → that table in any schema
//   `a.b`                  → both readings: table `b` of schema `a`, and column `b` of table `a`
//                            (names rarely collide, and denying both is the safe side)
//   `schema.table.column`  → that column of that table
// Names compare case-insensitively: denying a little more is better than a little less.

export interface DeniedTable {
  schema?: string;
  table: string;
}

export interface DeniedColumn {
  schema?: string;
  table: string;
  column: string;
}

export interface AccessRules {
  tables: DeniedTable[];
  columns: DeniedColumn[];
  /** When given, only tables in these schemas are read. */
  allowSchemas?: string[];
}

export const OPEN_ACCESS: AccessRules = { tables: [], columns: [] };

const unquote = (part: string) =>
  part
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .toLowerCase();

export function parseAccessRules(deny: string[], allowSchemas?: string[]): AccessRules {
  const rules: AccessRules = { tables: [], columns: [] };
  for (const entry of deny) {
    const parts = entry.split('.').map(unquote);
    if (parts.length === 1) rules.tables.push({ table: parts[0]! });
    else if (parts.length === 2) {
      rules.tables.push({ schema: parts[0], table: parts[1]! });
      rules.columns.push({ table: parts[0]!, column: parts[1]! });
    } else rules.columns.push({ schema: parts[0], table: parts[1]!, column: parts[2]! });
  }
  if (allowSchemas?.length) rules.allowSchemas = allowSchemas.map(unquote);
  return rules;
}

/** The rules plus more tables denied in every schema (Quarry's own, when they share the target). */
export function denyTables(rules: AccessRules, tables: string[]): AccessRules {
  return { ...rules, tables: [...rules.tables, ...tables.map((t) => ({ table: t.toLowerCase() }))] };
}

export function isOpen(rules: AccessRules): boolean {
  return rules.tables.length === 0 && rules.columns.length === 0 && !rules.allowSchemas;
}

const matches = (rule: { schema?: string; table: string }, schema: string | undefined, table: string) =>
  rule.table === table.toLowerCase() &&
  (rule.schema === undefined || schema === undefined || rule.schema === schema.toLowerCase());

export function schemaAllowed(rules: AccessRules, schema: string): boolean {
  return !rules.allowSchemas || rules.allowSchemas.includes(schema.toLowerCase());
}

/** Whether a table may not be read at all. An unqualified name (`schema` undefined) matches a
 *  rule for any schema, since the search path may resolve it there. */
export function tableDenied(rules: AccessRules, schema: string | undefined, table: string): boolean {
  if (schema !== undefined && !schemaAllowed(rules, schema)) return true;
  return rules.tables.some((r) => matches(r, schema, table));
}

/** Lower-case names of the columns of a table that may not be read. */
export function deniedColumnsOf(rules: AccessRules, schema: string | undefined, table: string): string[] {
  return [...new Set(rules.columns.filter((r) => matches(r, schema, table)).map((r) => r.column))];
}

/** Whether a column of a table may be read; everything may when there are no rules. */
export function columnReadable(
  rules: AccessRules | undefined,
  schema: string,
  table: string,
  column: string,
): boolean {
  if (!rules) return true;
  return (
    !tableDenied(rules, schema, table) &&
    !deniedColumnsOf(rules, schema, table).includes(column.toLowerCase())
  );
}

/** The table rules in the form the guard's `deniedRelations` takes (`name` or `schema.name`). */
export function deniedRelationNames(rules: AccessRules): string[] {
  return rules.tables.map((r) => (r.schema ? `${r.schema}.${r.table}` : r.table));
}
