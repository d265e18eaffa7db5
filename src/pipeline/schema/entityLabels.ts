import type { SchemaInfo, TableInfo, TableKey } from '../../domain/types.ts';
import { identifierWords } from '../../language/text.ts';
import { entityName, identifyingKey } from './identity.ts';

// How rows are named for people when no single column names them: a person by first and last
// name together, and a link table (order_tags, film_category) by the entity it links to, never
// by its own ids.

const GIVEN_NAME = /^(first|given|fore)_?name$|^fname$/i;
const FAMILY_NAME = /^(last|family|sur)_?name$|^surname$|^lname$/i;

/** The given and family name columns when `column` is one of a pair in `table`. */
export function personNameColumns(table: TableInfo, column: string): [string, string] | null {
  const find = (pattern: RegExp) =>
    table.columns.find((c) => c.kind === 'text' && pattern.test(c.name))?.name;
  if (!GIVEN_NAME.test(column) && !FAMILY_NAME.test(column)) return null;
  const given = find(GIVEN_NAME);
  const family = find(FAMILY_NAME);
  return given && family ? [given, family] : null;
}

/** Whether every column of the table is a reference, its key or a timestamp: a link table. */
function isLinkTable(table: TableInfo, references: Set<string>): boolean {
  const key = new Set(identifyingKey(table));
  return table.columns.every(
    (c) => references.has(c.name) || key.has(c.name) || c.kind === 'timestamp' || c.kind === 'date',
  );
}

/** The table a link table stands for ("order_tags" → tags, "film_category" → category): the one
 *  its name ends with, else its last reference; null when `key` is not a link table. */
export function linkedEntity(schema: SchemaInfo, key: TableKey): TableKey | null {
  const table = schema.tables.find((t) => t.key === key);
  const outgoing = schema.foreignKeys.filter((fk) => fk.fromTable === key && fk.toTable !== key);
  if (!table || outgoing.length < 2) return null;
  if (!isLinkTable(table, new Set(outgoing.flatMap((fk) => fk.fromColumns)))) return null;
  const name = identifierWords(entityName(table)).join('');
  const targets = outgoing
    .map((fk) => schema.tables.find((t) => t.key === fk.toTable))
    .filter((t) => t !== undefined);
  const named = targets.find((t) => name.endsWith(identifierWords(entityName(t)).join('')));
  return (named ?? targets.at(-1))?.key ?? null;
}
