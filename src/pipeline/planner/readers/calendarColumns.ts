import { sameColumn } from '../../../domain/planParts.ts';
import type { ColumnInfo, ColumnRef, DatePart, QueryPlan, TableKey } from '../../../domain/types.ts';
import { MONTH_NAMES, WEEKDAY_NAMES } from '../../../language/calendarNames.ts';
import { reachableWithoutFanOut } from '../../compile/joinGraph.ts';
import type { Interpretation } from '../interpretation.ts';

// Calendar places a table keeps in columns of their own, where it has no date: a year number
// (`paper.year`), a month name (`review.month` of 'April'…), a weekday name (`checkin.day`).
// "In 2020", "in April 2021", "in each month of 2021", "by day of the week" are read on them;
// anything they cannot say (a day, a week, a rolling window) is left for the time column.

/** Places the period and the calendar grouping on such columns; false (and nothing placed)
 *  when they cannot hold what was asked. */
export function readCalendarColumns(
  it: Interpretation,
  plan: QueryPlan,
  root: TableKey,
  measured: boolean,
): boolean {
  const { range, grain, part } = it.time;
  const period = range ? calendarPeriod(range) : undefined;
  if (range && !period) return false;
  const year = yearColumn(it, root);
  const month = nameColumn(it, root, 'month', MONTH_NAMES);
  const weekday = nameColumn(it, root, 'weekday', WEEKDAY_NAMES);
  if (period && (!year || (period.month !== undefined && !month))) return false;
  // "in each month" groups by the month name, within the year asked or each year apart.
  const groupPart: DatePart | undefined = part ?? (grain === 'month' ? 'month' : undefined);
  const grouped = groupPart === 'weekday' ? weekday : groupPart === 'month' ? month : undefined;
  if (groupPart && !grouped) return false;
  if (grain && grain !== 'month' && grain !== 'year') return false;
  if ((grain === 'year' || groupPart) && !measured) return false;
  if (grain === 'year' && !year) return false;
  if (!period && !grain && !part) return false;
  if (period && year) {
    const [first, last] = period.years;
    plan.filters.push(
      first === last
        ? { ref: year, op: '=', value: first }
        : { ref: year, op: 'between', value: [first, last] },
    );
    it.understood.push(
      `${it.tableName(year.table)}.${year.column} ${first === last ? `= ${first}` : `${first}–${last}`}`,
    );
    if (period.month !== undefined && month) {
      const name = MONTH_NAMES[period.month]!;
      const value = name[0]!.toUpperCase() + name.slice(1);
      plan.filters.push({ ref: month, op: '=', value });
      it.understood.push(`${it.tableName(month.table)}.${month.column} = ${value}`);
    }
  }
  // "reviews by month" over several years: each year's months apart, as a trend would be.
  const oneYear = period !== undefined && period.years[0] === period.years[1];
  const perYear = grain === 'year' || (grain === 'month' && !part && !oneYear);
  if (perYear && year && !plan.dimensions.some((d) => sameColumn(d.ref, year)))
    plan.dimensions.unshift({ ref: year, as: year.column });
  if (grouped && groupPart) plan.dimensions.push({ ref: grouped, part: groupPart, as: grouped.column });
  return true;
}

/** Whole years, or one month of one year, of an absolute range. */
function calendarPeriod(range: NonNullable<Interpretation['time']['range']>) {
  if (range.kind !== 'absolute' || !range.from || !range.to) return undefined;
  const from = /^(\d{4})-(\d{2})-01$/.exec(range.from);
  const to = /^(\d{4})-(\d{2})-01$/.exec(range.to);
  if (!from || !to) return undefined;
  const [fy, fm, ty, tm] = [Number(from[1]), Number(from[2]), Number(to[1]), Number(to[2])];
  if (fm === 1 && tm === 1) return { years: [fy, ty - 1] as [number, number] };
  const oneMonth = (ty - fy) * 12 + (tm - fm) === 1;
  return oneMonth ? { years: [fy, fy] as [number, number], month: fm - 1 } : undefined;
}

/** A number column holding a year, on the root or a table it reaches without fan-out. */
function yearColumn(it: Interpretation, root: TableKey): ColumnRef | undefined {
  return reachable(
    it,
    root,
    (c) => c.kind === 'number' && /(^|_)year$|^year/i.test(c.name) && !/years/i.test(c.name),
  );
}

/** A text column whose sampled values are month (weekday) names, or that is called so and holds one. */
function nameColumn(
  it: Interpretation,
  root: TableKey,
  word: string,
  names: string[],
): ColumnRef | undefined {
  const isName = (v: string) => names.includes(v.trim().toLowerCase());
  return reachable(it, root, (c) => {
    if (c.kind !== 'text') return false;
    const samples = c.sampleValues ?? [];
    const named = (
      word === 'month' ? /^(?:\w+_)?month(?:_?name)?$/i : /^(?:\w+_)?(?:week)?day(?:_?name)?$/i
    ).test(c.name);
    // Unsampled (too many spellings to list), the name alone says it for months: a weekday
    // column is too easily a date written out.
    if (!samples.length) return named && word === 'month';
    return samples.every(isName) || (named && samples.some(isName));
  });
}

function reachable(
  it: Interpretation,
  root: TableKey,
  pred: (c: ColumnInfo) => boolean,
): ColumnRef | undefined {
  const candidates = [
    root,
    ...it.schema.tables
      .map((t) => t.key)
      .filter((k) => k !== root && reachableWithoutFanOut(it.schema, root, k)),
  ];
  for (const key of candidates) {
    const c = it.lexicon.table(key).columns.find(pred);
    if (c) return { table: key, column: c.name };
  }
  return undefined;
}
