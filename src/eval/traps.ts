import type { SchemaInfo } from '../domain/types.ts';
import { identifierWords, singular } from '../language/text.ts';
import { entityName } from '../pipeline/schema/identity.ts';

// Trap questions: a question the planner answers, with one part inserted that changes what is
// asked (a negation, a number, a threshold on a total, "distinct", "per", a calendar period).
// A planner that returns the original plan for a trap has read past that part and would post
// the answer to a different question; a different plan or a question back are both honest.

export type TrapKind = 'negation' | 'number' | 'threshold' | 'distinct' | 'per' | 'period';

export interface Trap {
  kind: TrapKind;
  question: string;
}

const AUXILIARY = /\b(is|are|was|were|do|does|did|has|have|had)\b/i;
const COUNTING = /\b(how many|number of)\s+/i;

/** The question with `part` added before its closing punctuation. */
function withEnding(question: string, part: string): string {
  const m = /[?.!]*\s*$/.exec(question);
  const end = m?.[0] ?? '';
  return `${question.slice(0, question.length - end.length)}${part}${end}`;
}

function negation(question: string): string | undefined {
  if (/\b(not|never|no|without|excluding)\b/i.test(question)) return undefined;
  if (AUXILIARY.test(question)) return question.replace(AUXILIARY, (aux) => `${aux} not`);
  if (/\bwith\b/i.test(question)) return question.replace(/\bwith\b/i, 'without');
  return undefined;
}

const words = (text: string) =>
  text
    .toLowerCase()
    .split(/[^a-z0-9_]+/)
    .filter(Boolean);

/** "how many distinct <column>": counting a table's rows by their key is the same count, so
 *  "distinct" is inserted only before a word that names a column and no entity. */
function distinct(question: string, schema: SchemaInfo): string | undefined {
  const m = COUNTING.exec(question);
  if (!m || /\b(distinct|unique|different)\b/i.test(question)) return undefined;
  const counted = singular(words(question.slice(m.index + m[0].length))[0] ?? '');
  const entities = new Set(schema.tables.flatMap((t) => entityName(t).split('_')));
  const columns = new Set(schema.tables.flatMap((t) => t.columns.flatMap((c) => identifierWords(c.name))));
  if (entities.has(counted) || !columns.has(counted)) return undefined;
  return question.replace(COUNTING, (phrase) => `${phrase}distinct `);
}

/** An entity neither the question nor its plan is about, for "… per <entity>". */
function otherEntity(question: string, schema: SchemaInfo, planned: Set<string>): string | undefined {
  const named = new Set(words(question));
  const names = schema.tables
    .filter((t) => t.kind === 'table' && !planned.has(t.key))
    .map((t) => entityName(t).replace(/_/g, ' '))
    .filter((name) => !name.split(' ').some((w) => named.has(w) || named.has(`${w}s`)))
    .sort();
  return names[0];
}

/** The traps one question yields, given the tables its plan reads; a kind that cannot be
 *  inserted naturally is left out. */
export function trapsFor(question: string, schema: SchemaInfo, plannedTables: Iterable<string>): Trap[] {
  const traps: Trap[] = [];
  const add = (kind: TrapKind, q: string | undefined) => {
    if (q && q !== question) traps.push({ kind, question: q });
  };
  add('negation', negation(question));
  if (!/\b\d+\b/.test(question)) add('number', withEnding(question, ', top 7'));
  add('threshold', withEnding(question, ' with a total above 1000'));
  add('distinct', distinct(question, schema));
  const entity = otherEntity(question, schema, new Set(plannedTables));
  if (entity) add('per', withEnding(question, ` per ${entity}`));
  add('period', withEnding(question, ' in the second quarter of 2023'));
  return traps;
}
