import { loadModule, parseSync } from 'libpg-query';
import { type AccessRules, deniedColumnsOf, isOpen, schemaAllowed } from '../../access/rules.ts';
import type { SchemaInfo } from '../../domain/types.ts';
import { UnsafeSql } from '../../errors.ts';
import { cteReferences } from './cteScope.ts';
import { isObj, type Obj } from './walk.ts';

// The access rules, checked on a statement the guard already passed (one SELECT; denied tables
// and system catalogs refused there). What is left is what the guard cannot know alone:
// denied columns and allowed schemas. Columns are checked conservatively: when a statement
// reads a table that has denied columns, it is refused if it names such a column anywhere
// (select list, filter, join, ORDER BY, `(row).field`, USING), or could read one without
// naming it (`*`, a whole-row reference, NATURAL JOIN, column aliases on that table, or
// `c.to_jsonb`: PostgreSQL reads a qualified name that is no column as a function of the row).

interface Relation {
  schema?: string;
  name: string;
  alias?: string;
  renamesColumns: boolean;
  location: number;
}

interface Reading {
  relations: Relation[];
  /** Every name a column reference, `(row).field` or USING list spells (lower case). */
  columnNames: Set<string>;
  /** Single-name column references: a whole row when the name is a table or its alias. */
  bareNames: Set<string>;
  /** Column references of two names or more, as written (lower case). */
  qualifiedRefs: string[][];
  /** Offsets of the table references that name a CTE in scope: those are not tables. */
  cteRefs: Set<number>;
  star: boolean;
  natural: boolean;
}

const svals = (list: unknown): string[] =>
  Array.isArray(list)
    ? list.flatMap((item) =>
        isObj(item) && isObj(item.String) && typeof item.String.sval === 'string' ? [item.String.sval] : [],
      )
    : [];

function readNode(node: Obj, into: Reading): void {
  if (typeof node.relname === 'string') {
    const alias = isObj(node.alias) ? node.alias : undefined;
    into.relations.push({
      schema: typeof node.schemaname === 'string' ? node.schemaname : undefined,
      name: node.relname,
      alias: typeof alias?.aliasname === 'string' ? alias.aliasname : undefined,
      renamesColumns: Array.isArray(alias?.colnames) && alias.colnames.length > 0,
      location: typeof node.location === 'number' ? node.location : 0,
    });
  }
  if (isObj(node.ColumnRef)) {
    const fields = node.ColumnRef.fields;
    if (Array.isArray(fields) && fields.some((f) => isObj(f) && 'A_Star' in f)) into.star = true;
    const names = svals(fields).map((n) => n.toLowerCase());
    if (names.length > 0) into.columnNames.add(names.at(-1)!);
    if (names.length === 1) into.bareNames.add(names[0]!);
    if (names.length > 1) into.qualifiedRefs.push(names);
  }
  if (isObj(node.A_Indirection)) {
    for (const n of svals(node.A_Indirection.indirection)) into.columnNames.add(n.toLowerCase());
    const list = node.A_Indirection.indirection;
    if (Array.isArray(list) && list.some((f) => isObj(f) && 'A_Star' in f)) into.star = true;
  }
  if (isObj(node.JoinExpr)) {
    if (node.JoinExpr.isNatural) into.natural = true;
    for (const n of svals(node.JoinExpr.usingClause)) into.columnNames.add(n.toLowerCase());
  }
}

function read(statements: Obj[]): Reading {
  const into: Reading = {
    relations: [],
    columnNames: new Set(),
    bareNames: new Set(),
    qualifiedRefs: [],
    cteRefs: cteReferences(statements),
    star: false,
    natural: false,
  };
  const stack: unknown[] = [statements];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) stack.push(...value);
    else if (isObj(value)) {
      readNode(value, into);
      stack.push(...Object.values(value));
    }
  }
  return into;
}

const refusal = (message: string, detail: string) => new UnsafeSql(message, `denied_column: ${detail}`);

function written(r: Relation): string {
  return r.schema ? `${r.schema}.${r.name}` : r.name;
}

/** Schemas before the first one not allowed in the search path: where an unqualified name may
 *  resolve without the risk of landing in a schema that is not allowed. */
