import type { ColumnInfo, ColumnRef, TableKey } from '../../../domain/types.ts';
import { NotUnderstood } from '../../../errors.ts';
import { eventTimeColumn, isMoneyColumn, isQuantityColumn } from '../columnRoles.ts';
import type { Interpretation, MeasurePick } from '../interpretation.ts';
import { chooseMoney, chooseQuantity } from '../measureChoice.ts';
import type { Mention } from '../mentions.ts';
import { columnReadings, tableReading } from '../readings.ts';
import { columnAggregate } from './columnAggregate.ts';
import { rowCount } from './countMeasure.ts';
import { type MeasureCues, readMeasureCues } from './measureCues.ts';
import { moneyTotal } from './money.ts';
import { readPerEntityAverage } from './perEntityAverage.ts';

// The measure: what the answer computes. The readers are tried in order; the first that places
// the question's measure words wins. Earlier ones are more specific: a numeric column named
// with an aggregate beats a count, which beats money, which beats a plain listing.

const MEASURE_READERS: ((it: Interpretation, cues: MeasureCues) => MeasurePick | undefined)[] = [
  columnAggregate,
  rowCount,
  moneyTotal,
  quantityTotal,
  amountOfTable,
  rankedAttribute,
  entityCount,
  eventCount,
  plainListing,
];

export function readMeasure(it: Interpretation, rankingTarget: Mention | undefined): MeasurePick {
  const perEntity = readPerEntityAverage(it);
  if (perEntity) return perEntity;
  const cues = readMeasureCues(it, rankingTarget);
  for (const read of MEASURE_READERS) {
    const pick = read(it, cues);
    if (pick) return pick;
  }
  throw new NotUnderstood(
    'I could not tell what to measure. Try naming a table or an amount, e.g. "total sales last month" or "number of customers by country".',
    it.understood,
  );
}

/** Quantities: "units sold", "top selling". */
function quantityTotal(it: Interpretation, cues: MeasureCues): MeasurePick | undefined {
  const { ms, agg, aggMention, quantityMention } = cues;
  if (quantityMention) {
    it.use(quantityMention);
    // "How much did we sell": money taken, or units? The verb alone does not say.
    if (aggMention?.text === 'how much' && SELL_VERBS.has(quantityMention.text))
      it.unplaced.push({ text: `how much … ${quantityMention.text}`, what: 'amount' });
    for (const m of ms) if (m.quantity && !it.used.has(m)) it.use(m);
    const ref = chooseQuantity(it.schema, it.neededTables());
    if (ref) {
      it.assumptions.push(
        `${quantityMention.text} = ${agg ?? 'sum'} of ${it.tableName(ref.table)}.${ref.column}`,
      );
      it.understood.push(`units (${ref.column})`);
      return {
        measure: {
          agg: agg ?? 'sum',
          expr: { kind: 'column', ref },
          as: 'units_sold',
          concept: 'quantity',
        },
      };
    }
  }
  return undefined;
}

/** An amount asked of a table: "total invoiced last quarter", "how much did we invoice". */
function amountOfTable(it: Interpretation, cues: MeasureCues): MeasurePick | undefined {
  const { agg, superlative, entityMentions } = cues;
  const amountOf = entityMentions[0];
  if (agg && amountOf && !superlative) {
    const table = tableReading(amountOf)!;
    const choice = chooseMoney(it.schema, it.neededTables(), { agg, preferred: (t) => t === table });
    if (choice && choice.pick.table === table) {
      it.use(amountOf, `${agg} of ${choice.pick.label}`);
      it.assumptions.push(`${amountOf.text} = ${agg} of ${choice.pick.label}`);
      return {
        measure: {
          agg,
          expr: choice.pick.expr,
          as: `${agg === 'avg' ? 'average' : 'total'}_${it.aliasWord(amountOf.text)}`,
          concept: 'money',
        },
      };
    }
  }
  return undefined;
}

