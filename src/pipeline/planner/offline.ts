import pluralize from 'pluralize';
import { NotUnderstood } from '../../errors.ts';
import { countsPerRow, pathTo, reachableWithoutFanOut, shortestPaths } from '../compile/joinGraph.ts';
import { measureTable, planTables } from '../planParts.ts';
import { identifyingKey } from '../schema/identity.ts';
import type {
  ColumnInfo,
  ColumnRef,
  Dimension,
  Filter,
  Having,
  Measure,
  OrderBy,
  QueryPlan,
  RelatedCount,
  SchemaInfo,
  TableInfo,
  TableKey,
  TimeRange,
} from '../types.ts';
import { eventTimeColumn, isMoneyColumn, isQuantityColumn, isUnitPrice, labelColumn } from './columnRoles.ts';
import { type Definition, splitHints } from './hints.ts';
import { type Doubt, describeDoubts, doubtsOf, UnplacedParts } from './ledger.ts';
import { ARRIVED_MONEY, chooseMoney, chooseQuantity, SUCCESS_VALUE } from './measureChoice.ts';
import { coveredPositions, findMentions, type Mention } from './mentions.ts';
import { type Comparison, readNumbers } from './numbers.ts';
import { type OrderReading, readOrdering } from './ordering.ts';
import { orderTarget } from './orderTarget.ts';
import { orderRatio, planRatio, splitRatio } from './ratio.ts';
import {
  bestScore,
  columnReadings,
  type DimensionContext,
  dimensionFrom,
  entityDimension,
  isCategorical,
  numericReadings,
  pickColumn,
  tableReading,
} from './readings.ts';
import { countAlias, isCountColumn, SchemaLexicon, tableWords } from './schemaLexicon.ts';
import { identifierWords, singular, stem, tokenize } from './text.ts';
import { readTime } from './timePhrases.ts';
import {
  ADDITIVE_COLUMN_WORDS,
  COUNTING_SUPERLATIVES,
  LINKING_WORDS,
  PARTICIPLE,
  STOPWORDS,
} from './vocabulary.ts';

// The offline planner: a question in plain words → a QueryPlan, using only the schema (names,
// comments, keys, sampled values) and general English. It scores its own understanding and
// declines with a question back rather than guess: a wrong answer is worse than a question.

export interface OfflineContext {
  schema: SchemaInfo;
  /** Reuse across questions on the same schema; built on demand otherwise. */
  lexicon?: SchemaLexicon;
  now?: Date;
  defaultLimit: number;
  /** Team definitions ("revenue means completed orders only"). */
  definitions?: Definition[];
}

export interface PlanDraft {
  plan: QueryPlan;
  /** 0–1: how much of the question was understood. */
  confidence: number;
  understood: string[];
  assumptions: string[];
}

/** Column readings below this come from a comment's words, not the column's name. */
const WEAK_COLUMN_MATCH = 0.6;

/** Below this the planner asks back instead of answering. */
export const CONFIDENCE_THRESHOLD = 0.6;
const MAX_QUESTION_CHARS = 2000;

interface Linked {
  lexicon: SchemaLexicon;
  mentions: Mention[];
  used: Set<Mention>;
  understood: string[];
  assumptions: string[];
}

export function planOffline(input: string, ctx: OfflineContext): PlanDraft {
  const raw = input.trim();
  if (!raw)
    throw new NotUnderstood(
      'Ask me a question about your data, for example "How many orders did we get last week?"',
    );
  if (raw.length > MAX_QUESTION_CHARS) {
    throw new NotUnderstood(
      `That question is ${raw.length} characters long; please keep it under ${MAX_QUESTION_CHARS}.`,
    );
  }
  if (ctx.schema.tables.length === 0) {
    throw new NotUnderstood('The database has no tables I can read, so there is nothing to answer from yet.');
  }
  const hints = splitHints(raw);
  const ordering = readOrdering(hints.question);
  const ratio = splitRatio(ordering.rest);
  if (ratio)
    return orderRatio(
      planRatio(ratio, (side) => planOffline(side, ctx)),
      ordering.order,
    );
  const lexicon = ctx.lexicon ?? new SchemaLexicon(ctx.schema);
  const time = readTime(ordering.rest, ctx.now);
  const numbers = readNumbers(time.rest);
  const tokens = tokenize(numbers.rest);
  const mentions = findMentions(tokens, lexicon);
  const L: Linked = { lexicon, mentions, used: new Set(), understood: [...time.phrases], assumptions: [] };
  return new Interpretation(
    L,
    ctx,
    hints.preferTables,
    [...(ctx.definitions ?? []), ...hints.definitions],
    time,
    numbers.limit,
    // Where each comparison stands among the tokens, to find the column it is about.
    numbers.comparisons.map((c) => ({ ...c, tokenAt: tokenize(numbers.rest.slice(0, c.at)).length })),
    tokens.map((t) => t.norm),
    ordering.order,
  ).build();
}

class Interpretation {
  private readonly schema: SchemaInfo;
  private readonly dims: Dimension[] = [];
  private readonly filters: Filter[] = [];
  private readonly dimTables = new Set<TableKey>();
  private confidencePenalty = 0;
  /** Recognised phrases no reader could express; each keeps the plan from being answered. */
  private readonly unplaced: Doubt[] = [];
  /** The group a "which …" question asks for. */
  private askedGroup: Mention | undefined;
  /** The column each comparison is about, when it is named just before it. */
  private readonly compared = new Map<Comparison, ColumnRef>();
  /** Their mentions: "total" in "a total above 1000" is the column, not an aggregate word. */
  private readonly comparedMentions = new Set<Mention>();
  /** "… per customer" after an average: read as an average over the customers when what is
   *  averaged is a count of their rows; otherwise its doubt stays. */
  private perEntity: { table: TableKey; per: Mention; doubt: Doubt } | undefined;
  /** Positions of words read that no mention covers: "vs" between values, "times" after a count. */
  readonly readWords = new Set<number>();
  /** Comparisons read as a threshold on a count per entity. */
  private readonly thresholdsRead = new Set<Comparison>();

  constructor(
    private readonly L: Linked,
    private readonly ctx: OfflineContext,
    private readonly preferTables: string[],
    private readonly definitions: Definition[],
    private readonly time: ReturnType<typeof readTime>,
    private readonly limit: number | undefined,
    private readonly comparisons: (Comparison & { tokenAt: number })[],
    private readonly words: string[],
    private readonly order: OrderReading | undefined,
  ) {
    this.schema = ctx.schema;
  }

  private use(m: Mention, what?: string) {
    this.L.used.add(m);
    if (what) this.L.understood.push(what);
  }

  private tableName(key: TableKey): string {
    return this.L.lexicon.table(key).name;
  }

  private dimensionContext(asking: boolean): DimensionContext {
    const measured = this.L.mentions.some((x) => x.superlative || x.money || x.quantity || x.count || x.agg);
    return {
      lexicon: this.L.lexicon,
      mentions: this.L.mentions,
      grain: this.time.grain,
      entityAllowed: !asking || measured,
    };
  }

  private next(m: Mention): Mention | undefined {
    const i = this.L.mentions.indexOf(m);
    return this.L.mentions[i + 1];
  }

  private prev(m: Mention): Mention | undefined {
    const i = this.L.mentions.indexOf(m);
    return i > 0 ? this.L.mentions[i - 1] : undefined;
  }

  build(): PlanDraft {
    this.readDefinitions();
    this.readValueFilters();
    this.readComparedColumns();
    const rankingTarget = this.readGroupings();
    const measure = this.readMeasure(rankingTarget);
    const plan = this.assemble(measure);
    this.applyOrder(plan);
    return this.score(plan);
  }

  // ---- definitions -------------------------------------------------------------------

