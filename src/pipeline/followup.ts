import { measureTable } from '../domain/planParts.ts';
import type {
  Dimension,
  Filter,
  Measure,
  QueryPlan,
  RelativeUnit,
  SchemaInfo,
  TimeRange,
} from '../domain/types.ts';
import { NotUnderstood } from '../errors.ts';
import { readNumbers } from '../language/numbers.ts';
import { tokenize } from '../language/text.ts';
import { readTime } from '../language/timePhrases.ts';
import { chooseMoney, chooseQuantity } from './planner/measureChoice.ts';
import { findMentions, type Mention } from './planner/mentions.ts';
import { dimensionFrom, tableReading } from './planner/readings.ts';
import { countAlias, type SchemaLexicon } from './planner/schemaLexicon.ts';

// Follow-ups in a thread are edits of the last plan, not new guesses: "now by category",
// "only Germany", "exclude cancelled", "and the week before?", "only the top 3", "count instead",
// "why?". Each edit is a pure function plan → plan. ("As a line chart" is read before, by
// splitChartRequest, for fresh questions and follow-ups alike.)

export type FollowUp =
  | { kind: 'plan'; plan: QueryPlan; changes: string[] }
  | { kind: 'explain' }
  | { kind: 'none' };

export interface FollowUpContext {
  schema: SchemaInfo;
  lexicon: SchemaLexicon;
  now?: Date;
  defaultLimit: number;
  maxRows: number;
}

const CUE =
  /^(now|and|also|then|what about|how about|same|ok|okay|but|instead|only|just|exclude|excluding|without|except|break|split|by|per|as an?|show (it|that|them)|make it|compare|vs|versus|for|in|remove|drop|include|plus|with)\b/i;
const EXPLAIN = /^(why\b|show (me )?the (sql|query)|what sql|how did you (get|calculate|work)|explain)/i;
const SHIFT_BACK = /\b(the )?(day|week|month|quarter|year) before\b|\bprevious one\b|\bbefore that\b/i;
const SAME_LAST_YEAR =
  /\b(same|that|it) (for|in) (last|the previous) year\b|\ba year (ago|earlier)\b|\blast year'?s?\b/i;
const SHOW_ALL = /\b(show|see|list) (me )?(the rest|all|everything|more)\b|\bno limit\b/i;
const INSTEAD = /\binstead\b|\brather\b|\bswitch\b/i;
const REMOVE_FILTER =
  /\b(all|any|every) ([a-z_ ]+?)s?\b|\b(remove|drop|clear|without) (the )?([a-z_ ]+?) filters?\b/i;

/** Whether a message in a thread reads as an edit of the previous answer. */
export function looksLikeFollowUp(message: string, lexicon: SchemaLexicon): boolean {
  const text = message.trim();
  if (CUE.test(text) || EXPLAIN.test(text) || SHIFT_BACK.test(text) || SAME_LAST_YEAR.test(text)) return true;
  if (INSTEAD.test(text) || /\b(that|it|those|them)\b/i.test(text)) return true;
  // A short message with no measure of its own ("Germany only", "per month").
  const tokens = tokenize(text);
  if (tokens.length > 5) return false;
  const ms = findMentions(tokens, lexicon);
  return !ms.some((m) => m.money || m.quantity || m.count || m.agg);
}

export function readFollowUp(message: string, last: QueryPlan, ctx: FollowUpContext): FollowUp {
  const text = message.trim();
  if (EXPLAIN.test(text)) return { kind: 'explain' };
  if (last.sql) {
    throw new NotUnderstood(
      "That answer came from custom SQL, so I can't edit it piece by piece. Ask the full question again with the change.",
    );
  }
  const editor = new PlanEditor(structuredClone(last), ctx);
  editor.apply(text);
  if (!editor.changes.length) return { kind: 'none' };
  return { kind: 'plan', plan: editor.plan, changes: editor.changes };
}

class PlanEditor {
  readonly changes: string[] = [];
  private mentions: Mention[] = [];

  constructor(
    readonly plan: QueryPlan,
    private readonly ctx: FollowUpContext,
  ) {}

  /** A count of a table's rows, named by the table ("customers"), as the planner names it. */
  private countAs(table: string): string {
    return countAlias(this.ctx.lexicon.table(table));
  }

  apply(text: string) {
    this.shiftTime(text);
    const time = readTime(text, this.ctx.now);
    const numbers = readNumbers(time.rest);
    this.mentions = findMentions(tokenize(numbers.rest), this.ctx.lexicon);
    if (time.range && !SHIFT_BACK.test(text) && !SAME_LAST_YEAR.test(text)) this.setRange(time.range);
    this.editMeasure(text);
    this.editFilters(text);
    this.editDimensions(text, time.grain);
    this.editLimit(text, numbers.limit);
    this.refitMeasure();
  }

