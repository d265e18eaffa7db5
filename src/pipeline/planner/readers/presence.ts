import { sameColumn } from '../../../domain/planParts.ts';
import type { ColumnRef } from '../../../domain/types.ts';
import { PARTICIPLE } from '../../../language/vocabulary.ts';
import { type Interpretation, WEAK_COLUMN_MATCH } from '../interpretation.ts';
import type { Mention } from '../mentions.ts';
import { bestScore, columnReadings, tableReading } from '../readings.ts';

// Presence of a value: "customers with an email", "students who have declared a major",
// "students without a minor" — the column is set (IS NOT NULL) or not (IS NULL). A column word
// after "with" or "have" is otherwise left unread, and a listing would show every row.

export function readPresence(it: Interpretation) {
  for (const m of it.mentions) {
    if (it.used.has(m) || m.schema.some((r) => r.kind === 'value')) continue;
    if (bestScore(m, 'column') < bestScore(m, 'table') || weakVerb(m)) continue;
    // A number may be unset or 0 ("flights with stops"), and a yes/no column is a quality.
    const readings = columnReadings(m).filter((r) => SETTABLE_KINDS.has(it.lexicon.column(r)?.kind ?? ''));
    if (!readings.length) continue;
    // "with the title …", "with status shipped": the value that follows is the condition.
    const next = it.next(m);
    if (next && next.start === m.end && next.schema.some((r) => r.kind === 'value')) continue;
    const lead = leadOf(it, m, readings);
    if (!lead) continue;
    const ref = readings[0]!;
    for (const x of lead.taken) it.use(x);
    it.use(m, `${it.tableName(ref.table)}.${ref.column} ${lead.lacking ? 'is not set' : 'is set'}`);
    it.filters.push({ ref, op: lead.lacking ? 'is_null' : 'not_null' });
  }
}

/** The "with" / "have" / "without" before a column word, over articles and over words naming the
 *  same column ("have declared a major" on `declare_major`); with the mentions that say it. */
function leadOf(
  it: Interpretation,
  m: Mention,
  readings: ColumnRef[],
): { lacking: boolean; taken: Mention[] } | undefined {
  const taken: Mention[] = [];
  let i = m.start - 1;
  while (i >= 0) {
    const w = it.words[i]!;
    const at = it.mentions.find((x) => x.start <= i && i < x.end);
    if (!at && (ARTICLES.has(w) || PARTICIPLE.test(w))) i--;
    else if (
      at &&
      at !== m &&
      !it.used.has(at) &&
      (weakVerb(at) || columnReadings(at).some((r) => readings.some((x) => sameColumn(x, r))))
    ) {
      taken.push(at);
      i = at.start - 1;
    } else break;
  }
  const word = it.words[i];
  if (word === undefined) return undefined;
  const negation = it.mentions.find((x) => x.negation && x.end === i && !it.used.has(x));
  if (word === 'without' || (word === 'no' && !it.mentions.some((x) => x.start === i && x.count)))
    return { lacking: true, taken: [...taken, ...it.mentions.filter((x) => x.start === i)] };
  if (!HAVE_WORDS.has(word)) return undefined;
  return negation ? { lacking: true, taken: [...taken, negation] } : { lacking: false, taken };
}

/** "declared" in "have declared a minor": a verb that only looks like a column (`declare_major`). */
function weakVerb(m: Mention): boolean {
  return PARTICIPLE.test(m.text) && bestScore(m, 'column') < WEAK_COLUMN_MATCH && !tableReading(m);
}

/** Kinds of column whose value is either there or not. */
const SETTABLE_KINDS = new Set(['text', 'date', 'timestamp', 'json', 'other']);

/** "with", "have" in normal form ("have" reads as "has"). */
const HAVE_WORDS = new Set(['with', 'has', 'having', 'had']);
const ARTICLES = new Set(['a', 'an', 'any', 'the', 'some']);