  private readDefinitions() {
    for (const d of this.definitions) {
      const termWords = tokenize(d.term).map((t) => t.norm);
      const present = termWords.length > 0 && termWords.every((w) => this.words.includes(w));
      if (!present) continue;
      const meaning = tokenize(d.meaning);
      const ms = findMentions(meaning, this.L.lexicon);
      const added: string[] = [];
      for (const m of ms) {
        const v = m.schema.find((x) => x.kind === 'value');
        if (v?.kind === 'value') {
          const negated = this.prev(m)?.negation || ms[ms.indexOf(m) - 1]?.negation;
          this.filters.push({ ref: v.ref, op: negated ? '<>' : '=', value: v.value });
          added.push(`${v.ref.column} ${negated ? '≠' : '='} ${v.value}`);
        }
      }
      if (added.length) {
        this.L.assumptions.push(
          `"${d.term}" means ${d.meaning} (${d.source === 'team' ? "your team's definition" : 'as you said'}): ${added.join(', ')}`,
        );
      }
    }
  }

  // ---- filters from sampled values -----------------------------------------------------

  private readValueFilters() {
    const byColumn = new Map<
      string,
      { ref: ColumnRef; values: string[]; negated: boolean; mentions: Mention[] }
    >();
    for (const m of this.L.mentions) {
      const values = m.schema.filter((x) => x.kind === 'value');
      if (!values.length) continue;
      // A word that names a table or column better than it names a value is not a filter.
      // A word that names a table as well as a value is the table ("subscriptions", not the
      // line type 'subscription'); a column name beats a value that only ties it.
      if (bestScore(m, 'value') <= bestScore(m, 'table') || bestScore(m, 'value') < bestScore(m, 'column'))
        continue;
      if (this.prev(m)?.grouping) continue;
      // "accounts that paid us the most": with nothing else to measure, a money word that is
      // also a status value is the money.
      const otherMeasure = this.L.mentions.some(
        (x) => x !== m && (x.money || x.quantity || x.count || x.agg),
      );
      // "the sales department": a value followed by its own table's name is the value.
      const next = this.next(m);
      const ownTable =
        next?.start === m.end && values.some((x) => x.kind === 'value' && x.ref.table === tableReading(next));
      if (m.money && !otherMeasure && !ownTable) continue;
      const v = this.pickValue(m, values);
      if (v?.kind !== 'value') continue;
      const negated = Boolean(this.prev(m)?.negation || this.prev(this.prev(m) ?? m)?.negation);
      const key = `${v.ref.table}.${v.ref.column}.${negated}`;
      const entry = byColumn.get(key) ?? { ref: v.ref, values: [], negated, mentions: [] };
      if (!entry.values.includes(v.value)) entry.values.push(v.value);
      entry.mentions.push(m);
      byColumn.set(key, entry);
    }
    // A yes/no column named as a quality ("legacy plans", "not archived") is a filter too.
    for (const m of this.L.mentions) {
      if (
        this.L.used.has(m) ||
        m.fresh ||
        this.prev(m)?.grouping ||
        bestScore(m, 'column') < bestScore(m, 'table')
      )
        continue;
      // Named by the column itself, not only mentioned in its comment.
      const ref = m.schema.find(
        (r) => r.kind === 'column' && r.score >= 0.6 && this.L.lexicon.column(r.ref)?.kind === 'boolean',
      );
      if (ref?.kind !== 'column') continue;
      if (!ref) continue;
      const negated = Boolean(this.prev(m)?.negation);
      this.use(m);
      this.filters.push({ ref: ref.ref, op: '=', value: !negated });
      this.L.understood.push(`${this.tableName(ref.ref.table)}.${ref.ref.column} is ${!negated}`);
    }
    for (const e of byColumn.values()) {
      for (const m of e.mentions) this.use(m);
      if (e.negated)
        for (const m of e.mentions) {
          const p = this.prev(m);
          if (p?.negation) this.use(p);
        }
      const value = e.values.length > 1 ? e.values : e.values[0]!;
      if (e.negated && this.negatesRows(e.ref.table, e.mentions)) {
        this.filters.push({ ref: e.ref, op: e.values.length > 1 ? 'in' : '=', value, none: true });
        this.L.understood.push(
          `no ${this.tableName(e.ref.table)} with ${e.ref.column} ${e.values.join(' or ')}`,
        );
        continue;
      }
      const op = e.values.length > 1 ? (e.negated ? 'not_in' : 'in') : e.negated ? '<>' : '=';
      this.filters.push({ ref: e.ref, op, value });
      // "sales in Germany vs France": the values side by side, one row each.
      if (!e.negated && e.values.length > 1 && this.comparesBetween(e.mentions)) {
        this.dims.push({ ref: e.ref, as: e.ref.column });
        this.dimTables.add(e.ref.table);
      }
      this.L.understood.push(
        `${this.tableName(e.ref.table)}.${e.ref.column} ${e.negated ? 'is not' : 'is'} ${e.values.join(' or ')}`,
      );
    }
  }

  /** A word between the values that sets them against each other ("vs", "versus", "compared
   *  to"), which the comparison then consumes. */
  private comparesBetween(values: Mention[]): boolean {
    const [first, ...rest] = [...values].sort((a, b) => a.start - b.start);
    const last = rest.at(-1);
    if (!first || !last) return false;
    const between = this.words.slice(first.end, last.start);
    const at = between.findIndex((w) => COMPARE_WORDS.has(w));
    if (at < 0) return false;
    this.readWords.add(first.end + at);
    return true;
  }

  /** Does a negated value deny the rows themselves? "accounts without a past-due subscription"
   *  (the negation comes before the subscriptions, or they are not named at all) wants accounts
   *  with none; "accounts with a subscription that is not past due" (after them) wants a row
   *  whose value differs. The compiler makes the first a NOT EXISTS where rows are related. */
  private negatesRows(table: TableKey, valueMentions: Mention[]): boolean {
    const negation = valueMentions.map((m) => this.prev(m)).find((p) => p?.negation);
    if (!negation) return false;
    const named = this.L.mentions.find(
      (m) => m !== negation && tableReading(m) === table && !valueMentions.includes(m),
    );
    return !named || named.start > negation.start;
  }

  /** Among columns holding the same value, prefer one whose table is named in the question. */
  private pickValue(m: Mention, values: Mention['schema']) {
    if (values.length === 1) return values[0];
    const named = new Set(
      this.L.mentions.flatMap((x) =>
        x.schema.filter((r) => r.kind === 'table').map((r) => (r.kind === 'table' ? r.table : '')),
      ),
    );
    const around = [this.prev(m), this.next(m)].flatMap((x) => (x ? columnReadings(x) : []));
    const scored = values.map((v) => {
      if (v.kind !== 'value') return { v, s: -1 };
      let s = v.score;
      if (named.has(v.ref.table)) s += 0.5;
      if (around.some((r) => r.table === v.ref.table && r.column === v.ref.column)) s += 1;
      return { v, s };
    });
    scored.sort((a, b) => b.s - a.s);
    if (scored.length > 1 && scored[0]!.s === scored[1]!.s) this.confidencePenalty += 0.15;
    return scored[0]!.v;
  }

  // ---- groupings ----------------------------------------------------------------------

