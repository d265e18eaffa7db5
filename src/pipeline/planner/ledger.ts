import { measureTable, planColumns, planTables } from '../../domain/planParts.ts';
import type { QueryPlan } from '../../domain/types.ts';
import { NotUnderstood } from '../../errors.ts';
import { singular } from '../../language/text.ts';
import { COUNTING_SUPERLATIVES, LINKING_WORDS, PARTICIPLE, STOPWORDS } from '../../language/vocabulary.ts';
import { coveredPositions, type Mention } from './mentions.ts';
import { tableReading } from './readings.ts';

// The reading ledger: every meaningful part of a question must show in the plan. A word no
// reader placed, or an operator (a negation, "distinct", a number, a ranking, an aggregate, a
// grain) that the plan does not reflect, is a doubt; a plan with doubts answers a different
// question, so the planner asks back (or hands over to the model) instead.

export interface LedgerInput {
  /** The question's tokens, normal form, after time phrases and numbers were taken out. */
  words: string[];
  mentions: Mention[];
  /** Mentions a reader consumed. */
  used: Set<Mention>;
  plan: QueryPlan;
  /** "top 7", "the 7 newest": the number of rows asked for. */
  limit?: number;
  /** Parts a reader recognised but could not express ("more than 5 orders" per customer). */
  unplaced: Doubt[];
  /** Two periods were named. */
  timeConflict?: boolean;
  /** The words of the names of the tables the plan reads ("payment", "attempt"). */
  tableWords: Set<string>;
  /** Tables the plan's joins pass through: naming one names the way it was joined. */
  pathTables?: string[];
  /** Positions of words a reader consumed that are not mentions ("vs" between two values). */
  readWords?: Set<number>;
  /** The plan lists a table's columns because nothing narrower was asked: naming one of them
   *  ("customers with a discount") is then not yet placed. */
  everyColumnListed?: boolean;
}

export interface Doubt {
  /** The words as written. */
  text: string;
  /** What kind of part it is, for the question back. */
  what:
    | 'word'
    | 'name'
    | 'negation'
    | 'distinct'
    | 'amount'
    | 'grouping'
    | 'ranking'
    | 'aggregate'
    | 'count'
    | 'grain'
    | 'number'
    | 'period'
    | 'threshold'
    | 'new';
  /** For an amount: the rows the words could count, as the schema names them ("payment attempts"). */
  rows?: string;
}

/** A plan was found, but parts of the question are not in it: declined, with those parts, so
 *  the question back can offer readings that place them. */
export class UnplacedParts extends NotUnderstood {
  constructor(
    userMessage: string,
    understood: string[],
    detail: string,
    readonly doubts: Doubt[],
  ) {
    super(userMessage, understood, detail);
  }
}

const isNumberWord = (w: string) => /^\$?\d/.test(w);

/** Aggregates a plan expresses, with rankings standing in for max/min of a listing. */
function expresses(plan: QueryPlan, agg: NonNullable<Mention['agg']>): boolean {
  const aggs = plan.measures.map((m) => m.agg);
  if (agg === 'sum') return aggs.includes('sum') || aggs.includes('count') || aggs.includes('count_distinct');
  if (aggs.includes(agg)) return true;
  const dir = plan.orderBy?.[0]?.dir;
  return (agg === 'max' && dir === 'desc') || (agg === 'min' && dir === 'asc');
}