  // ---- time -----------------------------------------------------------------------------

  private setRange(range: ReturnType<typeof readTime>['range']) {
    const column = this.plan.timeRange?.column ?? this.defaultTimeColumn();
    if (!range || !column) return;
    this.plan.timeRange = { ...range, column } as TimeRange;
    this.changes.push('changed the period');
  }

  private defaultTimeColumn() {
    const root = this.plan.measures[0] ? measureTable(this.plan.measures[0].expr) : this.plan.baseTable;
    const t = this.ctx.lexicon.tables.get(root);
    const c = t?.columns.find((x) => x.kind === 'timestamp' || x.kind === 'date');
    return c && t ? { table: t.key, column: c.name } : undefined;
  }

  private shiftTime(text: string) {
    const back = SHIFT_BACK.exec(text);
    const lastYear = SAME_LAST_YEAR.test(text);
    if (!back && !lastYear) return;
    const r = this.plan.timeRange;
    if (!r || r.kind === 'absolute') {
      throw new NotUnderstood(
        'The previous answer has no relative period to move, so I did not change it. Say the period you want, e.g. "for last week".',
      );
    }
    const yearIn: Record<RelativeUnit, number> = { day: 365, week: 52, month: 12, quarter: 4, year: 1 };
    if (r.kind === 'current') {
      const by = lastYear ? yearIn[r.unit] : 1;
      this.plan.timeRange = { column: r.column, kind: 'previous', unit: r.unit, n: 1, offset: by - 1 };
    } else {
      const by = lastYear ? yearIn[r.unit] : r.n;
      this.plan.timeRange = { ...r, offset: (r.offset ?? 0) + by };
    }
    this.changes.push(lastYear ? 'moved the period back a year' : 'moved the period back');
  }

  // ---- measure ------------------------------------------------------------------------------

  private editMeasure(text: string) {
    const m = this.plan.measures[0];
    if (!m) return;
    const agg = this.mentions.find((x) => x.agg && !x.count)?.agg;
    const wantsCount = this.mentions.some((x) => x.count) || /\bcount\b/i.test(text);
    const money = this.mentions.find((x) => x.money);
    const quantity = this.mentions.find((x) => x.quantity);
    if (wantsCount && (INSTEAD.test(text) || !money)) {
      const named = this.mentions.map(tableReading).find(Boolean);
      const table = named ?? measureTable(m.expr);
      this.plan.measures = [{ agg: 'count', expr: { kind: 'rows', table }, as: this.countAs(table) }];
      this.changes.push('counting rows instead');
    } else if (money && (INSTEAD.test(text) || m.concept !== 'money')) {
      this.plan.measures = [
        { ...m, agg: agg ?? 'sum', concept: 'money', as: money.text.replace(/\W+/g, '_') },
      ];
      this.changes.push(`measuring ${money.text}`);
    } else if (quantity && (INSTEAD.test(text) || m.concept !== 'quantity')) {
      this.plan.measures = [{ ...m, agg: agg ?? 'sum', concept: 'quantity', as: 'units_sold' }];
      this.changes.push('measuring units');
    } else if (agg && agg !== m.agg) {
      this.plan.measures = [
        { ...m, agg, as: `${agg}_${m.as.replace(/^(sum|avg|average|min|max|median)_/, '')}` },
      ];
      this.changes.push(`${agg} instead of ${m.agg}`);
    }
  }

  /** A general measure ("sales") moves to the table that reaches every grouping without fan-out. */
  private refitMeasure() {
    const m = this.plan.measures[0];
    if (!m?.concept) return;
    const needed = [...new Set([...this.plan.dimensions, ...this.plan.filters].map((x) => x.ref.table))];
    const quantity = m.concept === 'quantity' ? chooseQuantity(this.ctx.schema, needed) : undefined;
    const expr: Measure['expr'] | undefined =
      m.concept === 'money'
        ? chooseMoney(this.ctx.schema, needed, { agg: m.agg })?.pick.expr
        : quantity && { kind: 'column', ref: quantity };
    if (expr) this.plan.measures = [{ ...m, expr }];
    this.plan.baseTable = measureTable(this.plan.measures[0]!.expr);
  }

  // ---- filters ------------------------------------------------------------------------------

