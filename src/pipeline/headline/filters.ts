import type { Filter, Scalar, TableKey } from '../../domain/types.ts';
import { columnWords, tableNoun } from './nouns.ts';

// Every filter of a plan in words: "customers in Germany", "with status completed or shipped",
// "with total over 500". Nothing is left out, so a filter a follow-up added ("only Germany") is
// in the headline even when the SQL sits behind a button.

/** Columns whose values are places: "in Germany" reads better than "with country Germany". */
const PLACE_COLUMN =
  /(^|_)(country|countries|city|cities|town|state|region|province|county|continent|location|area)$/i;

const COMPARISON_WORDS: Partial<Record<Filter['op'], string>> = {
  '<': 'under',
  '<=': 'at most',
  '>': 'over',
  '>=': 'at least',
};

function valueText(v: Scalar): string {
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}

/** "A", "A or B", "A, B or C". */
function either(values: Scalar[]): string {
  const texts = values.map(valueText);
  if (texts.length <= 1) return texts[0] ?? '';
  return `${texts.slice(0, -1).join(', ')} or ${texts.at(-1)}`;
}

function valuesOf(f: Filter): Scalar[] {
  if (Array.isArray(f.value)) return f.value;
  return f.value === undefined ? [] : [f.value];
}

/** One filter as words that follow its table's noun: "in Germany", "with status completed". */
export function filterWords(f: Filter): string {
  const column = columnWords(f.ref.column);
  const values = valuesOf(f);
  const place = PLACE_COLUMN.test(f.ref.column);
  switch (f.op) {
    case '=':
    case 'in':
      return place ? `in ${either(values)}` : `with ${column} ${either(values)}`;
    case '<>':
    case 'not_in':
      return place ? `outside ${either(values)}` : `with ${column} other than ${either(values)}`;
    case 'between':
      return `with ${column} between ${valueText(values[0]!)} and ${valueText(values[1]!)}`;
    case 'like':
      return `with ${column} containing "${valueText(values[0]!)}"`;
    case 'is_null':
      return `with no ${column}`;
    case 'not_null':
      return `with ${/^[aeiou]/i.test(column) ? 'an' : 'a'} ${column}`;
    default:
      return `with ${column} ${COMPARISON_WORDS[f.op]} ${valueText(values[0]!)}`;
  }
}

/** Phrases joined with "and"; a second "with" is dropped ("with status shipped and total over 5"). */
function joinPhrases(phrases: string[]): string {
  let sawWith = false;
  const parts = phrases.map((p) => {
    const isWith = p.startsWith('with ');
    const text = isWith && sawWith ? p.slice('with '.length) : p;
    sawWith ||= isWith;
    return text;
  });
  return parts.join(' and ');
}

export interface FilterPhrases {
  /** Filters on the rows being counted or listed, as words that follow their noun. */
  own: string;
  /** Filters on related tables, each with its table: "customers in Germany". */
  related: string;
  /** Related rows that must not exist: "no subscriptions with status past_due". */
  absent: string;
}

const NEGATED: Partial<Record<Filter['op'], Filter['op']>> = { '=': '<>', in: 'not_in' };

/** The plan's filters in words, split by whether they restrict the measured table itself. */
export function filterPhrases(filters: Filter[], root: TableKey): FilterPhrases {
  // On the measured rows themselves, "none matches" is "this one does not".
  const own = filters
    .filter((f) => f.ref.table === root)
    .map((f) => filterWords(f.none ? { ...f, op: NEGATED[f.op] ?? f.op } : f));
  const byTable = new Map<TableKey, string[]>();
  const absent: string[] = [];
  for (const f of filters) {
    if (f.ref.table === root) continue;
    if (f.none) absent.push(`no ${tableNoun(f.ref.table)} ${filterWords(f)}`);
    else byTable.set(f.ref.table, [...(byTable.get(f.ref.table) ?? []), filterWords(f)]);
  }
  const related = [...byTable].map(([table, phrases]) => `${tableNoun(table)} ${joinPhrases(phrases)}`);
  return { own: joinPhrases(own), related: related.join(' and '), absent: absent.join(' and ') };
}