  /** Reads "by X", "per X", "which X"; returns a mention that names what to rank by ("by revenue"). */
  private readGroupings(): Mention | undefined {
    let rankingTarget: Mention | undefined;
    for (const m of this.L.mentions) {
      if (!m.grouping && !m.asking) continue;
      // "each instructor who taught a course": right after a noun, "who" starts a relative
      // clause about it, not a question for a group.
      const before = this.prev(m);
      if (m.asking && before && before.end === m.start && tableReading(before)) continue;
      const target = this.next(m);
      if (!target || this.L.used.has(target)) continue;
      // "received by each author": the grouping word after it carries the grouping.
      if (target.grouping && target.start === m.end && !target.asking) {
        this.use(m);
        continue;
      }
      // "citations received by publications": after a participle, "by" and a table name who did it.
      if (
        m.text === 'by' &&
        PARTICIPLE.test(this.words[m.start - 1] ?? '') &&
        tableReading(target) &&
        bestScore(target, 'table') > bestScore(target, 'column')
      ) {
        this.use(m);
        continue;
      }
      // "by payment method": a money word that qualifies the column after it.
      const qualified = this.next(target);
      if ((target.money || target.quantity) && qualified && !this.L.used.has(qualified)) {
        const col = columnReadings(qualified).find((r) => isCategorical(this.L.lexicon, r));
        if (col) {
          this.use(m);
          this.use(target);
          this.use(qualified);
          this.dims.push({ ref: col, as: col.column });
          this.dimTables.add(col.table);
          this.L.understood.push(`grouped by ${this.tableName(col.table)}.${col.column}`);
          continue;
        }
      }
      // "by revenue" after "top N" ranks rather than groups; so does "by total spent".
      const afterAgg = target.agg ? this.next(target) : undefined;
      const ranked =
        afterAgg && afterAgg.start === target.end && (afterAgg.money || afterAgg.quantity)
          ? afterAgg
          : target;
      if (
        m.grouping &&
        (ranked.money || ranked.quantity || ranked.count) &&
        !ranked.schema.some((r) => r.kind === 'column' && isCategorical(this.L.lexicon, r.ref))
      ) {
        rankingTarget = ranked;
        this.use(m);
        continue;
      }
      if (target.grain && !target.schema.length) {
        this.use(m);
        continue; // "per month": read as a time grain
      }
      const dim = dimensionFrom(target, this.dimensionContext(m.asking === true));
      if (!dim) continue;
      // "average orders per customer", "average quantity per order": one average over the
      // customers or orders (of their counts or totals), not an average inside each of them.
      const averaged = this.L.mentions.some((x) => x.agg === 'avg');
      if (m.text === 'per' && dim.dimension.entity && averaged) {
        this.use(m);
        this.use(target);
        const doubt: Doubt = { text: `${m.text} ${target.text}`, what: 'grouping' };
        this.unplaced.push(doubt);
        this.perEntity = { table: dim.dimension.ref.table, per: m, doubt };
        continue;
      }
      this.use(m);
      if (this.dims.some((d) => sameColumn(d.ref, dim.dimension.ref) && d.grain === dim.dimension.grain)) {
        for (const used of dim.mentions) this.use(used);
        continue; // "… by neighbourhood, … in each neighbourhood": one grouping
      }
      if (m.asking) this.askedGroup = target;
      this.dims.push(dim.dimension);
      this.dimTables.add(dim.dimension.ref.table);
      for (const used of dim.mentions) this.use(used);
      this.L.understood.push(
        `grouped by ${this.tableName(dim.dimension.ref.table)}.${dim.dimension.ref.column}`,
      );
    }
    this.readRankedGroup(rankingTarget);
    return rankingTarget;
  }

  /** "top 10 products by revenue", "best selling products": the ranked things are the groups. */
  private readRankedGroup(rankingTarget: Mention | undefined) {
    if (this.dims.length) return;
    const ms = this.L.mentions;
    const s = ms.find((m) => m.superlative && !m.superlative.attribute);
    const measured =
      rankingTarget ?? ms.find((m) => m.money || m.quantity || (m.count && m.start > (s?.end ?? 0)));
    if (!s || !measured) return;
    const target = ms.find(
      (m) =>
        m.start > s.start &&
        !this.L.used.has(m) &&
        !m.money &&
        !m.quantity &&
        m.schema.some((r) => r.kind !== 'value'),
    );
    if (!target) return;
    const dim = dimensionFrom(target, this.dimensionContext(false));
    if (!dim) return;
    this.dims.push(dim.dimension);
    this.dimTables.add(dim.dimension.ref.table);
    for (const used of dim.mentions) this.use(used);
    this.L.understood.push(`ranked ${this.tableName(dim.dimension.ref.table)}`);
  }

  // ---- the measure ----------------------------------------------------------------------

  /** "average number of items per order", "orders per customer on average": how many rows
   *  each order (customer) has, averaged over all of them, those with none as 0. Only counts
   *  of rows: an average of money per customer ("average order value per customer") stays asked. */
  private readPerEntityAverage(): MeasurePick | undefined {
    const per = this.perEntity;
    const ms = this.L.mentions;
    if (!per || ms.some((m) => m.money || m.quantity)) return undefined;
    const rows = ms.find(
      (m) =>
        !this.L.used.has(m) && m.start < per.per.start && tableReading(m) && tableReading(m) !== per.table,
    );
    const table = rows && tableReading(rows);
    if (!table || !countsPerRow(this.schema, per.table, table)) return undefined;
    for (const m of ms) if (m.agg === 'avg' || (m.count && m.start < rows.start)) this.use(m);
    this.use(rows, `average ${rows.text} per ${this.tableName(per.table)}`);
    this.unplaced.splice(this.unplaced.indexOf(per.doubt), 1);
    this.L.assumptions.push(
      `every ${pluralize.singular(this.tableName(per.table))} counted, those with no ${rows.text} as 0`,
    );
    const as = `${this.countAlias(table)}_per_${tableWords(this.L.lexicon.table(per.table)).join('_')}`;
    return { measure: { agg: 'avg', expr: { kind: 'related', table: per.table, rows: table }, as } };
  }

