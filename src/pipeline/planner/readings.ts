import type { ColumnRef, Dimension, TableKey, TimeGrain } from '../../domain/types.ts';
import { linkedEntity, personNameColumns } from '../schema/entityLabels.ts';
import { labelColumn } from './columnRoles.ts';
import type { Mention } from './mentions.ts';
import type { SchemaLexicon } from './schemaLexicon.ts';

// Reading a mention as a table, a column or a grouping — shared by the planner and follow-ups.

export function tableReading(m: Mention): TableKey | undefined {
  const r = m.schema.filter((x) => x.kind === 'table').sort((a, b) => b.score - a.score)[0];
  return r?.kind === 'table' ? r.table : undefined;
}

export function columnReadings(m: Mention): ColumnRef[] {
  return m.schema
    .filter((x) => x.kind === 'column')
    .sort((a, b) => b.score - a.score)
    .flatMap((x) => (x.kind === 'column' ? [x.ref] : []));
}

/** The numeric columns a mention names best: a column named by the very word ("seats") wins
 *  over one whose name only contains it ("pricePerSeat"), wherever the tables are. */
export function numericReadings(m: Mention, lexicon: SchemaLexicon): ColumnRef[] {
  const numeric = m.schema.filter((x) => x.kind === 'column' && lexicon.column(x.ref)?.kind === 'number');
  const best = Math.max(...numeric.map((x) => x.score));
  return numeric.flatMap((x) => (x.kind === 'column' && x.score === best ? [x.ref] : []));
}

export function bestScore(m: Mention, kind: 'table' | 'column' | 'value'): number {
  return Math.max(0, ...m.schema.filter((x) => x.kind === kind).map((x) => x.score));
}

export function isCategorical(lexicon: SchemaLexicon, ref: ColumnRef): boolean {
  const c = lexicon.column(ref);
  return Boolean(
    c && (c.kind === 'text' || c.kind === 'boolean' || c.kind === 'date' || c.kind === 'timestamp'),
  );
}

/** Several columns share a word ("name", "reason"): prefer one in a table the question names,
 *  then one in a table its other words point at ("cancellations" → subscriptions). */
export function pickColumn(cols: ColumnRef[], mentions: Mention[]): ColumnRef {
  const named = new Set(mentions.map(tableReading).filter(Boolean));
  const context = new Set(
    mentions.flatMap((m) => m.schema.flatMap((r) => (r.kind === 'table' ? [] : [r.ref.table]))),
  );
  const touched = (c: ColumnRef) =>
    mentions.filter((m) =>
      m.schema.some((r) => r.kind !== 'table' && r.ref.table === c.table && r.ref.column !== c.column),
    ).length;
  return (
    cols.find((c) => named.has(c.table)) ??
    [...cols].filter((c) => context.has(c.table)).sort((a, b) => touched(b) - touched(a))[0] ??
    cols[0]!
  );
}

export interface DimensionContext {
  lexicon: SchemaLexicon;
  mentions: Mention[];
  /** Grain for a time column grouping ("by signup month"). */
  grain?: TimeGrain;
  /** "which customers…" names an entity to group by only when something is measured. */
  entityAllowed: boolean;
}

function columnDimension(ctx: DimensionContext, ref: ColumnRef): Dimension {
  const c = ctx.lexicon.column(ref);
  const isTime = c?.kind === 'timestamp' || c?.kind === 'date';
  const grain = isTime ? (ctx.grain ?? ctx.mentions.find((m) => m.grain)?.grain ?? 'month') : undefined;
  return { ref, as: grain ?? ref.column, grain };
}

/** The grouping a mention names: a column, "table column", or an entity by its label. */
export function dimensionFrom(
  target: Mention,
  ctx: DimensionContext,
): { dimension: Dimension; mentions: Mention[] } | null {
  const table = tableReading(target);
  const after = ctx.mentions[ctx.mentions.indexOf(target) + 1];
  // "by product category": a table word followed by one of its columns (not "each business
  // in the state of …", where the column starts a phrase of its own).
  if (table && after && after.start === target.end) {
    const col = columnReadings(after).find((r) => r.table === table && isCategorical(ctx.lexicon, r));
    if (col) return { dimension: columnDimension(ctx, col), mentions: [target, after] };
  }
  // "per course id": a key named with its "id" groups by the key's values.
  const namesKey = /\bids?$/.test(target.text);
  const cols = columnReadings(target).filter(
    (r) => isCategorical(ctx.lexicon, r) || (namesKey && /id$/i.test(r.column)),
  );
  if (cols.length && (!table || bestScore(target, 'column') >= bestScore(target, 'table'))) {
    return { dimension: columnDimension(ctx, pickColumn(cols, ctx.mentions)), mentions: [target] };
  }
  const entity = table && ctx.entityAllowed ? entityDimension(ctx.lexicon, table) : null;
  return entity ? { dimension: entity, mentions: [target] } : null;
}

/** A table's rows as groups, by their label ("by customer" → customers.name, keyed by id). */
export function entityDimension(lexicon: SchemaLexicon, table: TableKey): Dimension | null {
  // A link table is grouped by what it links to; a person by their whole name (compiled).
  const entity = linkedEntity(lexicon.schema, table) ?? table;
  const label = labelColumn(lexicon.table(entity));
  if (!label) return null;
  const as = personNameColumns(lexicon.table(entity), label.name) ? 'name' : label.name;
  return { ref: { table: entity, column: label.name }, as, entity: true };
}