export function doubtsOf(input: LedgerInput): Doubt[] {
  const { plan, mentions, used } = input;
  const doubts: Doubt[] = [];
  const covered = coveredPositions(mentions);
  input.words.forEach((w, i) => {
    if (covered.has(i) || input.readWords?.has(i) || STOPWORDS.has(w) || LINKING_WORDS.has(w)) return;
    // "references cited by publications": a verb that names nothing, before who did it.
    if (PARTICIPLE.test(w) && input.words[i + 1] === 'by') return;
    // A number no reader took (not a period, a row count, a comparison or a value) changes
    // the question all the same: "cheapest 3 products" is not the cheapest 100.
    if (isNumberWord(w)) doubts.push({ text: w, what: 'number' });
    else if (w.length >= 2) doubts.push({ text: w, what: 'word' });
  });
  const ranked = Boolean(plan.orderBy?.length) || plan.limit === 1;
  const tables = new Set([...planTables(plan), ...(input.pathTables ?? [])]);
  const listed = input.everyColumnListed ? new Set(plan.select ?? []) : new Set();
  const columns = new Set(
    planColumns(plan)
      .filter((c) => !listed.has(c))
      .map((c) => `${c.table}.${c.column}`),
  );
  const measuresMoney = plan.measures.some((x) => x.concept === 'money' || x.expr.kind !== 'rows');
  const measuresQuantity = plan.measures.some((x) => x.concept === 'quantity' || x.expr.kind === 'column');
  const timed = Boolean(plan.timeRange) || plan.dimensions.some((d) => d.grain);
  /** A word that names something the plan is about: "MRR from active subscriptions". */
  const namesPlan = (m: Mention) =>
    m.schema.some((r) =>
      r.kind === 'table'
        ? tables.has(r.table)
        : r.kind === 'column'
          ? columns.has(`${r.ref.table}.${r.ref.column}`)
          : false,
    );
  mentions.forEach((m, i) => {
    if (used.has(m)) {
      // Consumed, but check the operators the plan must show whatever reader took them.
      if (m.superlative && !ranked && !plan.measures.some((x) => x.agg === 'max' || x.agg === 'min'))
        doubts.push({ text: m.text, what: 'ranking' });
      else if (m.agg && !m.count && !expresses(plan, m.agg) && !m.schema.length)
        doubts.push({ text: m.text, what: 'aggregate' });
      return;
    }
    if (m.negation) doubts.push({ text: m.text, what: 'negation' });
    else if (m.distinct) doubts.push({ text: m.text, what: 'distinct' });
    else if (m.superlative) {
      if (!ranked) doubts.push({ text: m.text, what: 'ranking' });
    } else if (m.count) {
      // "average number of seats": the count words name the quantity the aggregate is of.
      const ofAggregate = mentions[i - 1]?.agg !== undefined && mentions[i - 1]?.end === m.start;
      if (!ofAggregate && !plan.measures.some((x) => x.agg === 'count' || x.agg === 'count_distinct'))
        doubts.push({ text: m.text, what: 'count' });
    } else if (m.agg) {
      if (!expresses(plan, m.agg)) doubts.push({ text: m.text, what: 'aggregate' });
    } else if (m.grouping) doubts.push({ text: m.text, what: 'grouping' });
    else if (m.grain) {
      // "… in 2021, and how many did they have that year": the period already read, again.
      const namesPeriodAgain = input.words[m.start - 1] === 'that';
      if (!namesPeriodAgain && !plan.dimensions.some((d) => d.grain === m.grain))
        doubts.push({ text: m.text, what: 'grain' });
    } else if (m.fresh) {
      if (!timed) doubts.push({ text: m.text, what: 'new' });
    } else if (m.schema.length || m.money || m.quantity) {
      const restates =
        namesPlan(m) ||
        m.text.split(' ').every((w) => input.tableWords.has(singular(w))) ||
        (m.money && measuresMoney && !m.schema.length) ||
        (m.quantity && measuresQuantity && !m.schema.length);
      if (!restates) doubts.push({ text: m.text, what: 'name' });
    }
  });
  doubts.push(...rankedElsewhere(plan, mentions));
  doubts.push(...measuresJoined(plan, mentions, input.words));
  doubts.push(...perOwnRow(plan, mentions));
  if (input.limit !== undefined && plan.limit !== input.limit)
    doubts.push({ text: String(input.limit), what: 'number' });
  doubts.push(...input.unplaced);
  if (input.timeConflict) doubts.push({ text: 'two periods', what: 'period' });
  return doubts;
}