  private readMeasure(rankingTarget: Mention | undefined): MeasurePick {
    const perEntity = this.readPerEntityAverage();
    if (perEntity) return perEntity;
    const ms = this.L.mentions;
    const aggMention = ms.find((m) => m.agg && !m.count && !this.comparedMentions.has(m));
    const agg = aggMention?.agg;
    const countMention = ms.find((m) => m.count);
    const superlative = ms.find((m) => m.superlative);
    const moneyWord = rankingTarget?.money ? rankingTarget : ms.find((m) => m.money && !this.L.used.has(m));
    // "How many payments": a money word that names a table is counted when the question counts.
    const countsTable =
      countMention && moneyWord && tableReading(moneyWord) && moneyWord.start > countMention.start;
    const moneyMention = countsTable ? undefined : moneyWord;
    const quantityMention = rankingTarget?.quantity
      ? rankingTarget
      : ms.find((m) => m.quantity && !this.L.used.has(m));
    if (superlative) this.use(superlative);
    if (aggMention) this.use(aggMention);

    // Entity tables named and not used as a grouping.
    const entityMentions = ms.filter(
      (m) => !this.L.used.has(m) && tableReading(m) && bestScore(m, 'table') >= bestScore(m, 'column'),
    );

    // 1. An explicit numeric column with an aggregate ("average price", "total quantity").
    const numericMention = ms.find(
      (m) =>
        !this.L.used.has(m) &&
        !m.money &&
        // "units" found only in a comment ("unit price paid") is the quantity word, not that column.
        !(m.quantity && bestScore(m, 'column') < WEAK_COLUMN_MATCH) &&
        bestScore(m, 'column') >= bestScore(m, 'table') &&
        columnReadings(m).some((r) => this.L.lexicon.column(r)?.kind === 'number'),
    );
    // "the total number of citations" on `citation_num`: the column already holds the count.
    const countColumn =
      numericMention && /^(?:total\s+)?(?:number|count|no)\s+of\b/.test(numericMention.text);
    if (numericMention && (agg || superlative || countColumn) && !(countMention && !agg)) {
      const ref = this.mostNamed(numericMention, numericReadings(numericMention, this.L.lexicon));
      this.use(numericMention, `${agg ?? 'ranked by'} ${this.tableName(ref.table)}.${ref.column}`);
      const table = this.tableNear(numericMention);
      if (table && table.table === ref.table) this.use(table.mention);
      // "average rating of businesses" when ratings live on reviews: over every review, or
      // over each business's own average? The two differ, so neither is guessed.
      if (table && table.table !== ref.table && agg === 'avg' && this.isChildOf(ref.table, table.table))
        this.unplaced.push({ text: `${numericMention.text} of ${table.mention.text}`, what: 'aggregate' });
      if (superlative && !agg && this.isListing(superlative))
        return this.listing(ref.table, ref, superlative);
      // "highest priced item in each category": a price or a rating is not added up per group;
      // the highest one in each, or the group with the highest, is not said.
      const counting = COUNTING_SUPERLATIVES.has(superlative?.text.split(' ').pop() ?? '');
      if (superlative && !agg && !counting && !this.isAdditive(ref))
        this.unplaced.push({ text: `${superlative.text} ${numericMention.text}`, what: 'aggregate' });
      return {
        measure: { agg: agg ?? 'sum', expr: { kind: 'column', ref }, as: `${agg ?? 'total'}_${ref.column}` },
      };
    }

    // 2. Counting: "how many orders", "number of customers", "order count".
    if (countMention && !moneyMention) {
      this.use(countMention);
      const distinct = ms.find((m) => m.distinct);
      if (distinct) this.use(distinct);
      // "the number of distinct countries our customers are from": the column named first
      // after "distinct", whatever table follows, is what is counted.
      const distinctColumn =
        distinct &&
        ms.find(
          (m) =>
            m.start >= distinct.end && !this.L.used.has(m) && !tableReading(m) && columnReadings(m).length,
        );
      if (distinctColumn && distinctColumn.start === distinct.end) {
        const ref = pickColumn(columnReadings(distinctColumn), ms);
        this.use(distinctColumn, `count of distinct ${ref.column}`);
        const owner = ms.find((m) => tableReading(m) === ref.table && !this.L.used.has(m));
        if (owner) this.use(owner);
        return { measure: { agg: 'count_distinct', expr: { kind: 'column', ref }, as: distinctAlias(ref) } };
      }
      const target = entityMentions.find((m) => m.start > countMention.start) ?? entityMentions[0];
      if (target) {
        const table = tableReading(target)!;
        // "how many distinct countries": a column counted by its distinct values.
        const col = columnReadings(target).find(
          (r) => r.table !== table || bestScore(target, 'column') > bestScore(target, 'table'),
        );
        this.use(target, `count of ${this.tableName(table)}`);
        if (col && distinct)
          return {
            measure: { agg: 'count_distinct', expr: { kind: 'column', ref: col }, as: distinctAlias(col) },
          };
        // "distinct meals" of a table whose rows have no key may repeat a meal: not read.
        if (distinct && !identifyingKey(this.L.lexicon.table(table)).length)
          this.unplaced.push({ text: distinct.text, what: 'distinct' });
        // A table that keeps its own count ("checkin.count"): its rows, or the sum of that?
        // "The total number of check-ins" says the sum.
        const own = this.L.lexicon
          .table(table)
          .columns.find((c) => c.kind === 'number' && COUNT_COLUMN.test(c.name));
        const saysTotal =
          /\btotal\b/.test(countMention.text) || this.words[countMention.start - 1] === 'total';
        if (own && saysTotal && !distinct) {
          const ref = { table, column: own.name };
          this.L.assumptions.push(`${target.text} = sum of ${this.tableName(table)}.${own.name}`);
          return {
            measure: { agg: 'sum', expr: { kind: 'column', ref }, as: `total_${this.countAlias(table)}` },
          };
        }
        if (own) this.unplaced.push({ text: countMention.text, what: 'amount' });
        return {
          measure: { agg: 'count', expr: { kind: 'rows', table }, as: this.countAlias(table) },
          counted: table,
        };
      }
      const colTarget = ms.find(
        (m) => m.start > countMention.start && !this.L.used.has(m) && columnReadings(m).length,
      );
      if (colTarget) {
        const ref = columnReadings(colTarget)[0]!;
        // "how many citations" of `citation_num`: the column is the count, added up.
        const column = this.L.lexicon.column(ref);
        // "how many hours", "how many units": an amount, added up.
        if (column && (isCountColumn(column) || (column.kind === 'number' && this.isAdditive(ref)))) {
          this.use(colTarget, `total ${ref.column}`);
          return { measure: { agg: 'sum', expr: { kind: 'column', ref }, as: `total_${ref.column}` } };
        }
        // "how many ratings": the rows that have one, or the different values? Not said.
        if (column?.kind === 'number')
          this.unplaced.push({ text: `${countMention.text} ${colTarget.text}`, what: 'amount' });
        this.use(colTarget, `count of distinct ${ref.column}`);
        return { measure: { agg: 'count_distinct', expr: { kind: 'column', ref }, as: ref.column } };
      }
      const filtered = this.filters[0];
      if (filtered)
        return {
          measure: {
            agg: 'count',
            expr: { kind: 'rows', table: filtered.ref.table },
            as: this.countAlias(filtered.ref.table),
          },
          counted: filtered.ref.table,
        };
      throw new NotUnderstood(
        'What should I count? Name the things, for example "how many orders" or "number of customers".',
        this.L.understood,
      );
    }

    // 3. Money: "sales", "revenue", "spent".
    if (moneyMention) {
      this.use(moneyMention);
      // "money sitting in open invoices": the nearest table, else the one table named.
      const named = entityMentions.length === 1 ? entityMentions[0] : undefined;
      const near =
        this.tableNear(moneyMention) ?? (named ? { table: tableReading(named)!, mention: named } : undefined);
      const choice = chooseMoney(this.schema, this.neededTables(), {
        near: near?.table,
        agg,
        preferred: (t) => this.preferTables.some((p) => this.matchesTable(t, p)),
        word: singular(moneyMention.text.split(' ').pop() ?? ''),
        arrived: this.arrivedMoneyWord() !== undefined,
      });
      if (!choice) {
        throw new NotUnderstood(
          'I could not find a money column (like a total, amount or price) in this database.',
          this.L.understood,
        );
      }
      if (choice.tied) this.confidencePenalty += 0.2;
      const pick = choice.pick;
      this.readArrivedMoney(pick.table);
      // "failed payments": the money word is the table's own name, so it may count the rows as
      // well as add up their amounts; nothing else in the question says which.
      const ownName = tableWords(this.L.lexicon.table(pick.table)).includes(
        singular(moneyMention.text.split(' ').pop() ?? ''),
      );
      if (ownName && !agg && !this.L.mentions.some((m) => m !== moneyMention && (m.money || m.count)))
        this.unplaced.push({
          text: moneyMention.text,
          what: 'amount',
          rows: pluralize.plural(tableWords(this.L.lexicon.table(pick.table)).join(' ')),
        });
      if (near && near.table === pick.table) this.use(near.mention);
      this.L.assumptions.push(
        `${moneyMention.text} = ${agg ?? 'sum'} of ${pick.label}${this.statusNote(pick.table)}`,
      );
      // "the 3 highest paid employees": the money is each employee's own (salary), so they are
      // listed by it, not grouped by themselves and added up.
      const ranked = this.dims.length === 1 && this.dims[0]!.entity ? this.dims[0]! : undefined;
      if (superlative && !agg && ranked?.ref.table === pick.table && pick.expr.kind === 'column') {
        this.dims.length = 0;
        this.dimTables.clear();
        return this.listing(pick.table, pick.expr.ref, superlative);
      }
      this.L.understood.push(`${agg ?? 'total'} ${moneyMention.text}`);
      const word =
        near && near.table === pick.table
          ? `${tableWords(this.L.lexicon.table(near.table)).join('_')}_${this.aliasWord(moneyMention.text)}`
          : this.aliasWord(moneyMention.text);
      const as = agg === 'avg' ? `average_${word}` : word;
      return { measure: { agg: agg ?? 'sum', expr: pick.expr, as, concept: 'money' }, counted: undefined };
    }

    // 4. Quantities: "units sold", "top selling".
    if (quantityMention) {
      this.use(quantityMention);
      for (const m of ms) if (m.quantity && !this.L.used.has(m)) this.use(m);
      const ref = chooseQuantity(this.schema, this.neededTables());
      if (ref) {
        this.L.assumptions.push(
          `${quantityMention.text} = ${agg ?? 'sum'} of ${this.tableName(ref.table)}.${ref.column}`,
        );
        this.L.understood.push(`units (${ref.column})`);
        return {
          measure: {
            agg: agg ?? 'sum',
            expr: { kind: 'column', ref },
            as: 'units_sold',
            concept: 'quantity',
          },
        };
      }
    }

    // 4b. An amount asked of a table: "total invoiced last quarter", "how much did we invoice".
    const amountOf = entityMentions[0];
    if (agg && amountOf && !superlative) {
      const table = tableReading(amountOf)!;
      const choice = chooseMoney(this.schema, this.neededTables(), { agg, preferred: (t) => t === table });
      if (choice && choice.pick.table === table) {
        this.use(amountOf, `${agg} of ${choice.pick.label}`);
        this.L.assumptions.push(`${amountOf.text} = ${agg} of ${choice.pick.label}`);
        return {
          measure: {
            agg,
            expr: choice.pick.expr,
            as: `${agg === 'avg' ? 'average' : 'total'}_${this.aliasWord(amountOf.text)}`,
            concept: 'money',
          },
        };
      }
    }

    // 5. "The most expensive product", "largest order": a listing ranked by an attribute.
    if (superlative && entityMentions.length && this.dims.length === 0) {
      const table = tableReading(entityMentions[0]!)!;
      if (!superlative.superlative?.attribute) {
        throw new NotUnderstood(
          `${superlative.text[0]!.toUpperCase()}${superlative.text.slice(1)} ${this.tableName(table)} by what? For example by revenue, by units sold or by number of orders.`,
          this.L.understood,
        );
      }
      this.use(entityMentions[0]!);
      const ref = this.attributeColumn(table, superlative);
      if (ref) return this.listing(table, ref, superlative);
    }

    // 6. "Customers by country", "which city has the most business customers": count the entity.
    const counted = entityMentions[0];
    if (counted && (this.dims.length || superlative || countMention || this.time.grain)) {
      const table = tableReading(counted)!;
      this.use(counted, `count of ${this.tableName(table)}`);
      return {
        measure: { agg: 'count', expr: { kind: 'rows', table }, as: this.countAlias(table) },
        counted: table,
      };
    }

    // 6b. Events named by their time column ("signups" ↔ a column commented "signup time",
    // "cancellations" ↔ cancelled_at): count the rows of that table.
    // The word may also have been read as a value ("cancellations" → status 'cancelled').
    const isTime = (r: ColumnRef) => ['timestamp', 'date'].includes(this.L.lexicon.column(r)?.kind ?? '');
    const event = ms.find((m) =>
      columnReadings(m).some(
        (r) => isTime(r) && !this.dims.some((d) => d.ref.column === r.column && d.ref.table === r.table),
      ),
    );
    if (!counted && event && (this.time.range || this.time.grain || countMention)) {
      const ref = columnReadings(event).find(isTime)!;
      this.use(event);
      this.L.understood.push(`count of ${this.tableName(ref.table)} by ${ref.column}`);
      return {
        measure: { agg: 'count', expr: { kind: 'rows', table: ref.table }, as: this.aliasWord(event.text) },
        counted: ref.table,
      };
    }

    // 7. "Show customers in Germany": a plain listing.
    if (counted) {
      const table = tableReading(counted)!;
      this.use(counted, `list of ${this.tableName(table)}`);
      return { measure: null, listing: { table } };
    }
    throw new NotUnderstood(
      'I could not tell what to measure. Try naming a table or an amount, e.g. "total sales last month" or "number of customers by country".',
      this.L.understood,
    );
  }