function safeSearchPath(rules: AccessRules, searchPath: string[]): string[] {
  const cut = searchPath.findIndex((s) => !schemaAllowed(rules, s));
  return cut === -1 ? searchPath : searchPath.slice(0, cut);
}

function checkSchemas(rules: AccessRules, schema: SchemaInfo, found: Reading): void {
  if (!rules.allowSchemas) return;
  const safePath = safeSearchPath(rules, schema.searchPath);
  for (const r of found.relations) {
    if (r.schema !== undefined) {
      if (schemaAllowed(rules, r.schema)) continue;
      throw new UnsafeSql(
        `I only read tables in the schemas ${rules.allowSchemas.join(', ')}; ${written(r)} is outside them.`,
        `schema_not_allowed: ${written(r)}`,
      );
    }
    const resolvesSafely = schema.tables.some((t) => t.name === r.name && safePath.includes(t.schema));
    if (!resolvesSafely) {
      throw new UnsafeSql(
        `I can't tell which schema the table ${r.name} is in; write it with its schema (for example ${rules.allowSchemas[0]}.${r.name}).`,
        `schema_not_allowed: unqualified ${r.name}`,
      );
    }
  }
}

/** The columns of `r` Quarry may show, from every table its name may resolve to. */
function visibleColumns(schema: SchemaInfo, r: Relation): Set<string> {
  const tables = schema.tables.filter(
    (t) => t.name.toLowerCase() === r.name.toLowerCase() && (r.schema === undefined || t.schema === r.schema),
  );
  return new Set(tables.flatMap((t) => t.columns.map((c) => c.name.toLowerCase())));
}

/** A qualified reference to `r` whose next name is not one of its visible columns: PostgreSQL
 *  reads `c.to_jsonb` or `public.customers.to_json` as that function of the whole row. */
function rowFunction(r: Relation, found: Reading, visible: Set<string>): string | undefined {
  const names = [r.name, r.alias].flatMap((n) => (n === undefined ? [] : [n.toLowerCase()]));
  return found.qualifiedRefs
    .find((ref) =>
      ref.some((part, k) => k < ref.length - 1 && names.includes(part) && !visible.has(ref[k + 1]!)),
    )
    ?.join('.');
}

function checkColumns(rules: AccessRules, schema: SchemaInfo, found: Reading): void {
  for (const r of found.relations) {
    const hidden = deniedColumnsOf(rules, r.schema, r.name);
    if (hidden.length === 0) continue;
    const named = hidden.find((c) => found.columnNames.has(c));
    if (named) {
      throw refusal(`I'm not allowed to read ${written(r)}.${named}.`, `${written(r)}.${named}`);
    }
    const asFunction = rowFunction(r, found, visibleColumns(schema, r));
    if (asFunction) {
      throw refusal(
        `${asFunction} is not a column of ${written(r)}: PostgreSQL would read it as a function of the whole row, which holds columns I'm not allowed to show (${hidden.join(', ')}).`,
        `${written(r)}: row function ${asFunction}`,
      );
    }
    const wholeRow = [r.name, r.alias].some((n) => n !== undefined && found.bareNames.has(n.toLowerCase()));
    if (found.star || wholeRow || found.natural || r.renamesColumns) {
      throw refusal(
        `This query could read columns of ${written(r)} that I'm not allowed to show (${hidden.join(', ')}); name the columns you need instead.`,
        `${written(r)}: ${found.star ? '*' : wholeRow ? 'whole row' : found.natural ? 'natural join' : 'column aliases'}`,
      );
    }
  }
}

let parserReady: Promise<void> | undefined;

/** Throws UnsafeSql when `sql` (one SELECT the guard passed) would read a denied column or a
 *  table outside the allowed schemas. */
export async function checkAccess(
  sql: string,
  rules: AccessRules | undefined,
  schema: SchemaInfo,
): Promise<void> {
  if (!rules || isOpen(rules)) return;
  parserReady ??= loadModule();
  await parserReady;
  const found = read(parseSync(sql).stmts as unknown as Obj[]);
  found.relations = found.relations.filter((r) => !found.cteRefs.has(r.location));
  checkSchemas(rules, schema, found);
  checkColumns(rules, schema, found);
}
