import type { DatePart } from '../../domain/types.ts';
import { MONTH_NAMES, WEEKDAY_NAMES } from '../../language/calendarNames.ts';
import type { Sql } from './selectTree.ts';

// Calendar places ("by day of the week"): taken from a time column, or held already by a column
// of their names (`checkin.day`); either way grouped by name and ordered as the calendar runs.

/** The place of a time column: a day or month by its English name (`FM` drops the padding). */
export function datePartOf(part: DatePart, column: Sql): Sql {
  if (part === 'hour') return `extract(hour FROM ${column})`;
  return `to_char(${column}, '${part === 'weekday' ? 'FMDay' : 'FMMonth'}')`;
}

/** Where a place's name stands in the calendar, for ORDER BY (names in any case, padded or not). */
export function calendarOrder(part: DatePart, grouped: Sql): Sql {
  if (part === 'hour') return grouped;
  const names = part === 'weekday' ? WEEKDAY_NAMES : MONTH_NAMES;
  return `array_position(ARRAY[${names.map((n) => `'${n}'`).join(', ')}], lower(btrim(${grouped})))`;
}
