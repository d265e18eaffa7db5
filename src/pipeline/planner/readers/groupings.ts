import { sameColumn } from '../../../domain/planParts.ts';
import { PARTICIPLE } from '../../../language/vocabulary.ts';
import { labelColumn } from '../columnRoles.ts';
import type { Interpretation } from '../interpretation.ts';
import type { Doubt } from '../ledger.ts';
import type { Mention } from '../mentions.ts';
import {
  bestScore,
  columnReadings,
  dimensionFrom,
  entityDimension,
  isCategorical,
  numericReadings,
  tableReading,
} from '../readings.ts';

// Groupings: "by X", "per X", "which X", and the ranked things of "top 10 products by revenue".

/** Reads "by X", "per X", "which X"; returns a mention that names what to rank by ("by revenue"). */
export function readGroupings(it: Interpretation): Mention | undefined {
  let rankingTarget: Mention | undefined;
  const ranking = it.limit !== undefined || it.mentions.some((m) => m.superlative);
  for (const m of it.mentions) {
    if (!m.grouping && !m.asking) continue;
    // "each instructor who taught a course": right after a noun, "who" starts a relative
    // clause about it, not a question for a group.
    const before = it.prev(m);
    if (m.asking && before && before.end === m.start && tableReading(before)) continue;
    const target = it.next(m);
    if (!target || it.used.has(target)) continue;
    // "received by each author": the grouping word after it carries the grouping.
    if (target.grouping && target.start === m.end && !target.asking) {
      it.use(m);
      continue;
    }
    // "citations received by publications": after a participle, "by" and a table name who did it.
    if (
      m.text === 'by' &&
      PARTICIPLE.test(it.words[m.start - 1] ?? '') &&
      tableReading(target) &&
      bestScore(target, 'table') > bestScore(target, 'column')
    ) {
      it.use(m);
      continue;
    }
    // "by payment method": a money word that qualifies the column after it.
    const qualified = it.next(target);
    if ((target.money || target.quantity) && qualified && !it.used.has(qualified)) {
      const col = columnReadings(qualified).find((r) => isCategorical(it.lexicon, r));
      if (col) {
        it.use(m);
        it.use(target);
        it.use(qualified);
        it.dims.push({ ref: col, as: col.column });
        it.dimTables.add(col.table);
        it.understood.push(`grouped by ${it.tableName(col.table)}.${col.column}`);
        continue;
      }
    }
    // "by revenue" after "top N" ranks rather than groups; so does "by total spent".
    const afterAgg = target.agg ? it.next(target) : undefined;
    const ranked =
      afterAgg && afterAgg.start === target.end && (afterAgg.money || afterAgg.quantity) ? afterAgg : target;
    if (m.grouping && (ranked.money || ranked.quantity || ranked.count) && !categoricalTarget(it, ranked)) {
      rankingTarget = ranked;
      it.use(m);
      continue;
    }
    // "top 3 businesses by review count": after a ranking, a number column is what to rank by;
    // the measure readers take it.
    if (
      m.grouping &&
      ranking &&
      numericReadings(ranked, it.lexicon).length &&
      !categoricalTarget(it, ranked)
    ) {
      it.use(m);
      continue;
    }
    if (target.grain && !target.schema.length) {
      it.use(m);
      continue; // "per month": read as a time grain
    }
    const dim = dimensionFrom(target, it.dimensionContext(m.asking === true));
    if (!dim) continue;
    // "average orders per customer", "average quantity per order": one average over the
    // customers or orders (of their counts or totals), not an average inside each of them.
    const averaged = it.mentions.some((x) => x.agg === 'avg');
    if (m.text === 'per' && dim.dimension.entity && averaged) {
      it.use(m);
      it.use(target);
      const doubt: Doubt = { text: `${m.text} ${target.text}`, what: 'grouping' };
      it.unplaced.push(doubt);
      it.perEntity = { table: dim.dimension.ref.table, per: m, doubt };
      continue;
    }
    it.use(m);
    if (it.dims.some((d) => sameColumn(d.ref, dim.dimension.ref) && d.grain === dim.dimension.grain)) {
      for (const used of dim.mentions) it.use(used);
      continue; // "… by neighbourhood, … in each neighbourhood": one grouping
    }
    if (m.asking) it.askedGroup = target;
    it.dims.push(dim.dimension);
    it.dimTables.add(dim.dimension.ref.table);
    for (const used of dim.mentions) it.use(used);
    it.understood.push(`grouped by ${it.tableName(dim.dimension.ref.table)}.${dim.dimension.ref.column}`);
  }
  readNamedEntities(it);
  readRankedGroup(it, rankingTarget);
  return rankingTarget;
}

/** "top 10 products by revenue", "best selling products": the ranked things are the groups. */
function readRankedGroup(it: Interpretation, rankingTarget: Mention | undefined) {
  if (it.dims.length) return;
  const ms = it.mentions;
  const s = ms.find((m) => m.superlative && !m.superlative.attribute);
  const measured =
    rankingTarget ?? ms.find((m) => m.money || m.quantity || (m.count && m.start > (s?.end ?? 0)));
  if (!s || !measured) return;
  const target = ms.find(
    (m) =>
      m.start > s.start &&
      !it.used.has(m) &&
      !m.money &&
      !m.quantity &&
      m.schema.some((r) => r.kind !== 'value'),
  );
  if (!target) return;
  const dim = dimensionFrom(target, it.dimensionContext(false));
  if (!dim) return;
  it.dims.push(dim.dimension);
  it.dimTables.add(dim.dimension.ref.table);
  for (const used of dim.mentions) it.use(used);
  it.understood.push(`ranked ${it.tableName(dim.dimension.ref.table)}`);
}

/** "business names in New York and their average ratings": the names of things, then a
 *  measure that is each one's own ("their", "each"), is one row per thing. */
function readNamedEntities(it: Interpretation) {
  if (it.dims.length) return;
  const measured = it.mentions.some((m) => !it.used.has(m) && (m.agg || m.count || m.money || m.quantity));
  if (!measured) return;
  for (const m of it.mentions) {
    if (it.used.has(m) || bestScore(m, 'column') < bestScore(m, 'table')) continue;
    // "product names": the table said with it; else the one table whose label the word names.
    const before = it.prev(m);
    const owner = before && before.end === m.start && !it.used.has(before) ? tableReading(before) : undefined;
    const labels = columnReadings(m).filter(
      (r) => labelColumn(it.lexicon.table(r.table))?.name === r.column && (!owner || r.table === owner),
    );
    const ref = labels.length === 1 ? labels[0] : undefined;
    const own = it.words.findIndex((w, i) => i >= m.end && OWN_WORDS.has(w));
    if (!ref || own < 0) continue;
    const dim = entityDimension(it.lexicon, ref.table);
    if (!dim) continue;
    if (owner && before) it.use(before);
    // "… how many orders each has": the "each" is this grouping's.
    const each = it.mentions.find((x) => x.start === own && x.grouping);
    if (each) it.use(each);
    it.use(m, `grouped by ${it.tableName(ref.table)}`);
    it.dims.push(dim);
    it.dimTables.add(dim.ref.table);
    return;
  }
}

/** Words that make a measure each thing's own (normal form). */
const OWN_WORDS = new Set(['their', 'its', 'each']);

/** A word naming a column to group by ("by payment method"), not an amount to rank by. */
function categoricalTarget(it: Interpretation, m: Mention): boolean {
  return m.schema.some((r) => r.kind === 'column' && isCategorical(it.lexicon, r.ref));
}