  /** "Payments collected", "money received": money that arrived, so only the rows whose
   *  outcome says it did (a sampled success value), unless the question filtered that column. */
  private readArrivedMoney(table: TableKey) {
    const word = this.arrivedMoneyWord();
    if (!word) return;
    const t = this.L.lexicon.table(table);
    for (const c of t.columns) {
      const success = c.sampleValues?.find((v) => SUCCESS_VALUE.test(v));
      if (!success || this.filters.some((f) => f.ref.table === table && f.ref.column === c.name)) continue;
      this.filters.push({ ref: { table, column: c.name }, op: '=', value: success });
      this.L.assumptions.push(`${word.text} = only ${t.name} whose ${c.name} is ${success}`);
      return;
    }
  }

  private arrivedMoneyWord(): Mention | undefined {
    return this.L.mentions.find((m) => m.money && ARRIVED_MONEY.has(stem(m.text)));
  }

  /** "the cost of round-trip fares": of the columns a word names, the one more of the
   *  question's other words name too (round_trip_cost); those words are read with it. */
  private mostNamed(m: Mention, readings: ColumnRef[]): ColumnRef {
    const naming = (r: ColumnRef) =>
      this.L.mentions.filter(
        (x) => x !== m && !this.L.used.has(x) && columnReadings(x).some((y) => sameColumn(y, r)),
      );
    const most = Math.max(...readings.map((r) => naming(r).length));
    const ref = pickColumn(
      readings.filter((r) => naming(r).length === most),
      this.L.mentions,
    );
    // The other words count only when they name nothing better than this column.
    for (const x of naming(ref)) if (bestScore(x, 'table') < bestScore(x, 'column')) this.use(x);
    return ref;
  }

  /** A table the question names keeps money of its own (employees' salary), unlike customers,
   *  whose money is in their orders. */
  private namedTableHasMoney(): boolean {
    return this.L.mentions.some((m) => {
      const t = tableReading(m);
      const info = t ? this.L.lexicon.table(t) : undefined;
      return Boolean(info?.columns.some((c) => isMoneyColumn(info, c)));
    });
  }

  /** Amounts and quantities add up across rows; prices, ratings and scores do not. */
  private isAdditive(ref: ColumnRef): boolean {
    const t = this.L.lexicon.table(ref.table);
    const c = this.L.lexicon.column(ref);
    if (!c) return false;
    return (
      (isMoneyColumn(t, c) && !isUnitPrice(c)) ||
      isQuantityColumn(t, c) ||
      isCountColumn(c) ||
      identifierWords(c.name).some((w) => ADDITIVE_COLUMN_WORDS.has(w))
    );
  }

  private isListing(superlative: Mention): boolean {
    return !this.dims.length && Boolean(superlative.superlative);
  }

  private listing(table: TableKey, orderRef: ColumnRef, superlative: Mention): MeasurePick {
    this.L.understood.push(`${this.tableName(table)} ranked by ${orderRef.column}`);
    return { measure: null, listing: { table, orderBy: orderRef, dir: superlative.superlative!.dir } };
  }

  private countAlias(table: TableKey): string {
    return countAlias(this.L.lexicon.table(table));
  }

