import pluralize from 'pluralize';
import type { TableKey } from '../../../domain/types.ts';
import { NotUnderstood } from '../../../errors.ts';
import { singular, stem } from '../../../language/text.ts';
import { reachableWithoutFanOut } from '../../compile/joinGraph.ts';
import type { Interpretation, MeasurePick } from '../interpretation.ts';
import { ARRIVED_MONEY, chooseMoney, FAILED_VALUE, SUCCESS_VALUE } from '../measureChoice.ts';
import type { Mention } from '../mentions.ts';
import { tableReading } from '../readings.ts';
import { tableWords } from '../schemaLexicon.ts';
import type { MeasureCues } from './measureCues.ts';

// Money words ("sales", "revenue", "spent"): which money column, and whether only money that arrived.

/** Money: "sales", "revenue", "spent". */
export function moneyTotal(it: Interpretation, cues: MeasureCues): MeasurePick | undefined {
  const { agg, superlative, moneyMention, entityMentions } = cues;
  if (moneyMention) {
    it.use(moneyMention);
    // "money sitting in open invoices": the nearest table, else the one table named.
    const named = entityMentions.length === 1 ? entityMentions[0] : undefined;
    const near =
      it.tableNear(moneyMention) ?? (named ? { table: tableReading(named)!, mention: named } : undefined);
    const choice = chooseMoney(it.schema, it.neededTables(), {
      near: near?.table,
      agg,
      preferred: (t) => it.preferTables.some((p) => it.matchesTable(t, p)),
      word: singular(moneyMention.text.split(' ').pop() ?? ''),
      arrived: arrivedMoneyWord(it) !== undefined,
    });
    if (!choice) {
      throw new NotUnderstood(
        'I could not find a money column (like a total, amount or price) in this database.',
        it.understood,
      );
    }
    if (choice.tied) it.confidencePenalty += 0.2;
    const pick = choice.pick;
    readArrivedMoney(it, pick.table);
    // "failed payments": the money word is the table's own name, so it may count the rows as
    // well as add up their amounts; nothing else in the question says which.
    const ownName = tableWords(it.lexicon.table(pick.table)).includes(
      singular(moneyMention.text.split(' ').pop() ?? ''),
    );
    // "failed payments by reason": a payment that failed moved no money, so the words count them.
    const failed = it.filters.some(
      (f) =>
        f.ref.table === pick.table &&
        (f.op === '=' || f.op === 'in') &&
        [f.value].flat().every((v) => typeof v === 'string' && FAILED_VALUE.test(v)),
    );
    if (ownName && !agg && failed) {
      it.assumptions.push(
        `${moneyMention.text} = how many ${it.tableName(pick.table)} rows (a failed one moves no money)`,
      );
      return {
        measure: { agg: 'count', expr: { kind: 'rows', table: pick.table }, as: it.countAlias(pick.table) },
        counted: pick.table,
      };
    }
    if (ownName && !agg && !it.mentions.some((m) => m !== moneyMention && (m.money || m.count)))
      it.unplaced.push({
        text: moneyMention.text,
        what: 'amount',
        rows: pluralize.plural(tableWords(it.lexicon.table(pick.table)).join(' ')),
      });
    if (near && near.table === pick.table) it.use(near.mention);
    it.assumptions.push(
      `${moneyMention.text} = ${agg ?? 'sum'} of ${pick.label}${statusNote(it, pick.table)}`,
    );
    // "the 3 highest paid employees": the money is each employee's own (salary), so they are
    // listed by it, not grouped by themselves and added up.
    const ranked = it.dims.length === 1 && it.dims[0]!.entity ? it.dims[0]! : undefined;
    if (superlative && !agg && ranked?.ref.table === pick.table && pick.expr.kind === 'column') {
      it.dims.length = 0;
      it.dimTables.clear();
      return it.listing(pick.table, pick.expr.ref, superlative);
    }
    it.understood.push(`${agg ?? 'total'} ${moneyMention.text}`);
    const word =
      near && near.table === pick.table
        ? `${tableWords(it.lexicon.table(near.table)).join('_')}_${it.aliasWord(moneyMention.text)}`
        : it.aliasWord(moneyMention.text);
    const as = agg === 'avg' ? `average_${word}` : word;
    return { measure: { agg: agg ?? 'sum', expr: pick.expr, as, concept: 'money' }, counted: undefined };
  }
  return undefined;
}

/** "Payments collected", "money received": money that arrived, so only the rows whose
 *  outcome says it did (a sampled success value), unless the question filtered that column. */
export function readArrivedMoney(it: Interpretation, table: TableKey) {
  const word = arrivedMoneyWord(it);
  if (!word) return;
  const t = it.lexicon.table(table);
  for (const c of t.columns) {
    const success = c.sampleValues?.find((v) => SUCCESS_VALUE.test(v));
    if (!success || it.filters.some((f) => f.ref.table === table && f.ref.column === c.name)) continue;
    it.filters.push({ ref: { table, column: c.name }, op: '=', value: success });
    it.assumptions.push(`${word.text} = only ${t.name} whose ${c.name} is ${success}`);
    return;
  }
}

export function arrivedMoneyWord(it: Interpretation): Mention | undefined {
  return it.mentions.find((m) => m.money && ARRIVED_MONEY.has(stem(m.text)));
}

function statusNote(it: Interpretation, table: TableKey): string {
  const t = it.lexicon.table(table);
  const hasStatusFilter = it.filters.some((f) => /status|state/.test(f.ref.column));
  const statusCol = it.schema.tables
    .filter((x) => x.key === table || reachableWithoutFanOut(it.schema, table, x.key))
    .flatMap((x) => x.columns.filter((c) => /status|state/.test(c.name) && c.sampleValues?.length))[0];
  return statusCol && !hasStatusFilter ? `, all ${statusCol.name} values` : t ? '' : '';
}
