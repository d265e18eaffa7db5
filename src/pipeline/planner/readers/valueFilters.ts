import { sameColumn } from '../../../domain/planParts.ts';
import type { ColumnRef, TableKey } from '../../../domain/types.ts';
import { identifierWords } from '../../../language/text.ts';
import type { Interpretation } from '../interpretation.ts';
import type { Mention } from '../mentions.ts';
import { bestScore, columnReadings, tableReading } from '../readings.ts';

// Filters from sampled values ("in Germany", "not cancelled") and from yes/no columns named as
// a quality ("legacy plans").

export function readValueFilters(it: Interpretation) {
  const byColumn = new Map<
    string,
    { ref: ColumnRef; values: string[]; negated: boolean; mentions: Mention[] }
  >();
  for (const m of it.mentions) {
    const values = m.schema.filter((x) => x.kind === 'value');
    if (!values.length) continue;
    // A word that names a table or column better than it names a value is not a filter.
    // A word that names a table as well as a value is the table ("subscriptions", not the
    // line type 'subscription'); a column name beats a value that only ties it.
    if (bestScore(m, 'value') <= bestScore(m, 'table') || bestScore(m, 'value') < bestScore(m, 'column'))
      continue;
    if (it.prev(m)?.grouping) continue;
    // "accounts that paid us the most": with nothing else to measure, a money word that is
    // also a status value is the money.
    const otherMeasure = it.mentions.some((x) => x !== m && (x.money || x.quantity || x.count || x.agg));
    // "the sales department": a value followed by its own table's name is the value.
    const next = it.next(m);
    const ownTable =
      next?.start === m.end && values.some((x) => x.kind === 'value' && x.ref.table === tableReading(next));
    if (m.money && !otherMeasure && !ownTable) continue;
    const v = pickValue(it, m, values);
    if (v?.kind !== 'value') continue;
    const negated = Boolean(it.prev(m)?.negation || it.prev(it.prev(m) ?? m)?.negation);
    const key = `${v.ref.table}.${v.ref.column}.${negated}`;
    const entry = byColumn.get(key) ?? { ref: v.ref, values: [], negated, mentions: [] };
    if (!entry.values.includes(v.value)) entry.values.push(v.value);
    entry.mentions.push(m);
    byColumn.set(key, entry);
  }
  // A yes/no column named as a quality ("legacy plans", "not archived") is a filter too.
  for (const m of it.mentions) {
    if (it.used.has(m) || m.fresh || it.prev(m)?.grouping || bestScore(m, 'column') < bestScore(m, 'table'))
      continue;
    // Named by the column itself, not only mentioned in its comment.
    const ref = m.schema.find(
      (r) => r.kind === 'column' && r.score >= 0.6 && it.lexicon.column(r.ref)?.kind === 'boolean',
    );
    if (ref?.kind !== 'column') continue;
    if (!ref) continue;
    const negated = Boolean(it.prev(m)?.negation);
    it.use(m);
    it.filters.push({ ref: ref.ref, op: '=', value: !negated });
    it.understood.push(`${it.tableName(ref.ref.table)}.${ref.ref.column} is ${!negated}`);
  }
  for (const e of byColumn.values()) {
    for (const m of e.mentions) it.use(m);
    // "from Berlin to Munich" on one city column is a route or a range, not either city.
    const span = spanBetween(e.mentions);
    if (span && it.words.slice(span.from, span.to).some((w) => ROUTE_WORDS.has(w)))
      it.unplaced.push({ text: e.values.join(' to '), what: 'name' });
    if (e.negated)
      for (const m of e.mentions) {
        const p = it.prev(m);
        if (p?.negation) it.use(p);
      }
    const value = e.values.length > 1 ? e.values : e.values[0]!;
    if (e.negated && negatesRows(it, e.ref.table, e.mentions)) {
      it.filters.push({ ref: e.ref, op: e.values.length > 1 ? 'in' : '=', value, none: true });
      it.understood.push(`no ${it.tableName(e.ref.table)} with ${e.ref.column} ${e.values.join(' or ')}`);
      continue;
    }
    const op = e.values.length > 1 ? (e.negated ? 'not_in' : 'in') : e.negated ? '<>' : '=';
    it.filters.push({ ref: e.ref, op, value });
    // "sales in Germany vs France": the values side by side, one row each.
    if (!e.negated && e.values.length > 1 && comparesBetween(it, e.mentions)) {
      it.dims.push({ ref: e.ref, as: e.ref.column });
      it.dimTables.add(e.ref.table);
    }
    it.understood.push(
      `${it.tableName(e.ref.table)}.${e.ref.column} ${e.negated ? 'is not' : 'is'} ${e.values.join(' or ')}`,
    );
  }
}

