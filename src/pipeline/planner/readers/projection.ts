import { sameColumn } from '../../../domain/planParts.ts';
import type { ColumnRef } from '../../../domain/types.ts';
import { reachableWithoutFanOut } from '../../compile/joinGraph.ts';
import type { Interpretation } from '../interpretation.ts';
import type { Mention } from '../mentions.ts';
import { bestScore, columnReadings, tableReading } from '../readings.ts';

// The columns a listing shows: "the names and emails of customers in Germany", "list their
// first name and last name". Only where nothing is measured, ranked by a measure or grouped —
// there a column word is a grouping or an amount, which the readers after this one place.

export function readProjection(it: Interpretation) {
  const ms = it.mentions;
  const measured = ms.some(
    (m) =>
      !it.used.has(m) &&
      (m.count ||
        m.agg ||
        m.money ||
        m.quantity ||
        m.grouping ||
        (m.superlative && !m.superlative.attribute)),
  );
  // "which countries have more than 100 customers": a count is asked of each country.
  const countsRows = it.comparisons.some((c) => it.countedAfter(c));
  if (measured || countsRows || it.time.grain) return;
  const entity = ms.find((m) => it.namesEntity(m));
  const named: { mention: Mention; ref: ColumnRef }[] = [];
  for (const m of ms) {
    if (it.used.has(m) || m === entity || bestScore(m, 'column') <= bestScore(m, 'table')) continue;
    if (!askedToShow(it, m, entity)) continue;
    if (m.schema.some((r) => r.kind === 'value')) continue;
    const readings = columnReadings(m).filter((r) => shown(it, r));
    if (!readings.length) continue;
    const root = entity ? tableReading(entity)! : readings[0]!.table;
    // A column of the listed rows, or of a row each of them belongs to ("the city of their store").
    const ref =
      readings.find((r) => r.table === root) ??
      readings.find((r) => reachableWithoutFanOut(it.schema, root, r.table));
    if (!ref) return;
    named.push({ mention: m, ref });
  }
  if (!named.length) return;
  // "List all product categories", "which countries do customers come from": categories alone
  // (columns of few values, so sampled) are their values, each once, not one row per product.
  // "Orders with their status" is each order with its own.
  it.distinctProjection = named.every(
    ({ mention, ref }) =>
      Boolean(it.lexicon.column(ref)?.sampleValues?.length) &&
      !POSSESSIVES.has(it.words[mention.start - 1] ?? ''),
  );
  for (const { mention, ref } of named) {
    it.use(mention, `show ${it.tableName(ref.table)}.${ref.column}`);
    if (!it.projection.some((r) => sameColumn(r, ref))) it.projection.push(ref);
  }
}

/** A column word asks to be shown when it comes before the rows it is of ("the emails of
 *  customers"), right after "their" ("with their status"), or after a word that asks to show
 *  ("list their first name") with no relative clause between; after the rows, a column word is
 *  a condition on them ("students who have declared a minor"), which this reader leaves. */
function askedToShow(it: Interpretation, m: Mention, entity: Mention | undefined): boolean {
  if (entity && m.end <= entity.start) return true;
  if (POSSESSIVES.has(it.words[m.start - 1] ?? '')) return true;
  for (let i = m.start - 1; i >= 0; i--) {
    const w = it.words[i]!;
    if (RELATIVE_WORDS.has(w)) return false;
    if (SHOW_WORDS.has(w)) return true;
  }
  return !entity;
}

/** Words that ask for columns to be shown (normal form). */
const SHOW_WORDS = new Set(['show', 'list', 'give', 'return', 'display', 'include', 'provide', 'showing']);
const POSSESSIVES = new Set(['their', 'its', 'his', 'her']);
/** Words that open a condition on the rows just named. */
const RELATIVE_WORDS = new Set(['who', 'that', 'which', 'whose', 'where', 'with', 'without', 'having']);

/** Yes/no columns are qualities ("active customers"), placed as filters; the rest can be shown. */
function shown(it: Interpretation, ref: ColumnRef): boolean {
  return it.lexicon.column(ref)?.kind !== 'boolean';
}