/** "top 3 products in each category": the products are what is ranked, so the plan must group
 *  by product; one that groups by category (counting or adding up its products) ranks the
 *  categories instead, a different question. */
function rankedElsewhere(plan: QueryPlan, mentions: Mention[]): Doubt[] {
  const doubts: Doubt[] = [];
  if (!plan.dimensions.length) return doubts;
  for (const [i, m] of mentions.entries()) {
    const word = m.text.split(' ').pop() ?? '';
    if (!m.superlative || COUNTING_SUPERLATIVES.has(word)) continue;
    // What is ranked follows the ranking word, after any measure word ("best selling products").
    let j = i + 1;
    while (mentions[j]?.start === mentions[j - 1]!.end && (mentions[j]!.money || mentions[j]!.quantity)) j++;
    const next = mentions[j];
    if (!next || next.start !== mentions[j - 1]!.end) continue;
    const ranked = tableReading(next);
    if (ranked && !plan.dimensions.some((d) => d.entity && d.ref.table === ranked))
      doubts.push({ text: `${m.text} ${next.text}`, what: 'ranking' });
  }
  return doubts;
}

/** Says a measure: money, a quantity, a count or an aggregate word, or a table counted
 *  ("total orders"). */
function saysMeasure(m: Mention | undefined, before: Mention | undefined): boolean {
  if (!m) return false;
  if (m.money || m.quantity || m.count || (m.agg && !m.schema.length)) return true;
  return Boolean(tableReading(m) && before && before.end === m.start && (before.agg || before.count));
}

/** "total orders and revenue": two measures asked for; a plan with one answers half of it. */
function measuresJoined(plan: QueryPlan, mentions: Mention[], words: string[]): Doubt[] {
  if (plan.measures.length >= 2) return [];
  for (const [i, a] of mentions.entries()) {
    const b = mentions[i + 1];
    if (!b || b.start !== a.end + 1 || words[a.end] !== 'and') continue;
    // "the number of businesses, and how many businesses …" says one count twice.
    const counts = b.count ? tableReading(mentions[i + 2] ?? b) : undefined;
    if (counts && counts === tableReading(a)) continue;
    if (saysMeasure(a, mentions[i - 1]) && saysMeasure(b, a))
      return [{ text: `${a.text} and ${b.text}`, what: 'aggregate' }];
  }
  return [];
}

/** "revenue per order": each order's own revenue, one group a row, or the average order's?
 *  "per" over the rows measured says the second as often as the first. */
function perOwnRow(plan: QueryPlan, mentions: Mention[]): Doubt[] {
  const measured = plan.measures[0] && measureTable(plan.measures[0].expr);
  for (const [i, m] of mentions.entries()) {
    const next = mentions[i + 1];
    if (m.text !== 'per' || !next || next.start !== m.end) continue;
    const t = tableReading(next);
    if (t && t === measured && plan.dimensions.some((d) => d.entity && d.ref.table === t))
      return [{ text: `per ${next.text}`, what: 'grouping' }];
  }
  return [];
}

const WHAT: Record<Doubt['what'], string> = {
  word: '',
  name: '',
  negation: ' (a negation)',
  distinct: ' (distinct values)',
  grouping: ' (a grouping)',
  ranking: ' (a ranking)',
  aggregate: ' (an aggregate)',
  count: ' (a count)',
  amount: ' (how many, or how much?)',
  grain: ' (a time grain)',
  number: '',
  period: '',
  threshold: ' (on each row, or on the total?)',
  new: ' (new ones only)',
};

/** "never" (a negation), "7" — for the sentence that asks back. */
export function describeDoubts(doubts: Doubt[]): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const d of doubts) {
    if (seen.has(d.text)) continue;
    seen.add(d.text);
    parts.push(d.what === 'period' ? 'two different periods' : `"${d.text}"${WHAT[d.what]}`);
  }
  return parts.join(', ');
}