/** A word between the values that sets them against each other ("vs", "versus", "compared
 *  to"), which the comparison then consumes. */
function comparesBetween(it: Interpretation, values: Mention[]): boolean {
  const span = spanBetween(values);
  if (!span) return false;
  const at = it.words.slice(span.from, span.to).findIndex((w) => COMPARE_WORDS.has(w));
  if (at < 0) return false;
  it.readWords.add(span.from + at);
  return true;
}

/** The word positions between the first and the last of these values. */
function spanBetween(values: Mention[]): { from: number; to: number } | undefined {
  const [first, ...rest] = [...values].sort((a, b) => a.start - b.start);
  const last = rest.at(-1);
  return first && last ? { from: first.end, to: last.start } : undefined;
}

/** "from LAX", "to ORD": the way a value is said to go, from the word before it or before the
 *  name it stands beside ("from Los Angeles (LAX)"). */
function directionOf(it: Interpretation, m: Mention): 'from' | 'to' | undefined {
  const before = it.prev(m);
  const lead = before && before.end === m.start && columnReadings(before).length === 0 ? before : m;
  const word = it.words[lead.start - 1] ?? '';
  return FROM_WORDS.has(word) ? 'from' : TO_WORDS.has(word) ? 'to' : undefined;
}

/** Does a negated value deny the rows themselves? "accounts without a past-due subscription"
 *  (the negation comes before the subscriptions, or they are not named at all) wants accounts
 *  with none; "accounts with a subscription that is not past due" (after them) wants a row
 *  whose value differs. The compiler makes the first a NOT EXISTS where rows are related. */
function negatesRows(it: Interpretation, table: TableKey, valueMentions: Mention[]): boolean {
  const negation = valueMentions.map((m) => it.prev(m)).find((p) => p?.negation);
  if (!negation) return false;
  const named = it.mentions.find(
    (m) => m !== negation && tableReading(m) === table && !valueMentions.includes(m),
  );
  return !named || named.start > negation.start;
}

/** Among columns holding the same value, prefer one whose table is named in the question. */
function pickValue(it: Interpretation, m: Mention, values: Mention['schema']) {
  if (values.length === 1) return values[0];
  const named = new Set(
    it.mentions.flatMap((x) =>
      x.schema.filter((r) => r.kind === 'table').map((r) => (r.kind === 'table' ? r.table : '')),
    ),
  );
  const around = [it.prev(m), it.next(m)].flatMap((x) => (x ? columnReadings(x) : []));
  const direction = directionOf(it, m);
  const scored = values.map((v) => {
    if (v.kind !== 'value') return { v, s: -1 };
    let s = v.score;
    if (named.has(v.ref.table)) s += 0.5;
    if (around.some((r) => sameColumn(r, v.ref))) s += 1;
    // `from_airport` or `to_airport`: the column named for the way the value goes.
    if (direction && identifierWords(v.ref.column).some((w) => DIRECTION_COLUMN_WORDS[direction].has(w)))
      s += 1.5;
    return { v, s };
  });
  scored.sort((a, b) => b.s - a.s);
  if (scored.length > 1 && scored[0]!.s === scored[1]!.s) it.confidencePenalty += 0.15;
  return scored[0]!.v;
}

/** Words that set two values against each other (normal form). */
const COMPARE_WORDS = new Set(['vs', 'versus', 'against', 'compared']);

/** Words between two values of one column that make them a route or a range (normal form). */
const ROUTE_WORDS = new Set(['to', 'until', 'till', 'through', 'thru', 'into']);

/** Words before a value that say where it comes from or goes to (normal form). */
const FROM_WORDS = new Set(['from', 'leaving', 'departing', 'origin']);
const TO_WORDS = new Set(['to', 'into', 'towards', 'arriving', 'destination']);

/** Words of a column's name for each way (`from_airport`, `destination_city`). */
const DIRECTION_COLUMN_WORDS = {
  from: new Set(['from', 'origin', 'source', 'src', 'departure', 'depart', 'start']),
  to: new Set(['to', 'destination', 'dest', 'arrival', 'arrive', 'target', 'end']),
};