  private aliasWord(text: string): string {
    const w = text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_|_$/g, '');
    return ['spent', 'spend', 'spending', 'paid'].includes(w) ? 'spent' : w || 'value';
  }

  /** A table word right next to a mention ("order value", "value of orders"). */
  private tableNear(m: Mention): { table: TableKey; mention: Mention } | undefined {
    for (const x of [this.prev(m), this.next(m)]) {
      if (!x || this.L.used.has(x)) continue;
      const t = tableReading(x);
      if (t && Math.abs(x.start - m.start) <= 2) return { table: t, mention: x };
    }
    return undefined;
  }

  /** True when rows of `child` each belong to one row of `parent` (a key points up at it). */
  private isChildOf(child: TableKey, parent: TableKey): boolean {
    return this.schema.foreignKeys.some((fk) => fk.fromTable === child && fk.toTable === parent);
  }

  /** Tables the answer must reach: groupings, filters and named entities. */
  private neededTables(): TableKey[] {
    const out = new Set<TableKey>([...this.dimTables, ...this.filters.map((f) => f.ref.table)]);
    return [...out];
  }

  private attributeColumn(table: TableKey, superlative: Mention): ColumnRef | undefined {
    const t = this.L.lexicon.table(table);
    const kind = superlative.superlative?.attribute;
    const pick = (pred: (c: ColumnInfo) => boolean) => t.columns.find(pred);
    let c: ColumnInfo | undefined;
    if (kind === 'time') c = eventTimeColumn(t);
    else if (kind === 'price')
      c =
        pick((x) => isMoneyColumn(t, x) && /price|cost|fee|rate/.test(x.name.toLowerCase())) ??
        pick((x) => isMoneyColumn(t, x));
    else c = pick((x) => isMoneyColumn(t, x)) ?? pick((x) => isQuantityColumn(t, x));
    return c ? { table, column: c.name } : undefined;
  }

  private statusNote(table: TableKey): string {
    const t = this.L.lexicon.table(table);
    const hasStatusFilter = this.filters.some((f) => /status|state/.test(f.ref.column));
    const statusCol = this.schema.tables
      .filter((x) => x.key === table || reachableWithoutFanOut(this.schema, table, x.key))
      .flatMap((x) => x.columns.filter((c) => /status|state/.test(c.name) && c.sampleValues?.length))[0];
    return statusCol && !hasStatusFilter ? `, all ${statusCol.name} values` : t ? '' : '';
  }

  private matchesTable(key: TableKey, name: string): boolean {
    const t = this.L.lexicon.table(key);
    return t.name.toLowerCase() === name || t.key.toLowerCase() === name || tableWords(t).join(' ') === name;
  }

  // ---- assembling the plan ----------------------------------------------------------------

  private assemble(picked: MeasurePick): QueryPlan {
    const threshold = this.readCountThreshold(picked);
    const pick = threshold?.pick ?? picked;
    const absent = threshold ? undefined : this.readAbsence(pick);
    const root = pick.measure ? measureTable(pick.measure.expr) : pick.listing!.table;
    const plan: QueryPlan = {
      baseTable: root,
      measures: pick.measure ? [pick.measure] : [],
      dimensions: [...this.dims],
      filters: [...this.filters],
      ...(threshold?.having ? { having: [threshold.having] } : {}),
      ...(threshold?.relatedCount ? { relatedCounts: [threshold.relatedCount] } : {}),
      ...(absent ? { relatedCounts: [absent] } : {}),
    };
    this.applyComparisons(plan, root);

    const timeCol = this.time.range || this.time.grain ? this.timeColumn(root, pick.counted) : undefined;
    if (!timeCol && this.readYearColumn(plan, root, Boolean(pick.measure))) return this.finish(plan, pick);
    if (this.time.range && timeCol) {
      plan.timeRange = { ...this.time.range, column: timeCol } as TimeRange;
    }
    if (this.time.grain && timeCol && pick.measure && !plan.dimensions.some((d) => d.grain)) {
      plan.dimensions.unshift({ ref: timeCol, grain: this.time.grain, as: this.time.grain });
    }
    if ((this.time.range || this.time.grain) && !timeCol) {
      throw new NotUnderstood(
        `I could not find a date or time column for ${this.tableName(root)} to apply that period to.`,
        this.L.understood,
      );
    }
    if (timeCol) this.L.assumptions.push(`time = ${this.tableName(timeCol.table)}.${timeCol.column}`);
    return this.finish(plan, pick);
  }

  /** Whole years on a table that keeps only a year number (`paper.year`): "in 2020", "per year". */
  private readYearColumn(plan: QueryPlan, root: TableKey, measured: boolean): boolean {
    const range = this.time.range;
    const years =
      range?.kind === 'absolute' && range.from && range.to
        ? /^(\d{4})-01-01$/.exec(range.from) && /^(\d{4})-01-01$/.exec(range.to)
          ? [Number(range.from.slice(0, 4)), Number(range.to.slice(0, 4)) - 1]
          : undefined
        : undefined;
    const wantsGrain = this.time.grain === 'year' && measured;
    if ((range && !years) || (this.time.grain && !wantsGrain)) return false;
    const ref = this.yearColumn(root);
    if (!ref) return false;
    if (years) {
      const [first, last] = years as [number, number];
      plan.filters.push(
        first === last ? { ref, op: '=', value: first } : { ref, op: 'between', value: [first, last] },
      );
      this.L.understood.push(
        `${this.tableName(ref.table)}.${ref.column} ${first === last ? `= ${first}` : `${first}–${last}`}`,
      );
    }
    if (wantsGrain && !plan.dimensions.some((d) => d.ref.column === ref.column && d.ref.table === ref.table))
      plan.dimensions.unshift({ ref, as: ref.column });
    return true;
  }

  /** A number column holding a year, on the root or a table it reaches without fan-out. */
  private yearColumn(root: TableKey): ColumnRef | undefined {
    const isYear = (c: ColumnInfo) =>
      c.kind === 'number' && /(^|_)year$|^year/i.test(c.name) && !/years/i.test(c.name);
    const candidates = [
      root,
      ...this.schema.tables
        .map((t) => t.key)
        .filter((k) => k !== root && reachableWithoutFanOut(this.schema, root, k)),
    ];
    for (const key of candidates) {
      const c = this.L.lexicon.table(key).columns.find(isYear);
      if (c) return { table: key, column: c.name };
    }
    return undefined;
  }

  /** "share of revenue by category": each group's part of the total, beside its value. */
  private readShare(plan: QueryPlan) {
    const [measure, ...others] = plan.measures;
    if (!measure || others.length || !plan.dimensions.length || plan.ratio) return;
    if (measure.agg !== 'sum' && measure.agg !== 'count') return;
    const covered = coveredPositions(this.L.mentions);
    const at = this.words.findIndex((w, i) => SHARE_WORDS.has(w) && !covered.has(i));
    if (at < 0) return;
    measure.derive = 'share';
    this.readWords.add(at);
    this.L.understood.push(`${measure.as} as a share of the total`);
  }

  private finish(plan: QueryPlan, pick: MeasurePick): QueryPlan {
    this.readShare(plan);
    // Two groupings named alike ("instructor name", "course name") get their table's word.
    for (const d of plan.dimensions) {
      if (plan.dimensions.filter((x) => x.as === d.as).length > 1 && !d.grain)
        d.as = `${tableWords(this.L.lexicon.table(d.ref.table)).join('_')}_${d.ref.column}`;
    }
    const superlative = this.L.mentions.find((m) => m.superlative);
    if (pick.listing) {
      const t = this.L.lexicon.table(pick.listing.table);
      const label = labelColumn(t);
      const select: ColumnRef[] = [];
      if (pick.listing.orderBy) {
        if (label) select.push({ table: t.key, column: label.name });
        if (!select.some((s) => s.column === pick.listing!.orderBy!.column))
          select.push(pick.listing.orderBy);
        // A row without a name is shown with when it happened ("order 1042, on 3 May").
        const when = eventTimeColumn(t);
        if (
          label &&
          t.primaryKey.includes(label.name) &&
          when &&
          !select.some((s) => s.column === when.name)
        ) {
          select.push({ table: t.key, column: when.name });
        }
        plan.orderBy = [{ by: pick.listing.orderBy.column, dir: pick.listing.dir ?? 'desc' }];
        plan.limit =
          this.limit ??
          (superlative && !superlative.plural && !this.entityPlural() ? 1 : this.ctx.defaultLimit);
      } else {
        for (const c of t.columns.slice(0, 8)) select.push({ table: t.key, column: c.name });
        plan.limit = this.limit ?? this.ctx.defaultLimit;
      }
      plan.select = select;
      return plan;
    }

    const m = plan.measures[0]!;
    if (superlative || this.limit !== undefined) {
      const dir = superlative?.superlative?.dir ?? 'desc';
      if (plan.dimensions.length) {
        plan.orderBy = [{ by: m.as, dir }] as OrderBy[];
        // "Which city has the most …" asks for one; "which cities …" or "top products" for a list.
        const one = this.askedGroup !== undefined && !this.askedGroup.plural && superlative !== undefined;
        plan.limit = this.limit ?? (one ? 1 : this.ctx.defaultLimit);
      }
    }
    return plan;
  }

  /** "ordered by the number of papers, descending": the order the question asks for, on what
   *  the plan shows; a ranking ("top 3") already fixed in another order cannot also be re-sorted. */
  private applyOrder(plan: QueryPlan) {
    const o = this.order;
    if (!o) return;
    const target = orderTarget(plan, o, this.L.lexicon);
    const current = plan.orderBy?.[0];
    const ranked = this.limit !== undefined || this.L.mentions.some((m) => m.superlative);
    const differs = current && target && (current.by !== target.order.by || current.dir !== target.order.dir);
    if (!target || (ranked && differs)) {
      this.unplaced.push({ text: o.text, what: 'ranking' });
      return;
    }
    if (target.show) plan.select = [...(plan.select ?? []), target.show];
    plan.orderBy = [target.order];
    this.L.understood.push(
      `ordered by ${target.order.by} ${target.order.dir === 'asc' ? 'ascending' : 'descending'}`,
    );
  }

  private entityPlural(): boolean {
    return this.L.mentions.some((m) => this.L.used.has(m) && tableReading(m) && m.plural);
  }

  /** "orders with a total above 1000": the numeric column named just before a comparison is
   *  what it compares, so no measure reader takes it for the thing to add up. */
  private readComparedColumns() {
    for (const c of this.comparisons) {
      const m = this.L.mentions.findLast((x) => x.end <= c.tokenAt);
      const between = m ? this.words.slice(m.end, c.tokenAt) : [];
      if (!m || between.some((w) => !STOPWORDS.has(w) && !LINKING_WORDS.has(w))) continue;
      const numeric = numericReadings(m, this.L.lexicon);
      // "employees earning more than 100000": the money word is what is compared, so it is
      // not also the measure; the compared column is the rows' own money.
      if (!numeric.length && m.money && !m.schema.length && this.namedTableHasMoney()) {
        this.comparedMentions.add(m);
        this.use(m);
        continue;
      }
      if (!numeric.length) continue;
      this.compared.set(c, pickColumn(numeric, this.L.mentions));
      this.comparedMentions.add(m);
      this.use(m);
    }
  }

  /** "customers with more than 10 orders": a threshold on how many related rows each entity
   *  has. A list of the entities over it shows their counts: grouped, counted, kept by HAVING.
   *  Otherwise ("how many customers have more than 10 orders", "customers with fewer than 3
   *  orders", which must keep customers with none) each entity's rows are counted on their own.
   *  A period would have to apply inside that count, which the plan cannot say: not read. */
  private readCountThreshold(
    pick: MeasurePick,
  ): { pick: MeasurePick; having?: Having; relatedCount?: RelatedCount } | undefined {
    if (this.dims.length || this.comparisons.length !== 1) return undefined;
    const c = this.comparisons[0]!;
    // The things counted are named right after the number ("more than 10 orders"), or by the
    // verb before it ("ordered more than 20 times").
    const times = /^times?\b/i.test(c.after);
    const counted = this.L.mentions.find((m) =>
      times ? m.end === c.tokenAt && tableReading(m) : m.start === c.tokenAt && tableReading(m),
    );
    const table = counted && tableReading(counted);
    const listed = pick.listing && !pick.listing.orderBy ? pick.listing.table : undefined;
    const root = countedRoot(pick);
    if (!counted || !table || !root || table === root) return undefined;
    if (!countsPerRow(this.schema, root, table)) return undefined;
    const low = Array.isArray(c.value) ? c.value[0] : c.value;
    const excludesNone =
      c.op === '>' ? low >= 0 : (c.op === '>=' || c.op === '=' || c.op === 'between') && low >= 1;
    const dim = entityDimension(this.L.lexicon, root);
    const grouped = listed && excludesNone && dim && reachableWithoutFanOut(this.schema, table, root);
    if (!grouped && (this.time.range || this.time.grain)) return undefined;
    this.use(counted, `${this.tableName(root)} with ${c.text.trim()} ${counted.text}`);
    if (times) {
      // "times" may read as a column's word too ("time the order was placed"): it is the count's.
      const word = this.L.mentions.find((m) => m.start === c.tokenAt);
      if (word) this.use(word);
      else this.readWords.add(c.tokenAt);
    }
    this.thresholdsRead.add(c);
    if (!grouped || !dim) return { pick, relatedCount: { table, op: c.op, value: c.value } };
    this.dims.push(dim);
    this.dimTables.add(root);
    const as = this.countAlias(table);
    return {
      pick: { measure: { agg: 'count', expr: { kind: 'rows', table }, as }, counted: table },
      having: { measure: as, op: c.op, value: c.value },
    };
  }

  /** "customers who never ordered", "products without reviews": entities none of whose related
   *  rows exist, their count 0. A period ("not since March") would belong inside: not read. */
  private readAbsence(pick: MeasurePick): RelatedCount | undefined {
    const root = countedRoot(pick);
    if (!root || this.dims.length) return undefined;
    const ms = this.L.mentions;
    // A verb between is only a way of saying it ("not placed any orders"), even where a
    // column's comment uses it ("the customer who placed the order").
    const passing = (x: Mention) =>
      LINKING_WORDS.has(x.text) && !x.schema.some((r) => r.score >= WEAK_COLUMN_MATCH);
    for (const [i, negation] of ms.entries()) {
      let j = i + 1;
      while (ms[j] && passing(ms[j]!)) j++;
      const related = ms[j];
      if (!negation.negation || !related || this.L.used.has(negation) || this.L.used.has(related)) continue;
      const verbs = ms.slice(i + 1, j);
      const between = this.words.slice(negation.end, related.start);
      if (between.some((w) => !STOPWORDS.has(w) && !LINKING_WORDS.has(w))) continue;
      const table = tableReading(related);
      if (!table || table === root || related.schema.some((r) => r.kind === 'value')) continue;
      if (!countsPerRow(this.schema, root, table)) continue;
      if (this.time.range || this.time.grain) return undefined;
      for (const x of [negation, ...verbs]) this.use(x);
      this.use(related, `${this.tableName(root)} with no ${related.text}`);
      return { table, op: '=', value: 0 };
    }
    return undefined;
  }

  private applyComparisons(plan: QueryPlan, root: TableKey) {
    for (const c of this.comparisons) {
      if (this.thresholdsRead.has(c)) continue;
      // The column named just before the phrase, else the first numeric column named, else the
      // root's money.
      const named =
        this.compared.get(c) ??
        this.L.mentions
          .flatMap((m) => columnReadings(m))
          .find((r) => this.L.lexicon.column(r)?.kind === 'number');
      const t = this.L.lexicon.table(root);
      const afterWords = tokenize(c.after).map((x) => x.norm);
      const countsOther = this.schema.tables.find(
        (x) => afterWords.includes(tableWords(x)[tableWords(x).length - 1]!) && x.key !== root,
      );
      if (countsOther) {
        this.unplaced.push({ text: c.text.trim(), what: 'number' }); // "customers with more than 5 orders" needs a nested count
        continue;
      }
      const ref =
        named ??
        (() => {
          const col =
            t.columns.find((x) => isMoneyColumn(t, x)) ?? t.columns.find((x) => isQuantityColumn(t, x));
          return col ? { table: t.key, column: col.name } : undefined;
        })();
      if (!ref) {
        this.unplaced.push({ text: c.text.trim(), what: 'number' });
        continue;
      }
      // "customers who spent over 5000": on each order, or on each customer's total? Said
      // ("in total", "add up to"), it is the total; unsaid, it is asked.
      const summed = plan.dimensions.length
        ? plan.measures.find((x) => x.agg === 'sum' && measureReads(x, ref))
        : undefined;
      if (summed) {
        if (!TOTAL_WORDS.test(` ${this.words.join(' ')} `)) {
          this.unplaced.push({ text: c.text.trim(), what: 'threshold' });
          continue;
        }
        plan.having = [...(plan.having ?? []), { measure: summed.as, op: c.op, value: c.value }];
        this.L.understood.push(`${summed.as} in total ${c.text.trim()}`);
        continue;
      }
      const op = c.op === 'between' ? 'between' : c.op;
      plan.filters.push({ ref, op, value: Array.isArray(c.value) ? c.value : c.value });
      this.L.understood.push(`${ref.column} ${c.text.trim()}`);
    }
  }

  /** The column that places rows in time for this question. */
  private timeColumn(root: TableKey, counted: TableKey | undefined): ColumnRef | undefined {
    const lex = this.L.lexicon;
    // A time column named in the question ("by signup date").
    for (const m of this.L.mentions) {
      const r = columnReadings(m).find((x) => {
        const k = lex.column(x)?.kind;
        return k === 'timestamp' || k === 'date';
      });
      if (r && !this.dims.some((d) => d.ref.column === r.column && d.ref.table === r.table)) {
        this.use(m);
        // "invoices not paid last month": by the payment date, nothing unpaid has one.
        const negation = this.prev(m);
        if (negation?.negation && negation.end === m.start)
          this.unplaced.push({ text: `${negation.text} ${m.text}`, what: 'negation' });
        return r;
      }
    }
    const fresh = this.L.mentions.find((m) => m.fresh);
    if (fresh) this.use(fresh);
    // An event of the counted entity named in the question ("customers who ordered last week").
    if (counted && !fresh) {
      const tree = shortestPaths(this.schema, root);
      for (const m of this.L.mentions) {
        const t = tableReading(m);
        if (!t || t === root) continue;
        const path = pathTo(tree, root, t);
        if (!path?.some((s) => s.direction === 'down')) continue;
        const c = eventTimeColumn(lex.table(t));
        if (c) {
          this.use(m);
          return { table: t, column: c.name };
        }
      }
    }
    const own = eventTimeColumn(lex.table(root));
    if (own) return { table: root, column: own.name };
    // The nearest referenced table with an event time; busier tables (more rows) record events.
    const tree = shortestPaths(this.schema, root);
    let best: { ref: ColumnRef; hops: number; rows: number } | undefined;
    for (const t of this.schema.tables) {
      const path = pathTo(tree, root, t.key);
      if (!path || path.some((s) => s.direction === 'down')) continue;
      const c = eventTimeColumn(t);
      if (!c) continue;
      const cand = {
        ref: { table: t.key, column: c.name },
        hops: path.length,
        rows: t.rowEstimate + (hasOutgoingKeys(this.schema, t) ? 1 : 0),
      };
      if (!best || cand.hops < best.hops || (cand.hops === best.hops && cand.rows > best.rows)) best = cand;
    }
    return best?.ref;
  }

  // ---- confidence ---------------------------------------------------------------------------

  /** The tables the compiled joins pass through: "reviews for businesses in the category Cafe"
   *  names the businesses that link reviews to categories. */
  private pathTables(plan: QueryPlan): TableKey[] {
    const root = plan.measures[0] ? measureTable(plan.measures[0].expr) : plan.baseTable;
    const tree = shortestPaths(this.schema, root);
    return planTables(plan).flatMap((t) => (pathTo(tree, root, t) ?? []).map((step) => step.from));
  }

  private score(plan: QueryPlan): PlanDraft {
    const doubts = doubtsOf({
      words: this.words,
      mentions: this.L.mentions,
      used: this.L.used,
      plan,
      limit: this.limit,
      unplaced: this.unplaced,
      timeConflict: this.time.conflict,
      tableWords: new Set(planTables(plan).flatMap((t) => tableWords(this.L.lexicon.table(t)))),
      readWords: this.readWords,
      pathTables: this.pathTables(plan),
    });
    const confidence = Math.max(0, 1 - this.confidencePenalty);
    if (doubts.length || confidence < CONFIDENCE_THRESHOLD) {
      const what = this.L.understood.length ? ` I understood: ${this.L.understood.join('; ')}.` : '';
      throw new UnplacedParts(
        `I'm not sure what you mean by ${describeDoubts(doubts) || 'that'}.${what} Could you rephrase with the names used in your data?`,
        this.L.understood,
        `confidence ${confidence.toFixed(2)}, ${doubts.length} unplaced`,
        doubts,
      );
    }
    return { plan, confidence, understood: this.L.understood, assumptions: this.L.assumptions };
  }
}