/** "The most expensive product", "largest order": a listing ranked by an attribute. */
function rankedAttribute(it: Interpretation, cues: MeasureCues): MeasurePick | undefined {
  const { superlative, entityMentions } = cues;
  if (superlative && entityMentions.length && it.dims.length === 0) {
    const table = tableReading(entityMentions[0]!)!;
    if (!superlative.superlative?.attribute) {
      throw new NotUnderstood(
        `${superlative.text[0]!.toUpperCase()}${superlative.text.slice(1)} ${it.tableName(table)} by what? For example by revenue, by units sold or by number of orders.`,
        it.understood,
      );
    }
    it.use(entityMentions[0]!);
    const ref = attributeColumn(it, table, superlative);
    if (ref) return it.listing(table, ref, superlative);
  }
  return undefined;
}

/** "Customers by country", "which city has the most business customers": count the entity. */
function entityCount(it: Interpretation, cues: MeasureCues): MeasurePick | undefined {
  const { countMention, superlative, entityMentions } = cues;
  const counted = entityMentions[0];
  if (counted && (it.dims.length || superlative || countMention || it.time.grain || it.time.part)) {
    const table = tableReading(counted)!;
    it.use(counted, `count of ${it.tableName(table)}`);
    return {
      measure: { agg: 'count', expr: { kind: 'rows', table }, as: it.countAlias(table) },
      counted: table,
    };
  }
  return undefined;
}

/** Events named by their time column ("signups" ↔ a column commented "signup time",
 *  "cancellations" ↔ cancelled_at): count the rows of that table.
 *  The word may also have been read as a value ("cancellations" → status 'cancelled'). */
function eventCount(it: Interpretation, cues: MeasureCues): MeasurePick | undefined {
  const { ms, countMention, entityMentions } = cues;
  const counted = entityMentions[0];
  const isTime = (r: ColumnRef) => ['timestamp', 'date'].includes(it.lexicon.column(r)?.kind ?? '');
  const event = ms.find((m) =>
    columnReadings(m).some(
      (r) => isTime(r) && !it.dims.some((d) => d.ref.column === r.column && d.ref.table === r.table),
    ),
  );
  if (!counted && event && (it.time.range || it.time.grain || it.time.part || countMention)) {
    const ref = columnReadings(event).find(isTime)!;
    it.use(event);
    it.understood.push(`count of ${it.tableName(ref.table)} by ${ref.column}`);
    return {
      measure: { agg: 'count', expr: { kind: 'rows', table: ref.table }, as: it.aliasWord(event.text) },
      counted: ref.table,
    };
  }
  return undefined;
}

/** "Show customers in Germany": a plain listing. */
function plainListing(it: Interpretation, cues: MeasureCues): MeasurePick | undefined {
  const counted = cues.entityMentions[0];
  if (counted) {
    const table = tableReading(counted)!;
    it.use(counted, `list of ${it.tableName(table)}`);
    return { measure: null, listing: { table } };
  }
  return undefined;
}

function attributeColumn(it: Interpretation, table: TableKey, superlative: Mention): ColumnRef | undefined {
  const t = it.lexicon.table(table);
  const kind = superlative.superlative?.attribute;
  const pick = (pred: (c: ColumnInfo) => boolean) => t.columns.find(pred);
  let c: ColumnInfo | undefined;
  if (kind === 'time') c = eventTimeColumn(t);
  else if (kind === 'price')
    c =
      pick((x) => isMoneyColumn(t, x) && /price|cost|fee|rate/.test(x.name.toLowerCase())) ??
      pick((x) => isMoneyColumn(t, x));
  else c = pick((x) => isMoneyColumn(t, x)) ?? pick((x) => isQuantityColumn(t, x));
  return c ? { table, column: c.name } : undefined;
}

/** Selling as a verb, which says neither units nor money (normal form). */
const SELL_VERBS = new Set(['sell', 'sold', 'selling', 'sells']);
