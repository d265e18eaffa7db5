import { measureTable, sameColumn } from '../../domain/planParts.ts';
import type { ColumnRef, OrderBy, QueryPlan } from '../../domain/types.ts';
import type { OrderReading } from '../../language/ordering.ts';
import { identifierWords, singular, tokenize } from '../../language/text.ts';
import { LINKING_WORDS, STOPWORDS } from '../../language/vocabulary.ts';
import { findMentions, type Mention } from './mentions.ts';
import { columnReadings, tableReading } from './readings.ts';
import { type SchemaLexicon, tableWords } from './schemaLexicon.ts';

// What an ordering phrase orders by, among the things the plan shows: its measure ("by the
// number of papers"), a grouping ("by the month", "by journal name"), or a listed column ("by
// last name"). Nothing is ordered by a column the answer would not show; a key that matches
// none of them leaves the phrase unplaced.

export interface OrderTarget {
  order: OrderBy;
  /** A listed column to add to the answer so the order can be seen. */
  show?: ColumnRef;
}

/** Words that say "the value of the measure", whatever it measures. */
const MEASURE_WORDS = new Set(['number', 'count', 'total', 'amount', 'sum', 'value', 'score', 'figure']);
const NAME_WORDS = new Set(['name', 'title', 'label']);

function measureWords(plan: QueryPlan, lexicon: SchemaLexicon): Set<string> {
  const words = new Set<string>(MEASURE_WORDS);
  for (const m of plan.measures) {
    for (const w of identifierWords(m.as)) words.add(singular(w));
    for (const w of tableWords(lexicon.table(measureTable(m.expr)))) words.add(w);
    const ref = m.expr.kind === 'column' ? m.expr.ref : undefined;
    if (ref) for (const w of identifierWords(ref.column)) words.add(singular(w));
  }
  return words;
}

/** Words of the key no mention of the schema covers (after function words). */
function looseWords(by: string, mentions: Mention[]): string[] {
  const tokens = tokenize(by);
  const covered = new Set<number>();
  for (const m of mentions)
    if (m.schema.length || m.grain) for (let i = m.start; i < m.end; i++) covered.add(i);
  return tokens
    .map((t, i) => (covered.has(i) ? '' : t.norm))
    .filter((w) => w && !STOPWORDS.has(w) && !LINKING_WORDS.has(w) && w !== 'first');
}

function byMeasure(plan: QueryPlan, dir: OrderReading['dir']): OrderTarget | undefined {
  const m = plan.measures[0];
  return m ? { order: { by: m.as, dir: dir ?? 'desc' } } : undefined;
}

function byName(plan: QueryPlan, lexicon: SchemaLexicon, dir: OrderReading['dir']): OrderTarget | undefined {
  const text = (ref: ColumnRef) => lexicon.column(ref)?.kind === 'text';
  const d = plan.dimensions.find((x) => !x.grain && text(x.ref));
  if (d) return { order: { by: d.as, dir: dir ?? 'asc' } };
  const s = plan.measures.length ? undefined : plan.select?.find(text);
  return s ? { order: { by: s.column, dir: dir ?? 'asc' } } : undefined;
}

function byColumn(
  plan: QueryPlan,
  mentions: Mention[],
  dir: OrderReading['dir'],
  lexicon: SchemaLexicon,
): OrderTarget | undefined {
  for (const m of mentions) {
    if (m.grain) {
      const d = plan.dimensions.find((x) => x.grain === m.grain);
      if (d) return { order: { by: d.as, dir: dir ?? 'asc' } };
    }
    for (const ref of columnReadings(m)) {
      const d = plan.dimensions.find((x) => sameColumn(x.ref, ref));
      if (d) return { order: { by: d.as, dir: dir ?? 'asc' } };
      if (plan.measures.length) continue;
      const shown = plan.select?.some((s) => sameColumn(s, ref));
      const listed = plan.select?.some((s) => s.table === ref.table);
      if (shown || listed)
        return { order: { by: ref.column, dir: dir ?? 'asc' }, show: shown ? undefined : ref };
    }
    // "ordered by journal": the grouping that names that table's rows.
    const t = tableReading(m);
    const d = t ? plan.dimensions.find((x) => x.ref.table === t && !x.grain) : undefined;
    if (d && lexicon.column(d.ref)?.kind === 'text') return { order: { by: d.as, dir: dir ?? 'asc' } };
  }
  return undefined;
}

export function orderTarget(
  plan: QueryPlan,
  order: OrderReading,
  lexicon: SchemaLexicon,
): OrderTarget | undefined {
  const highFirst = /^(?:the\s+)?(?:highest|largest|biggest|most|greatest|best)\s+(.*?)\s+first$/i.exec(
    order.by,
  );
  const lowFirst = /^(?:the\s+)?(?:lowest|smallest|least|fewest|worst)\s+(.*?)\s+first$/i.exec(order.by);
  const by = (highFirst ?? lowFirst)?.[1] ?? order.by;
  const dir = order.dir ?? (highFirst ? 'desc' : lowFirst ? 'asc' : undefined);
  const tokens = tokenize(by);
  const mentions = findMentions(tokens, lexicon);
  const loose = looseWords(by, mentions);
  if (!tokens.some((t) => !STOPWORDS.has(t.norm))) {
    if (order.alphabetical) return byName(plan, lexicon, dir);
    if (plan.measures.length) return byMeasure(plan, dir);
    const current = plan.orderBy?.[0];
    return current && dir ? { order: { by: current.by, dir } } : undefined;
  }
  // By the measure when every word says "the measure": its own words, or a count or an
  // aggregate ("the number of papers", "average rating").
  const measureish = measureWords(plan, lexicon);
  const saysMeasure = (m: Mention | undefined) => Boolean(m && (m.count || m.agg || m.money || m.quantity));
  const at = (i: number) => mentions.find((m) => m.start <= i && i < m.end);
  const content = tokens
    .map((t, i) => ({ w: t.norm, m: at(i) }))
    .filter(({ w }) => !STOPWORDS.has(w) && !LINKING_WORDS.has(w));
  const allMeasure = content.every(({ w, m }) => measureish.has(singular(w)) || saysMeasure(m));
  if (plan.measures.length && (allMeasure || content.some(({ m }) => saysMeasure(m))))
    return allMeasure ? byMeasure(plan, dir) : undefined;
  if (loose.some((w) => !NAME_WORDS.has(singular(w)))) return undefined;
  // One thing is ordered by: any other word of the key that names something leaves it unread.
  const named = mentions.filter((m) => m.schema.length || m.grain);
  const column = named.length === 1 ? byColumn(plan, named, dir, lexicon) : undefined;
  if (column) return column;
  if (named.length > 1) return undefined;
  return loose.length && loose.every((w) => NAME_WORDS.has(singular(w)))
    ? byName(plan, lexicon, dir)
    : undefined;
}
