import type { Aggregate, ColumnRef, SchemaInfo, TableKey } from '../../domain/types.ts';
import { reachableWithoutFanOut } from '../compile/joinGraph.ts';
import { isQuantityColumn, type MoneyCandidate, moneyCandidates } from './columnRoles.ts';
import { tableWords } from './schemaLexicon.ts';

// Which column answers "sales" or "units" depends on what else the question needs: a grouping
// by product category is reached from order lines without fan-out, not from order headers.
// Used by the planner and again by follow-ups that add a grouping or a filter.

export interface MoneyChoiceOptions {
  /** A table named right next to the money word ("order value"). */
  near?: TableKey;
  agg?: Aggregate;
  /** Tables the asker pointed at ("use the payments table"). */
  preferred?: (table: TableKey) => boolean;
  /** The money word itself, normal form: "payments" names the payment_attempts table. */
  word?: string;
  /** The money arrived ("collected", "received"): tables that record an outcome fit best. */
  arrived?: boolean;
}

/** Stems of words for money that arrived. */
export const ARRIVED_MONEY = new Set(['collect', 'receiv', 'settl', 'cleared']);
/** Sampled values that say a payment went through. */
export const SUCCESS_VALUE = /^(succeeded|success|successful|settled|captured|cleared|completed?)$/i;
/** Outcomes in which no money moved: rows that count, not amounts. */
export const FAILED_VALUE = /^(failed|failure|declined|rejected|bounced|errored|voided?)$/i;

function recordsOutcome(schema: SchemaInfo, key: TableKey): boolean {
  const t = schema.tables.find((x) => x.key === key);
  return Boolean(t?.columns.some((c) => c.sampleValues?.some((v) => SUCCESS_VALUE.test(v))));
}

export interface MoneyChoice {
  pick: MoneyCandidate;
  /** Another table scored the same: the choice is a guess worth saying. */
  tied: boolean;
}

function tableWordsOf(schema: SchemaInfo, key: TableKey): string[] {
  const t = schema.tables.find((x) => x.key === key);
  return t ? tableWords(t) : [];
}

function reachesAll(schema: SchemaInfo, from: TableKey, needed: TableKey[]): boolean {
  return needed.every((n) => n === from || reachableWithoutFanOut(schema, from, n));
}

export function chooseMoney(
  schema: SchemaInfo,
  needed: TableKey[],
  options: MoneyChoiceOptions = {},
): MoneyChoice | null {
  const all = moneyCandidates(schema);
  if (!all.length) return null;
  const strong = all.filter((c) => !c.unitPriceOnly);
  const pool = strong.length ? strong : all;
  const valid = (t: TableKey) => reachesAll(schema, t, needed);
  const scored = pool.map((c) => {
    let s = 0;
    if (valid(c.table)) s += 3;
    if (options.near === c.table) s += 2;
    if (options.preferred?.(c.table)) s += 5;
    if (options.word && tableWordsOf(schema, c.table).includes(options.word)) s += 2;
    if (options.arrived && recordsOutcome(schema, c.table)) s += 1.5;
    // A header table (others point at it) states the money of the whole; prefer it when it fits.
    if (pool.some((o) => o !== c && valid(o.table) && reachableWithoutFanOut(schema, o.table, c.table)))
      s += 1;
    if (options.agg === 'avg' && c.expr.kind === 'product') s -= 0.5;
    if (c.expr.kind === 'column' && /total|amount|revenue|sales/.test(c.expr.ref.column.toLowerCase()))
      s += 0.25;
    return { c, s };
  });
  scored.sort((a, b) => b.s - a.s);
  const best = scored[0]!;
  const tied = Boolean(scored[1] && scored[1].s === best.s && scored[1].c.table !== best.c.table);
  return { pick: best.c, tied };
}

export function chooseQuantity(schema: SchemaInfo, needed: TableKey[]): ColumnRef | undefined {
  const cands: ColumnRef[] = [];
  for (const t of schema.tables) {
    for (const c of t.columns) if (isQuantityColumn(t, c)) cands.push({ table: t.key, column: c.name });
  }
  return cands.find((r) => reachesAll(schema, r.table, needed)) ?? cands[0];
}
