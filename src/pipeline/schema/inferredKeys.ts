import type { ColumnInfo, ForeignKey, TableInfo } from '../../domain/types.ts';
import { identifierWords, singular } from '../../language/text.ts';
import { entityName, identifyingKey } from './identity.ts';
import { columnKey } from './tables.ts';

// Foreign keys by naming convention, for databases that never declared theirs:
// `customer_id`, `customerId`, `CustomerID`, `billing_customer_id` or `cust_id` point at the
// key of a table called `customer`, `customers`, `tbl_customers` or `Customers`. Only stored
// relations take part (a view repeats a table and would only add look-alike join paths), a
// declared key always wins, and the key type must match. A table without a declared key is
// referenced through its identifying column (`paper.paperid`), and one-word key columns
// (`citedpaperid`) end with the name of what they point at; a column named like another
// table's own key (`publication.jid` → `journal.jid`), or an integer one named like the entity
// itself (`course_offering.semester`), references it.

/** Abbreviations shorter than this ("ca_id") are too ambiguous to resolve. */
const MIN_ABBREVIATION = 3;

const STORED_KINDS = new Set<TableInfo['kind']>([
  'table',
  'partitioned_table',
  'materialized_view',
  'foreign_table',
]);

export { entityName };

function singularLast(words: string[]): string[] {
  const last = words.at(-1);
  return last === undefined ? words : [...words.slice(0, -1), singular(last)];
}

/** Entity names a key column may point at, most specific first: `billing_customer_id` →
 *  [`billing_customer`, `customer`]. Empty for names that are not `<entity>_id`. */
export function referencedEntities(columnName: string): string[] {
  const words = identifierWords(columnName);
  if (words.length < 2 || words.at(-1) !== 'id') return [];
  const named = singularLast(words.slice(0, -1));
  return named.map((_, start) => named.slice(start).join('_'));
}

/** Integer widths join each other, as do the string types; anything else must match exactly. */
function typeFamily(type: string): string {
  const base = type.replace(/\(.*\)/, '').trim();
  if (base.endsWith('[]')) return type;
  if (base === 'smallint' || base === 'integer' || base === 'bigint') return 'integer';
  if (base === 'text' || base === 'character varying' || base === 'character' || base === 'citext') {
    return 'string';
  }
  return base;
}

/** The single column another table's key column would reference. */
function referencedKey(table: TableInfo): ColumnInfo | undefined {
  const key = identifyingKey(table);
  return key.length === 1 ? table.columns.find((c) => c.name === key[0]) : undefined;
}

/** `citedpaperid` → `paper`: a key column written as one word ends with an entity's name. */
function runTogetherEntity(columnName: string, entities: Iterable<string>): string | undefined {
  const name = columnName.toLowerCase();
  if (!name.endsWith('id') || /[_A-Z]/.test(columnName)) return undefined;
  let best: string | undefined;
  for (const e of entities) {
    const joined = e.replace(/_/g, '');
    if (
      joined.length >= MIN_ABBREVIATION &&
      name.endsWith(`${joined}id`) &&
      (!best || e.length > best.length)
    )
      best = e;
  }
  return best;
}

interface Target {
  table: TableInfo;
  key: ColumnInfo;
}

/** Among tables that share an entity name, the one the column's own schema or the search path
 *  would find first; undefined when that still leaves a tie. */
function closest(candidates: Target[], from: TableInfo, searchPath: string[]): Target | undefined {
  const rank = (t: Target) => {
    if (t.table.schema === from.schema) return -1;
    const onPath = searchPath.indexOf(t.table.schema);
    return onPath === -1 ? searchPath.length : onPath;
  };
  const best = Math.min(...candidates.map(rank));
  const winners = candidates.filter((t) => rank(t) === best);
  return winners.length === 1 ? winners[0] : undefined;
}

/** `course_offering.offering_id`: a keyless table named `<thing>_<kind>` identified by
 *  `<kind>_id`, when no table of its own is called `<kind>` (then it would be a reference). */
function kindKey(table: TableInfo, entities: Set<string>): { entity: string; key: ColumnInfo } | undefined {
  const words = entityName(table).split('_');
  const kind = words.at(-1);
  if (words.length < 2 || kind === undefined || entities.has(kind)) return undefined;
  const key = table.columns.find((c) => c.name.toLowerCase() === `${kind}_id`);
  return key ? { entity: kind, key } : undefined;
}

/** Key names too generic to say which table they belong to. */
const GENERIC_KEYS = new Set(['id', 'code', 'key', 'name', 'no', 'number', 'uuid']);

