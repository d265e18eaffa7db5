import { sameColumn } from '../../domain/planParts.ts';
import type { ColumnRef, Dimension, Filter, Measure, SchemaInfo, TableKey } from '../../domain/types.ts';
import type { Definition, QuestionHints } from '../../language/hints.ts';
import { type Comparison, readNumbers } from '../../language/numbers.ts';
import type { OrderingResult } from '../../language/ordering.ts';
import { identifierWords, tokenize } from '../../language/text.ts';
import { readTime, type TimeReading } from '../../language/timePhrases.ts';
import { ADDITIVE_COLUMN_WORDS } from '../../language/vocabulary.ts';
import { isMoneyColumn, isQuantityColumn, isUnitPrice } from './columnRoles.ts';
import type { OfflineContext } from './draft.ts';
import type { Doubt } from './ledger.ts';
import { findMentions, type Mention } from './mentions.ts';
import { bestScore, columnReadings, type DimensionContext, pickColumn, tableReading } from './readings.ts';
import { countAlias, isCountColumn, SchemaLexicon, tableWords } from './schemaLexicon.ts';

// One question as the offline planner reads it: the phrases found in it (time, numbers, schema
// mentions) and the plan parts the readers (readers/) have placed so far. Each reader takes the
// mentions it places (`use`); what no reader took is what the confidence step (confidence.ts)
// holds against the plan.

/** Column readings below this come from a comment's words, not the column's name. */
export const WEAK_COLUMN_MATCH = 0.6;

/** A value written in quotes, and the token positions it covers. */
export interface QuotedSpan {
  text: string;
  start: number;
  end: number;
}

/** What the measure readers settle on: a measure, or a plain listing of one table's rows. */
export interface MeasurePick {
  measure: Measure | null;
  counted?: TableKey;
  listing?: { table: TableKey; orderBy?: ColumnRef; dir?: 'asc' | 'desc' };
}

export class Interpretation {
  readonly schema: SchemaInfo;
  readonly lexicon: SchemaLexicon;
  readonly preferTables: string[];
  readonly definitions: Definition[];
  readonly time: TimeReading;
  readonly limit: number | undefined;
  /** With where each stands among the tokens, to find the column it is about. */
  readonly comparisons: (Comparison & { tokenAt: number })[];
  /** The question's tokens in normal form. */
  readonly words: string[];
  readonly order: OrderingResult['order'];
  readonly mentions: Mention[];
  /** Mentions a reader has placed in the plan. */
  readonly used = new Set<Mention>();
  readonly understood: string[];
  readonly assumptions: string[] = [];
  readonly dims: Dimension[] = [];
  readonly filters: Filter[] = [];
  readonly dimTables = new Set<TableKey>();
  confidencePenalty = 0;
  /** Recognised phrases no reader could express; each keeps the plan from being answered. */
  readonly unplaced: Doubt[] = [];
  /** The group a "which …" question asks for. */
  askedGroup: Mention | undefined;
  /** The column each comparison is about, when it is named just before it. */
  readonly compared = new Map<Comparison, ColumnRef>();
  /** Their mentions: "total" in "a total above 1000" is the column, not an aggregate word. */
  readonly comparedMentions = new Set<Mention>();
  /** "… per customer" after an average: read as an average over the customers when what is
   *  averaged is a count of their rows; otherwise its doubt stays. */
  perEntity: { table: TableKey; per: Mention; doubt: Doubt } | undefined;
  /** Positions of words read that no mention covers: "vs" between values, "times" after a count. */
  readonly readWords = new Set<number>();
  /** Comparisons read as a threshold on a count per entity. */
  readonly thresholdsRead = new Set<Comparison>();
  /** Columns a listing was asked to show ("the names and emails of …"). */
  readonly projection: ColumnRef[] = [];
  /** The projection is of categories alone ("all product categories"): each value once. */
  distinctProjection = false;
  /** Values in quotes, as written. */
  readonly quoted: QuotedSpan[];

  constructor(
    readonly ctx: OfflineContext,
    hints: QuestionHints,
    ordering: OrderingResult,
  ) {
    this.schema = ctx.schema;
    this.lexicon = ctx.lexicon ?? new SchemaLexicon(ctx.schema);
    this.preferTables = hints.preferTables;
    this.definitions = [...(ctx.definitions ?? []), ...hints.definitions];
    this.order = ordering.order;
    this.time = readTime(ordering.rest, ctx.now);
    const numbers = readNumbers(this.time.rest);
    this.limit = numbers.limit;
    this.comparisons = numbers.comparisons.map((c) => ({
      ...c,
      tokenAt: tokenize(numbers.rest.slice(0, c.at)).length,
    }));
    const tokens = tokenize(numbers.rest);
    this.words = tokens.map((t) => t.norm);
    this.mentions = findMentions(tokens, this.lexicon);
    this.understood = [...this.time.phrases];
    this.quoted = quotedSpans(ordering.rest, this.words);
  }

  use(m: Mention, what?: string) {
    this.used.add(m);
    if (what) this.understood.push(what);
  }

  tableName(key: TableKey): string {
    return this.lexicon.table(key).name;
  }

  dimensionContext(asking: boolean): DimensionContext {
    const measured = this.mentions.some((x) => x.superlative || x.money || x.quantity || x.count || x.agg);
    return {
      lexicon: this.lexicon,
      mentions: this.mentions,
      grain: this.time.grain,
      entityAllowed: !asking || measured,
    };
  }

