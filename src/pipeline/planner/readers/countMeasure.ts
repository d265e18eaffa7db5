import pluralize from 'pluralize';
import type { ColumnRef } from '../../../domain/types.ts';
import { NotUnderstood } from '../../../errors.ts';
import { identifyingKey } from '../../schema/identity.ts';
import type { Interpretation, MeasurePick } from '../interpretation.ts';
import { bestScore, columnReadings, numericReadings, pickColumn, tableReading } from '../readings.ts';
import { isCountColumn } from '../schemaLexicon.ts';
import type { MeasureCues } from './measureCues.ts';

// Counting: the rows of a table, the distinct values of a column, or a column that is a count.

/** Counting: "how many orders", "number of customers", "order count". */
export function rowCount(it: Interpretation, cues: MeasureCues): MeasurePick | undefined {
  const { ms, countMention, moneyMention, entityMentions } = cues;
  if (countMention && !moneyMention) {
    it.use(countMention);
    const distinct = ms.find((m) => m.distinct);
    if (distinct) it.use(distinct);
    // "the number of distinct countries our customers are from": the column named first
    // after "distinct", whatever table follows, is what is counted.
    const distinctColumn =
      distinct &&
      ms.find(
        (m) => m.start >= distinct.end && !it.used.has(m) && !tableReading(m) && columnReadings(m).length,
      );
    if (distinctColumn && distinctColumn.start === distinct.end) {
      const ref = pickColumn(columnReadings(distinctColumn), ms);
      it.use(distinctColumn, `count of distinct ${ref.column}`);
      const owner = ms.find((m) => tableReading(m) === ref.table && !it.used.has(m));
      if (owner) it.use(owner);
      return { measure: { agg: 'count_distinct', expr: { kind: 'column', ref }, as: distinctAlias(ref) } };
    }
    // "the total number of credits earned by students": a number column right after the count
    // words that adds up across rows is the amount counted, whatever rows follow.
    const amount = it.next(countMention);
    if (
      !distinct &&
      amount?.start === countMention.end &&
      !it.used.has(amount) &&
      bestScore(amount, 'column') > bestScore(amount, 'table')
    ) {
      const ref = numericReadings(amount, it.lexicon).find((r) => it.isAdditive(r));
      if (ref) {
        it.use(amount, `total ${ref.column}`);
        const as = /^total_/.test(ref.column) ? ref.column : `total_${ref.column}`;
        return { measure: { agg: 'sum', expr: { kind: 'column', ref }, as } };
      }
    }
    const target = entityMentions.find((m) => m.start > countMention.start) ?? entityMentions[0];
    if (target) {
      const table = tableReading(target)!;
      // "how many distinct countries": a column counted by its distinct values.
      const col = columnReadings(target).find(
        (r) => r.table !== table || bestScore(target, 'column') > bestScore(target, 'table'),
      );
      it.use(target, `count of ${it.tableName(table)}`);
      if (col && distinct)
        return {
          measure: { agg: 'count_distinct', expr: { kind: 'column', ref: col }, as: distinctAlias(col) },
        };
      // "distinct meals" of a table whose rows have no key may repeat a meal: not read.
      if (distinct && !identifyingKey(it.lexicon.table(table)).length)
        it.unplaced.push({ text: distinct.text, what: 'distinct' });
      // A table that keeps its own count ("checkin.count"): each row is a tally already, so
      // "how many check-ins" adds the tallies up; counting the rows would count tallies.
      const own = it.lexicon
        .table(table)
        .columns.find((c) => c.kind === 'number' && COUNT_COLUMN.test(c.name));
      if (own && !distinct) {
        const ref = { table, column: own.name };
        it.assumptions.push(`${target.text} = sum of ${it.tableName(table)}.${own.name}`);
        return {
          measure: { agg: 'sum', expr: { kind: 'column', ref }, as: `total_${it.countAlias(table)}` },
        };
      }
      return {
        measure: { agg: 'count', expr: { kind: 'rows', table }, as: it.countAlias(table) },
        counted: table,
      };
    }
    const colTarget = ms.find(
      (m) => m.start > countMention.start && !it.used.has(m) && columnReadings(m).length,
    );
    if (colTarget) {
      const ref = columnReadings(colTarget)[0]!;
      // "how many citations" of `citation_num`: the column is the count, added up.
      const column = it.lexicon.column(ref);
      // "how many hours", "how many units": an amount, added up.
      if (column && (isCountColumn(column) || (column.kind === 'number' && it.isAdditive(ref)))) {
        it.use(colTarget, `total ${ref.column}`);
        return { measure: { agg: 'sum', expr: { kind: 'column', ref }, as: `total_${ref.column}` } };
      }
      // "how many ratings": the rows that have one, or the different values? Not said.
      if (column?.kind === 'number')
        it.unplaced.push({ text: `${countMention.text} ${colTarget.text}`, what: 'amount' });
      it.use(colTarget, `count of distinct ${ref.column}`);
      return { measure: { agg: 'count_distinct', expr: { kind: 'column', ref }, as: ref.column } };
    }
    const filtered = it.filters[0];
    if (filtered)
      return {
        measure: {
          agg: 'count',
          expr: { kind: 'rows', table: filtered.ref.table },
          as: it.countAlias(filtered.ref.table),
        },
        counted: filtered.ref.table,
      };
    throw new NotUnderstood(
      'What should I count? Name the things, for example "how many orders" or "number of customers".',
      it.understood,
    );
  }
  return undefined;
}

/** A count of a column's distinct values, named by them in the plural ("countries"). */
function distinctAlias(ref: ColumnRef): string {
  return pluralize.plural(ref.column);
}

/** A column that holds a count of its own: `count`, `cnt`, `num`. */
const COUNT_COLUMN = /^(?:count|cnt|num|number)$/i;
