import { sameColumn } from '../../../domain/planParts.ts';
import type { ColumnRef, Measure, QueryPlan, TableKey } from '../../../domain/types.ts';
import { tokenize } from '../../../language/text.ts';
import { LINKING_WORDS, STOPWORDS } from '../../../language/vocabulary.ts';
import { isMoneyColumn, isQuantityColumn } from '../columnRoles.ts';
import type { Interpretation } from '../interpretation.ts';
import { columnReadings, numericReadings, pickColumn, tableReading } from '../readings.ts';
import { tableWords } from '../schemaLexicon.ts';

// Comparisons with a number ("above 1000", "more than 5"): the column each is about, and the
// filter or the threshold on a total it becomes.

/** "orders with a total above 1000": the numeric column named just before a comparison is
 *  what it compares, so no measure reader takes it for the thing to add up. */
export function readComparedColumns(it: Interpretation) {
  for (const c of it.comparisons) {
    const m = it.mentions.findLast((x) => x.end <= c.tokenAt);
    const between = m ? it.words.slice(m.end, c.tokenAt) : [];
    if (!m || between.some((w) => !STOPWORDS.has(w) && !LINKING_WORDS.has(w))) continue;
    const numeric = numericReadings(m, it.lexicon);
    // "employees earning more than 100000": the money word is what is compared, so it is
    // not also the measure; the compared column is the rows' own money.
    if (!numeric.length && m.money && !m.schema.length && it.namedTableHasMoney()) {
      it.comparedMentions.add(m);
      it.use(m);
      continue;
    }
    if (!numeric.length) continue;
    it.compared.set(c, pickColumn(numeric, it.mentions));
    it.comparedMentions.add(m);
    it.use(m);
  }
}

export function applyComparisons(it: Interpretation, plan: QueryPlan, root: TableKey) {
  for (const c of it.comparisons) {
    if (it.thresholdsRead.has(c)) continue;
    // The column named just before the phrase, else the first numeric column named, else the
    // root's money.
    const named =
      it.compared.get(c) ??
      it.mentions.flatMap((m) => columnReadings(m)).find((r) => it.lexicon.column(r)?.kind === 'number');
    const t = it.lexicon.table(root);
    const afterWords = tokenize(c.after).map((x) => x.norm);
    // "which countries have more than 100 customers": a threshold on each group's count of the
    // rows it counts, named right after the number.
    const counted = plan.measures.find(
      (m) => m.agg === 'count' && m.expr.kind === 'rows' && m.expr.table === root,
    );
    const after = it.countedAfter(c);
    const countedNext = after && tableReading(after) === root ? after : undefined;
    if (plan.dimensions.length && counted && countedNext) {
      it.understood.push(`${counted.as} ${c.text.trim()}`);
      plan.having = [...(plan.having ?? []), { measure: counted.as, op: c.op, value: c.value }];
      continue;
    }
    // "… more than 20 products" counts rows; no column of theirs is what is compared.
    if (countedNext) {
      it.unplaced.push({ text: c.text.trim(), what: 'number' });
      continue;
    }
    const countsOther = it.schema.tables.find(
      (x) => afterWords.includes(tableWords(x)[tableWords(x).length - 1]!) && x.key !== root,
    );
    if (countsOther) {
      it.unplaced.push({ text: c.text.trim(), what: 'number' }); // "customers with more than 5 orders" needs a nested count
      continue;
    }
    const ref =
      named ??
      (() => {
        const col =
          t.columns.find((x) => isMoneyColumn(t, x)) ?? t.columns.find((x) => isQuantityColumn(t, x));
        return col ? { table: t.key, column: col.name } : undefined;
      })();
    if (!ref) {
      it.unplaced.push({ text: c.text.trim(), what: 'number' });
      continue;
    }
    // "customers who spent over 5000": on each order, or on each customer's total? Said
    // ("in total", "add up to"), it is the total; unsaid, it is asked.
    const summed = plan.dimensions.length
      ? plan.measures.find((x) => x.agg === 'sum' && measureReads(x, ref))
      : undefined;
    if (summed) {
      if (!TOTAL_WORDS.test(` ${it.words.join(' ')} `)) {
        it.unplaced.push({ text: c.text.trim(), what: 'threshold' });
        continue;
      }
      plan.having = [...(plan.having ?? []), { measure: summed.as, op: c.op, value: c.value }];
      it.understood.push(`${summed.as} in total ${c.text.trim()}`);
      continue;
    }
    const op = c.op === 'between' ? 'between' : c.op;
    plan.filters.push({ ref, op, value: Array.isArray(c.value) ? c.value : c.value });
    it.understood.push(`${ref.column} ${c.text.trim()}`);
  }
}

/** Words that put a threshold on a total rather than on each row (normal-form words). */
const TOTAL_WORDS = / (?:in total|altogether|combined|in all|overall|lifetime|add up to|a total of) /;

/** The measure adds up this column (alone or in a product: price × quantity). */
function measureReads(m: Measure, ref: ColumnRef): boolean {
  if (m.expr.kind === 'column') return sameColumn(m.expr.ref, ref);
  return m.expr.kind === 'product' && m.expr.refs.some((r) => sameColumn(r, ref));
}
