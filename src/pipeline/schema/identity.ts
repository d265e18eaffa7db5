import type { TableInfo } from '../../domain/types.ts';
import { identifierWords, singular } from '../../language/text.ts';

// How a table's rows are told apart when the database declares no primary key: many real
// schemas (exports, warehouses, sample databases) name their identifier after the table
// (`paper.paperid`, `business.business_id`) or `id`, and never declare it.

/** Leading name words that carry no meaning ("tbl_customers", "app_users"). */
export const NAME_PREFIXES = new Set(['tbl', 'tb', 'app', 'dim', 'ref', 'lkp']);

/** `tbl_Customers` → `customer`, `OrderLines` → `order_line`, `billing.billing_invoices` → `invoice`. */
export function entityName(table: Pick<TableInfo, 'schema' | 'name'>): string {
  const words = identifierWords(table.name);
  const first = words[0];
  if (words.length > 1 && first && (NAME_PREFIXES.has(first) || first === table.schema.toLowerCase())) {
    words.shift();
  }
  const last = words.at(-1);
  return (last === undefined ? words : [...words.slice(0, -1), singular(last)]).join('_');
}

/** The declared primary key, else the column named `id`, else the one named after the table
 *  (`paperid`, `paper_id`, `business_id`, `airline_code`), else a required one named by the entity's initial
 *  (`journal.jid`, `author.aid`); empty when none is found. */
export function identifyingKey(table: TableInfo): string[] {
  if (table.primaryKey.length) return table.primaryKey;
  const byName = (name: string) => table.columns.find((c) => c.name.toLowerCase() === name);
  const entity = entityName(table);
  const own =
    byName('id') ??
    byName(`${entity}_id`) ??
    byName(`${entity.replace(/_/g, '')}id`) ??
    byName(`${table.name.toLowerCase()}_id`) ??
    byName(`${table.name.toLowerCase()}id`) ??
    // Lookup tables keyed by a code they are named for (`airline.airline_code`).
    byName(`${entity}_code`);
  if (own) return [own.name];
  const initial = entity.includes('_') ? undefined : byName(`${entity[0]}id`);
  return initial && !initial.nullable ? [initial.name] : [];
}
