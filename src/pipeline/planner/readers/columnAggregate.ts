import { COUNTING_SUPERLATIVES } from '../../../language/vocabulary.ts';
import { type Interpretation, type MeasurePick, WEAK_COLUMN_MATCH } from '../interpretation.ts';
import { bestScore, columnReadings, numericReadings } from '../readings.ts';
import type { MeasureCues } from './measureCues.ts';

// A numeric column named with an aggregate or a superlative ("average price", "highest rating").

/** An explicit numeric column with an aggregate ("average price", "total quantity"). */
export function columnAggregate(it: Interpretation, cues: MeasureCues): MeasurePick | undefined {
  const { ms, agg, countMention, superlative } = cues;
  const numericMention = ms.find(
    (m) =>
      !it.used.has(m) &&
      !m.money &&
      // "units" found only in a comment ("unit price paid") is the quantity word, not that column.
      !(m.quantity && bestScore(m, 'column') < WEAK_COLUMN_MATCH) &&
      bestScore(m, 'column') >= bestScore(m, 'table') &&
      columnReadings(m).some((r) => it.lexicon.column(r)?.kind === 'number'),
  );
  // "the total number of citations" on `citation_num`: the column already holds the count.
  const countColumn = numericMention && /^(?:total\s+)?(?:number|count|no)\s+of\b/.test(numericMention.text);
  if (numericMention && (agg || superlative || countColumn) && !(countMention && !agg)) {
    const ref = it.mostNamed(numericMention, numericReadings(numericMention, it.lexicon));
    it.use(numericMention, `${agg ?? 'ranked by'} ${it.tableName(ref.table)}.${ref.column}`);
    const table = it.tableNear(numericMention);
    if (table && table.table === ref.table) it.use(table.mention);
    // "average rating of businesses" when ratings live on reviews: over every review, or
    // over each business's own average? The two differ, so neither is guessed.
    if (table && table.table !== ref.table && agg === 'avg' && it.isChildOf(ref.table, table.table))
      it.unplaced.push({ text: `${numericMention.text} of ${table.mention.text}`, what: 'aggregate' });
    if (superlative && !agg && it.isListing(superlative)) return it.listing(ref.table, ref, superlative);
    // "highest priced item in each category": a price or a rating is not added up per group;
    // the highest one in each, or the group with the highest, is not said.
    const counting = COUNTING_SUPERLATIVES.has(superlative?.text.split(' ').pop() ?? '');
    if (superlative && !agg && !counting && !it.isAdditive(ref))
      it.unplaced.push({ text: `${superlative.text} ${numericMention.text}`, what: 'aggregate' });
    return {
      measure: { agg: agg ?? 'sum', expr: { kind: 'column', ref }, as: `${agg ?? 'total'}_${ref.column}` },
    };
  }
  return undefined;
}