  private editFilters(text: string) {
    const remove = REMOVE_FILTER.exec(text);
    if (remove) {
      const word = (remove[2] ?? remove[5] ?? '').trim();
      const before = this.plan.filters.length;
      this.plan.filters = this.plan.filters.filter(
        (f) => !f.ref.column.toLowerCase().includes(word.replace(/ies$/, 'y').replace(/s$/, '')),
      );
      if (this.plan.filters.length < before) this.changes.push(`removed the ${word} filter`);
    }
    for (let i = 0; i < this.mentions.length; i++) {
      const m = this.mentions[i]!;
      const v = m.schema.find((r) => r.kind === 'value');
      if (v?.kind !== 'value') continue;
      const prev = this.mentions[i - 1];
      const negated =
        Boolean(prev?.negation) ||
        /\b(exclude|excluding|without|except|not|no)\b/i.test(
          text.slice(0, text.toLowerCase().indexOf(m.text)),
        );
      const sameColumn = (f: Filter) => f.ref.table === v.ref.table && f.ref.column === v.ref.column;
      if (negated) {
        this.plan.filters = this.plan.filters.filter(
          (f) => !(sameColumn(f) && !f.none && f.op === '=' && f.value === v.value),
        );
        this.plan.filters.push({ ref: v.ref, op: '<>', value: v.value });
        this.changes.push(`excluding ${v.value}`);
      } else {
        // "only Germany" replaces another country; "and France" widens to both.
        const existing = this.plan.filters.find(
          (f) => sameColumn(f) && !f.none && (f.op === '=' || f.op === 'in'),
        );
        if (existing && /\b(and|also|plus|add)\b/i.test(text)) {
          const values = Array.isArray(existing.value) ? existing.value : [existing.value!];
          existing.op = 'in';
          existing.value = [...new Set([...values, v.value])];
        } else {
          this.plan.filters = this.plan.filters.filter((f) => !sameColumn(f));
          this.plan.filters.push({ ref: v.ref, op: '=', value: v.value });
        }
        this.changes.push(`only ${v.value}`);
      }
      // A grouping by the filtered column would show one row; drop it.
      this.plan.dimensions = this.plan.dimensions.filter(
        (d) => !(d.ref.table === v.ref.table && d.ref.column === v.ref.column) || negated,
      );
    }
  }

  // ---- dimensions ---------------------------------------------------------------------------

  private editDimensions(text: string, grain: Dimension['grain']) {
    const instead = INSTEAD.test(text);
    if (grain) {
      const timeDim = this.plan.dimensions.find((d) => d.grain);
      if (timeDim) {
        timeDim.grain = grain;
        timeDim.as = grain;
      } else {
        const column = this.plan.timeRange?.column ?? this.defaultTimeColumn();
        if (!column) throw new NotUnderstood('I could not find a date column to group that answer by time.');
        this.plan.dimensions.unshift({ ref: column, grain, as: grain });
      }
      this.changes.push(`per ${grain}`);
    }
    for (let i = 0; i < this.mentions.length; i++) {
      const m = this.mentions[i]!;
      if (!m.grouping) continue;
      const target = this.mentions[i + 1];
      if (!target || target.grain) continue;
      const dim = dimensionFrom(target, {
        lexicon: this.ctx.lexicon,
        mentions: this.mentions,
        entityAllowed: true,
      });
      if (!dim) continue;
      const d = dim.dimension;
      if (this.plan.dimensions.some((x) => x.ref.table === d.ref.table && x.ref.column === d.ref.column))
        continue;
      if (instead) {
        const at = this.plan.dimensions.findIndex((x) => !x.grain);
        if (at >= 0) this.plan.dimensions.splice(at, 1);
      }
      if (this.plan.dimensions.length >= 3) {
        throw new NotUnderstood(
          'That would group by more than three things at once; remove one first (say "instead").',
        );
      }
      this.plan.dimensions.push(d);
      // A listing becomes a breakdown: count what was listed.
      if (!this.plan.measures.length) {
        this.plan.measures = [
          {
            agg: 'count',
            expr: { kind: 'rows', table: this.plan.baseTable },
            as: this.countAs(this.plan.baseTable),
          },
        ];
        this.plan.select = undefined;
        this.plan.orderBy = undefined;
      }
      this.changes.push(`by ${d.ref.column}`);
    }
  }

  // ---- ranking ----------------------------------------------------------------------------

  private editLimit(text: string, limit: number | undefined) {
    const m = this.plan.measures[0];
    if (SHOW_ALL.test(text)) {
      this.plan.limit = this.ctx.maxRows;
      this.changes.push('all rows');
      return;
    }
    if (limit === undefined) return;
    this.plan.limit = limit;
    const dir = /\b(bottom|worst|lowest|least|fewest)\b/i.test(text) ? 'asc' : 'desc';
    if (m && this.plan.dimensions.length) this.plan.orderBy = [{ by: m.as, dir }];
    this.changes.push(`${dir === 'asc' ? 'bottom' : 'top'} ${limit}`);
  }
}
