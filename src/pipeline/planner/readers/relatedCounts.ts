import type { Having, RelatedCount, TableKey } from '../../../domain/types.ts';
import { LINKING_WORDS, STOPWORDS } from '../../../language/vocabulary.ts';
import { countsPerRow, reachableWithoutFanOut } from '../../compile/joinGraph.ts';
import { type Interpretation, type MeasurePick, WEAK_COLUMN_MATCH } from '../interpretation.ts';
import type { Mention } from '../mentions.ts';
import { entityDimension, tableReading } from '../readings.ts';

// Conditions on how many related rows each entity has: thresholds ("customers with more than
// 10 orders") and absence ("customers who never ordered").

/** "customers with more than 10 orders": a threshold on how many related rows each entity
 *  has. A list of the entities over it shows their counts: grouped, counted, kept by HAVING.
 *  Otherwise ("how many customers have more than 10 orders", "customers with fewer than 3
 *  orders", which must keep customers with none) each entity's rows are counted on their own.
 *  A period would have to apply inside that count, which the plan cannot say: not read. */
export function readCountThreshold(
  it: Interpretation,
  pick: MeasurePick,
): { pick: MeasurePick; having?: Having; relatedCount?: RelatedCount } | undefined {
  if (it.dims.length || it.comparisons.length !== 1) return undefined;
  const c = it.comparisons[0]!;
  // The things counted are named right after the number ("more than 10 orders"), or by the
  // verb before it ("ordered more than 20 times").
  const times = /^times?\b/i.test(c.after);
  const counted = times
    ? it.mentions.find((m) => m.end === c.tokenAt && tableReading(m))
    : it.countedAfter(c);
  const table = counted && tableReading(counted);
  const listed = pick.listing && !pick.listing.orderBy ? pick.listing.table : undefined;
  const root = countedRoot(pick);
  if (!counted || !table || !root || table === root) return undefined;
  if (!countsPerRow(it.schema, root, table)) return undefined;
  const low = Array.isArray(c.value) ? c.value[0] : c.value;
  const excludesNone =
    c.op === '>' ? low >= 0 : (c.op === '>=' || c.op === '=' || c.op === 'between') && low >= 1;
  const dim = entityDimension(it.lexicon, root);
  const grouped = listed && excludesNone && dim && reachableWithoutFanOut(it.schema, table, root);
  if (!grouped && (it.time.range || it.time.grain)) return undefined;
  it.use(counted, `${it.tableName(root)} with ${c.text.trim()} ${counted.text}`);
  // "customers who placed more than 5 orders": the verb before is a way of saying it.
  const verb = it.mentions.find((m) => m.end === c.tokenAt && !it.used.has(m) && passingVerb(m));
  if (verb) it.use(verb);
  if (times) {
    // "times" may read as a column's word too ("time the order was placed"): it is the count's.
    const word = it.mentions.find((m) => m.start === c.tokenAt);
    if (word) it.use(word);
    else it.readWords.add(c.tokenAt);
  }
  it.thresholdsRead.add(c);
  if (!grouped || !dim) return { pick, relatedCount: { table, op: c.op, value: c.value } };
  it.dims.push(dim);
  it.dimTables.add(root);
  const as = it.countAlias(table);
  return {
    pick: { measure: { agg: 'count', expr: { kind: 'rows', table }, as }, counted: table },
    having: { measure: as, op: c.op, value: c.value },
  };
}

/** "customers who never ordered", "products without reviews": entities none of whose related
 *  rows exist, their count 0. A period ("not since March") would belong inside: not read. */
export function readAbsence(it: Interpretation, pick: MeasurePick): RelatedCount | undefined {
  const root = countedRoot(pick);
  if (!root || it.dims.length) return undefined;
  const ms = it.mentions;
  for (const [i, negation] of ms.entries()) {
    let j = i + 1;
    while (ms[j] && passingVerb(ms[j]!)) j++;
    const related = ms[j];
    if (!negation.negation || !related || it.used.has(negation) || it.used.has(related)) continue;
    const verbs = ms.slice(i + 1, j);
    const between = it.words.slice(negation.end, related.start);
    if (between.some((w) => !STOPWORDS.has(w) && !LINKING_WORDS.has(w))) continue;
    const table = tableReading(related);
    if (!table || table === root || related.schema.some((r) => r.kind === 'value')) continue;
    if (!countsPerRow(it.schema, root, table)) continue;
    if (it.time.range || it.time.grain) return undefined;
    for (const x of [negation, ...verbs]) it.use(x);
    it.use(related, `${it.tableName(root)} with no ${related.text}`);
    return { table, op: '=', value: 0 };
  }
  return undefined;
}

/** The table whose rows a plain list or a count of rows is of: where a condition on how many
 *  related rows each has applies. */
function countedRoot(pick: MeasurePick): TableKey | undefined {
  if (pick.listing) return pick.listing.orderBy ? undefined : pick.listing.table;
  const m = pick.measure;
  return m?.agg === 'count' && m.expr.kind === 'rows' ? m.expr.table : undefined;
}

/** A verb between is only a way of saying it ("not placed any orders"), even where a column's
 *  comment uses it ("the customer who placed the order"). */
function passingVerb(m: Mention): boolean {
  return LINKING_WORDS.has(m.text) && !m.schema.some((r) => r.score >= WEAK_COLUMN_MATCH);
}