/** A key named for its own table (`jid` of journal, `airline_code` of airline): a column of
 *  that same name elsewhere references it. */
function ownsKeyName(table: TableInfo, key: ColumnInfo): boolean {
  const name = key.name.toLowerCase();
  return !GENERIC_KEYS.has(name) && name.startsWith(entityName(table)[0]!);
}

/** `course_offering.semester bigint` → `semester.semester_id`: an integer column named just
 *  like an entity holds its key (a text one, like `customers.country`, holds a name). Only
 *  where keys carry their table's name: beside a plain `orders.id`, references are spelled
 *  `order_id`, and a bare `user.order` is a position. */
function bareEntity(column: ColumnInfo, byEntity: Map<string, Target[]>): Target[] | undefined {
  if (typeFamily(column.type) !== 'integer') return undefined;
  const targets = byEntity.get(singular(column.name.toLowerCase()));
  const named = targets?.filter((t) => !GENERIC_KEYS.has(t.key.name.toLowerCase()));
  return named?.length ? named : undefined;
}

interface Targets {
  byEntity: Map<string, Target[]>;
  byKeyName: Map<string, Target[]>;
}

function targetsOf(tables: TableInfo[]): Targets {
  const byEntity = new Map<string, Target[]>();
  const byKeyName = new Map<string, Target[]>();
  const add = (map: Map<string, Target[]>, name: string, target: Target) =>
    map.set(name, [...(map.get(name) ?? []), target]);
  const stored = tables.filter((t) => STORED_KINDS.has(t.kind));
  const entities = new Set(stored.map((t) => entityName(t)));
  for (const table of stored) {
    const key = referencedKey(table);
    if (key) {
      add(byEntity, entityName(table), { table, key });
      if (ownsKeyName(table, key)) add(byKeyName, key.name.toLowerCase(), { table, key });
      continue;
    }
    const kind = kindKey(table, entities);
    if (kind) add(byEntity, kind.entity, { table, key: kind.key });
  }
  return { byEntity, byKeyName };
}

/** `cust` → the one single-word entity starting with it; undefined when none or several. */
function expandAbbreviation(word: string, entities: Iterable<string>): string | undefined {
  if (word.length < MIN_ABBREVIATION || word.includes('_')) return undefined;
  const matches = [...entities].filter((e) => !e.includes('_') && e.startsWith(word));
  return matches.length === 1 ? matches[0] : undefined;
}

export function inferForeignKeys(
  tables: TableInfo[],
  declared: ForeignKey[],
  searchPath: string[],
): ForeignKey[] {
  const { byEntity, byKeyName } = targetsOf(tables);
  const covered = new Set(declared.flatMap((fk) => fk.fromColumns.map((c) => columnKey(fk.fromTable, c))));
  const inferred: ForeignKey[] = [];
  for (const from of tables) {
    if (!STORED_KINDS.has(from.kind)) continue;
    for (const column of from.columns) {
      if (covered.has(columnKey(from.key, column.name))) continue;
      const named = referencedEntities(column.name);
      const runTogether = named.length ? undefined : runTogetherEntity(column.name, byEntity.keys());
      const entities = runTogether ? [runTogether] : named;
      const sameName = byKeyName.get(column.name.toLowerCase()) ?? bareEntity(column, byEntity);
      const target =
        resolve(entities, from, byEntity, searchPath) ??
        (sameName ? closest(sameName, from, searchPath) : undefined);
      if (!target || typeFamily(target.key.type) !== typeFamily(column.type)) continue;
      // A table's own identifier is not a reference to itself.
      if (target.table.key === from.key && target.key.name === column.name) continue;
      // A table points at itself only through a role (`parent_category_id`): its own
      // `category_id` is another name for its key or a code from elsewhere.
      if (target.table.key === from.key && entities.length < 2) continue;
      inferred.push({
        fromTable: from.key,
        fromColumns: [column.name],
        toTable: target.table.key,
        toColumns: [target.key.name],
        inferred: true,
      });
    }
  }
  return inferred;
}

function resolve(
  entities: string[],
  from: TableInfo,
  byEntity: Map<string, Target[]>,
  searchPath: string[],
): Target | undefined {
  for (const entity of entities) {
    const candidates = byEntity.get(entity);
    if (candidates) return closest(candidates, from, searchPath);
  }
  const shortest = entities.at(-1);
  const expanded = shortest === undefined ? undefined : expandAbbreviation(shortest, byEntity.keys());
  const candidates = expanded === undefined ? undefined : byEntity.get(expanded);
  return candidates ? closest(candidates, from, searchPath) : undefined;
}
