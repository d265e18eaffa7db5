import pluralize from 'pluralize';
import type { DatePart, Dimension, TableKey } from '../../domain/types.ts';
import { identifierWords } from '../../language/text.ts';
import { entityName } from '../schema/identity.ts';

// The words a headline uses for tables and columns: what a row of a table is ("customer"),
// many of them ("customers"), and a column as words ("created at").

function tableParts(key: TableKey): { schema: string; name: string } {
  const dot = key.indexOf('.');
  return dot < 0 ? { schema: '', name: key } : { schema: key.slice(0, dot), name: key.slice(dot + 1) };
}

/** "public.order_items" → "order item". */
export function entityNoun(key: TableKey): string {
  return entityName(tableParts(key)).replace(/_/g, ' ');
}

/** "public.order_items" → "order items". */
export function tableNoun(key: TableKey): string {
  return plural(entityNoun(key));
}

/** "created_at" → "created at", "pricePerSeat" → "price per seat". */
export function columnWords(column: string): string {
  return identifierWords(column).join(' ');
}

/** The plural of the head word of a phrase: its last ("order item" → "order items"), or the
 *  one before "of" ("day of the week" → "days of the week"). */
export function plural(phrase: string): string {
  const of = phrase.indexOf(' of ');
  if (of > 0) return `${plural(phrase.slice(0, of))}${phrase.slice(of)}`;
  const words = phrase.split(' ');
  const last = words.pop() ?? '';
  return [...words, pluralize.plural(last)].join(' ');
}

/** What one group of a dimension is: its entity ("product"), its grain ("month"), or its column. */
export function dimensionNoun(d: Dimension): string {
  if (d.entity) return entityNoun(d.ref.table);
  return d.grain ?? (d.part ? PART_NOUNS[d.part] : columnWords(d.ref.column));
}

/** A calendar place as the headline says it. */
const PART_NOUNS: Record<DatePart, string> = {
  weekday: 'day of the week',
  hour: 'hour of the day',
  month: 'month',
};