  /** A word that names a table, better than it names a column of one, and no reader took:
   *  the rows a measure counts or a listing lists. */
  namesEntity(m: Mention): boolean {
    return !this.used.has(m) && Boolean(tableReading(m)) && bestScore(m, 'table') >= bestScore(m, 'column');
  }

  /** The table named right after a comparison's number ("more than 10 orders"): the rows it
   *  counts, if it counts rows. */
  countedAfter(c: Comparison & { tokenAt: number }): Mention | undefined {
    return this.mentions.find((m) => m.start === c.tokenAt && tableReading(m));
  }

  next(m: Mention): Mention | undefined {
    const i = this.mentions.indexOf(m);
    return this.mentions[i + 1];
  }

  prev(m: Mention): Mention | undefined {
    const i = this.mentions.indexOf(m);
    return i > 0 ? this.mentions[i - 1] : undefined;
  }

  /** "the cost of round-trip fares": of the columns a word names, the one more of the
   *  question's other words name too (round_trip_cost); those words are read with it. */
  mostNamed(m: Mention, readings: ColumnRef[]): ColumnRef {
    const naming = (r: ColumnRef) =>
      this.mentions.filter(
        (x) => x !== m && !this.used.has(x) && columnReadings(x).some((y) => sameColumn(y, r)),
      );
    const most = Math.max(...readings.map((r) => naming(r).length));
    const ref = pickColumn(
      readings.filter((r) => naming(r).length === most),
      this.mentions,
    );
    // The other words count only when they name nothing better than this column.
    for (const x of naming(ref)) if (bestScore(x, 'table') < bestScore(x, 'column')) this.use(x);
    return ref;
  }

  /** A table the question names keeps money of its own (employees' salary), unlike customers,
   *  whose money is in their orders. */
  namedTableHasMoney(): boolean {
    return this.mentions.some((m) => {
      const t = tableReading(m);
      const info = t ? this.lexicon.table(t) : undefined;
      return Boolean(info?.columns.some((c) => isMoneyColumn(info, c)));
    });
  }

  /** Amounts and quantities add up across rows; prices, ratings and scores do not. */
  isAdditive(ref: ColumnRef): boolean {
    const t = this.lexicon.table(ref.table);
    const c = this.lexicon.column(ref);
    if (!c) return false;
    return (
      (isMoneyColumn(t, c) && !isUnitPrice(c)) ||
      isQuantityColumn(t, c) ||
      isCountColumn(c) ||
      identifierWords(c.name).some((w) => ADDITIVE_COLUMN_WORDS.has(w))
    );
  }

  isListing(superlative: Mention): boolean {
    return !this.dims.length && Boolean(superlative.superlative);
  }

  listing(table: TableKey, orderRef: ColumnRef, superlative: Mention): MeasurePick {
    this.understood.push(`${this.tableName(table)} ranked by ${orderRef.column}`);
    return { measure: null, listing: { table, orderBy: orderRef, dir: superlative.superlative!.dir } };
  }

  countAlias(table: TableKey): string {
    return countAlias(this.lexicon.table(table));
  }

  aliasWord(text: string): string {
    const w = text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_|_$/g, '');
    return ['spent', 'spend', 'spending', 'paid'].includes(w) ? 'spent' : w || 'value';
  }

  /** A table word right next to a mention ("order value", "value of orders"). */
  tableNear(m: Mention): { table: TableKey; mention: Mention } | undefined {
    for (const x of [this.prev(m), this.next(m)]) {
      if (!x || this.used.has(x)) continue;
      const t = tableReading(x);
      if (t && Math.abs(x.start - m.start) <= 2) return { table: t, mention: x };
    }
    return undefined;
  }

  /** True when rows of `child` each belong to one row of `parent` (a key points up at it). */
  isChildOf(child: TableKey, parent: TableKey): boolean {
    return this.schema.foreignKeys.some((fk) => fk.fromTable === child && fk.toTable === parent);
  }

  /** Tables the answer must reach: groupings, filters and named entities. */
  neededTables(): TableKey[] {
    const out = new Set<TableKey>([...this.dimTables, ...this.filters.map((f) => f.ref.table)]);
    return [...out];
  }

  matchesTable(key: TableKey, name: string): boolean {
    const t = this.lexicon.table(key);
    return t.name.toLowerCase() === name || t.key.toLowerCase() === name || tableWords(t).join(' ') === name;
  }

  entityPlural(): boolean {
    return this.mentions.some((m) => this.used.has(m) && tableReading(m) && m.plural);
  }
}

/** "…", “…” and '…' (not an apostrophe): where each quoted run stands among the words. */
function quotedSpans(text: string, words: string[]): QuotedSpan[] {
  const out: QuotedSpan[] = [];
  for (const m of text.matchAll(
    /["\u201c\u201d]([^"\u201c\u201d]{1,200})["\u201c\u201d]|(?<![\p{L}\p{N}])'([^']{1,200})'(?![\p{L}\p{N}])/gu,
  )) {
    const quoted = (m[1] ?? m[2] ?? '').trim();
    const norms = tokenize(quoted).map((t) => t.norm);
    if (!norms.length) continue;
    const start = words.findIndex((_, i) => norms.every((w, j) => words[i + j] === w));
    if (start >= 0) out.push({ text: quoted, start, end: start + norms.length });
  }
  return out;
}
