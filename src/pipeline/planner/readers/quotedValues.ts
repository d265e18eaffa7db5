import type { ColumnRef, TableKey } from '../../../domain/types.ts';
import { identifyingKey } from '../../schema/identity.ts';
import { labelColumn } from '../columnRoles.ts';
import type { Interpretation, QuotedSpan } from '../interpretation.ts';
import type { Mention } from '../mentions.ts';
import { columnReadings, tableReading } from '../readings.ts';

// Values in quotes that no sample holds — names and titles are too many to sample: "the journal
// named "Science"", "users with the name "Sarah Williams"", "a journal with "IEEE" in its name".
// The quotes say where the value ends; the words before say what it is: a column named there,
// else the name (label) of a table named there. Matched ignoring case, anywhere in the text,
// which the headline says ("containing").

export function readQuotedValues(it: Interpretation) {
  for (const span of it.quoted) {
    const inside = it.mentions.filter((m) => m.start >= span.start && m.end <= span.end);
    // A sampled value already read it ("the domain "Machine Learning"").
    if (inside.some((m) => it.used.has(m))) continue;
    const target = targetOf(it, span);
    if (!target) continue;
    for (const m of [...inside, ...target.taken]) it.use(m);
    for (let i = span.start; i < span.end; i++) it.readWords.add(i);
    for (const i of target.words) it.readWords.add(i);
    if (target.exact) {
      const numeric = it.lexicon.column(target.ref)?.kind === 'number';
      if (numeric && !/^-?\d+$/.test(span.text)) continue;
      it.filters.push({ ref: target.ref, op: '=', value: numeric ? Number(span.text) : span.text });
    } else it.filters.push({ ref: target.ref, op: 'like', value: span.text });
    it.understood.push(
      `${it.tableName(target.ref.table)}.${target.ref.column} ${target.exact ? 'is' : 'contains'} "${span.text}"`,
    );
  }
}

interface Target {
  ref: ColumnRef;
  /** Column words read with the value ("the name", "its title"). */
  taken: Mention[];
  /** Positions of the words that only say how it is named ("named", "its name"). */
  words: number[];
  /** A key is matched whole, as written. */
  exact?: boolean;
}

function targetOf(it: Interpretation, span: QuotedSpan): Target | undefined {
  const words: number[] = [];
  // "… with "IEEE Transactions" in its name": the column after, the table before "with".
  const after = it.words.slice(span.end, span.end + 3);
  if (after[0] === 'in' && POSSESSIVES.has(after[1] ?? '') && after[2]) {
    const named = it.mentions.find((m) => m.start === span.end + 2);
    const table = tableBefore(it, span.start);
    const ref = table && columnOf(it, table.table, named);
    if (ref && table) return { ref, taken: named ? [named] : [], words: [span.end, span.end + 1] };
  }
  let i = span.start - 1;
  while (i >= 0 && NAMING_WORDS.has(it.words[i]!)) words.push(i--);
  const before = it.mentions.find((m) => m.end === i + 1 && !it.used.has(m));
  if (!before) return undefined;
  // "the business with ID "abc123"": the key of the table named before "with".
  if (KEY_WORDS.has(before.text)) {
    const owner = tableBefore(it, before.start);
    const key = owner && identifyingKey(it.lexicon.table(owner.table));
    if (owner && key?.length === 1)
      return { ref: { table: owner.table, column: key[0]! }, taken: [before], words, exact: true };
  }
  const column = columnReadings(before).find((r) => it.lexicon.column(r)?.kind === 'text');
  const table = tableReading(before);
  if (column && (!table || before.schema.some((r) => r.kind === 'column' && r.score >= 0.9)))
    return { ref: column, taken: [before], words };
  if (!table) return undefined;
  // The table word stays for the readers after: it may be the rows asked about ("products
  // named …"), and it names a table of the plan either way.
  const ref = columnOf(it, table, undefined);
  return ref ? { ref, taken: [], words } : undefined;
}

/** The table named just before position `at`, over "the", "with", "named" and the like. */
function tableBefore(it: Interpretation, at: number): { table: TableKey; mention: Mention } | undefined {
  let i = at - 1;
  while (i >= 0 && (NAMING_WORDS.has(it.words[i]!) || it.words[i] === 'with')) i--;
  const m = it.mentions.find((x) => x.end === i + 1);
  const table = m && tableReading(m);
  return m && table ? { table, mention: m } : undefined;
}

/** The text column a word names on `table`, else the table's label. */
function columnOf(it: Interpretation, table: TableKey, named: Mention | undefined): ColumnRef | undefined {
  const own = named && columnReadings(named).find((r) => r.table === table);
  if (own) return own;
  const label = labelColumn(it.lexicon.table(table));
  return label?.kind === 'text' ? { table, column: label.name } : undefined;
}

/** Words for a row's key ("ID", "code"), normal form. */
const KEY_WORDS = new Set(['id', 'key', 'code', 'number', 'no']);

/** Words between a thing and its quoted name that only say it is its name (normal form). */
const NAMING_WORDS = new Set(['the', 'a', 'an', 'named', 'called', 'titled', 'entitled', 'is', 'of']);
const POSSESSIVES = new Set(['its', 'their', 'the']);