/** Words that ask for each group's part of the whole (normal form). */
const SHARE_WORDS = new Set(['share', 'percentage', 'percent', 'proportion', 'breakdown']);

/** Words that set two values against each other (normal form). */
const COMPARE_WORDS = new Set(['vs', 'versus', 'against', 'compared']);

/** Words that put a threshold on a total rather than on each row (normal-form words). */
const TOTAL_WORDS = / (?:in total|altogether|combined|in all|overall|lifetime|add up to|a total of) /;

/** The table whose rows a plain list or a count of rows is of: where a condition on how many
 *  related rows each has applies. */
function countedRoot(pick: MeasurePick): TableKey | undefined {
  if (pick.listing) return pick.listing.orderBy ? undefined : pick.listing.table;
  const m = pick.measure;
  return m?.agg === 'count' && m.expr.kind === 'rows' ? m.expr.table : undefined;
}

/** A count of a column's distinct values, named by them in the plural ("countries"). */
function distinctAlias(ref: ColumnRef): string {
  return pluralize.plural(ref.column);
}

/** The measure adds up this column (alone or in a product: price × quantity). */
function measureReads(m: Measure, ref: ColumnRef): boolean {
  if (m.expr.kind === 'column') return sameColumn(m.expr.ref, ref);
  return m.expr.kind === 'product' && m.expr.refs.some((r) => sameColumn(r, ref));
}

/** A column that holds a count of its own: `count`, `cnt`, `num`. */
const COUNT_COLUMN = /^(?:count|cnt|num|number)$/i;

function sameColumn(a: ColumnRef, b: ColumnRef): boolean {
  return a.table === b.table && a.column === b.column;
}

interface MeasurePick {
  measure: Measure | null;
  counted?: TableKey;
  listing?: { table: TableKey; orderBy?: ColumnRef; dir?: 'asc' | 'desc' };
}

function hasOutgoingKeys(schema: SchemaInfo, t: TableInfo): boolean {
  return schema.foreignKeys.some((fk) => fk.fromTable === t.key);
}
