import { measureTable, sameColumn } from '../../domain/planParts.ts';
import type { ColumnRef, DatePart, OrderBy, QueryPlan, TimeRange } from '../../domain/types.ts';
import { NotUnderstood } from '../../errors.ts';
import { eventTimeColumn, labelColumn } from './columnRoles.ts';
import type { Interpretation, MeasurePick } from './interpretation.ts';
import { coveredPositions } from './mentions.ts';
import { orderTarget } from './orderTarget.ts';
import { readCalendarColumns } from './readers/calendarColumns.ts';
import { applyComparisons } from './readers/comparisons.ts';
import { readAbsence, readCountThreshold } from './readers/relatedCounts.ts';
import { timeColumn } from './readers/time.ts';
import { tableWords } from './schemaLexicon.ts';

// Assembling the plan from what the readers placed: the measure, groupings, filters, related
// counts, the period, shares, and the order and limit a ranking or a listing asks for.

export function assemble(it: Interpretation, picked: MeasurePick): QueryPlan {
  const threshold = readCountThreshold(it, picked);
  const pick = threshold?.pick ?? picked;
  const absent = threshold ? undefined : readAbsence(it, pick);
  const root = pick.measure ? measureTable(pick.measure.expr) : pick.listing!.table;
  const plan: QueryPlan = {
    baseTable: root,
    measures: pick.measure ? [pick.measure] : [],
    dimensions: [...it.dims],
    filters: [...it.filters],
    ...(threshold?.having ? { having: [threshold.having] } : {}),
    ...(threshold?.relatedCount ? { relatedCounts: [threshold.relatedCount] } : {}),
    ...(absent ? { relatedCounts: [absent] } : {}),
  };
  applyComparisons(it, plan, root);

  const { range, grain, part } = it.time;
  const timeCol = range || grain || part ? timeColumn(it, root, pick.counted) : undefined;
  if (!timeCol && readCalendarColumns(it, plan, root, Boolean(pick.measure))) return finish(it, plan, pick);
  if (range && timeCol) {
    plan.timeRange = { ...range, column: timeCol } as TimeRange;
  }
  if (grain && timeCol && pick.measure && !plan.dimensions.some((d) => d.grain)) {
    plan.dimensions.unshift({ ref: timeCol, grain, as: grain });
  }
  if (part && timeCol && pick.measure) plan.dimensions.push({ ref: timeCol, part, as: PART_ALIAS[part] });
  if ((range || grain || part) && !timeCol) {
    throw new NotUnderstood(
      `I could not find a date or time column for ${it.tableName(root)} to apply that period to.`,
      it.understood,
    );
  }
  if (timeCol) it.assumptions.push(`time = ${it.tableName(timeCol.table)}.${timeCol.column}`);
  return finish(it, plan, pick);
}

function finish(it: Interpretation, plan: QueryPlan, pick: MeasurePick): QueryPlan {
  readShare(it, plan);
  // Two groupings named alike ("instructor name", "course name") get their table's word.
  for (const d of plan.dimensions) {
    if (plan.dimensions.filter((x) => x.as === d.as).length > 1 && !d.grain)
      d.as = `${tableWords(it.lexicon.table(d.ref.table)).join('_')}_${d.ref.column}`;
  }
  const superlative = it.mentions.find((m) => m.superlative);
  if (pick.listing) {
    const t = it.lexicon.table(pick.listing.table);
    const label = labelColumn(t);
    const select: ColumnRef[] = [];
    if (pick.listing.orderBy) {
      if (label) select.push({ table: t.key, column: label.name });
      if (!select.some((s) => s.column === pick.listing!.orderBy!.column)) select.push(pick.listing.orderBy);
      // A row without a name is shown with when it happened ("order 1042, on 3 May").
      const when = eventTimeColumn(t);
      const asked = it.projection.length > 0;
      if (
        !asked &&
        label &&
        t.primaryKey.includes(label.name) &&
        when &&
        !select.some((s) => s.column === when.name)
      ) {
        select.push({ table: t.key, column: when.name });
      }
      plan.orderBy = [{ by: pick.listing.orderBy.column, dir: pick.listing.dir ?? 'desc' }];
      plan.limit =
        it.limit ?? (superlative && !superlative.plural && !it.entityPlural() ? 1 : it.ctx.defaultLimit);
    } else if (it.projection.length) {
      // Each row by its label beside the columns asked for, so a person can tell rows apart;
      // categories alone are listed as their values, each once.
      if (it.distinctProjection) plan.distinct = true;
      else if (label && !it.projection.some((r) => r.table === t.key && r.column === label.name))
        select.push({ table: t.key, column: label.name });
    } else {
      for (const c of t.columns.slice(0, 8)) select.push({ table: t.key, column: c.name });
    }
    for (const r of it.projection) if (!select.some((s) => sameColumn(s, r))) select.push(r);
    if (!pick.listing.orderBy) plan.limit = it.limit ?? it.ctx.defaultLimit;
    plan.select = select;
    return plan;
  }

  const m = plan.measures[0]!;
  if (superlative || it.limit !== undefined) {
    const dir = superlative?.superlative?.dir ?? 'desc';
    if (plan.dimensions.length) {
      plan.orderBy = [{ by: m.as, dir }] as OrderBy[];
      // "Which city has the most …" asks for one; "which cities …" or "top products" for a list.
      const one = it.askedGroup !== undefined && !it.askedGroup.plural && superlative !== undefined;
      plan.limit = it.limit ?? (one ? 1 : it.ctx.defaultLimit);
    }
  }
  return plan;
}

/** "share of revenue by category": each group's part of the total, beside its value. */
function readShare(it: Interpretation, plan: QueryPlan) {
  const [measure, ...others] = plan.measures;
  if (!measure || others.length || !plan.dimensions.length || plan.ratio) return;
  if (measure.agg !== 'sum' && measure.agg !== 'count') return;
  const covered = coveredPositions(it.mentions);
  const at = it.words.findIndex((w, i) => SHARE_WORDS.has(w) && !covered.has(i));
  if (at < 0) return;
  // "… out of all flights for each airline": a part of each group, not each group's part of
  // the whole; not read, so the share word stays unplaced.
  if (OWN_WHOLE.test(` ${it.words.join(' ')} `)) return;
  measure.derive = 'share';
  it.readWords.add(at);
  it.understood.push(`${measure.as} as a share of the total`);
}

/** "ordered by the number of papers, descending": the order the question asks for, on what
 *  the plan shows; a ranking ("top 3") already fixed in another order cannot also be re-sorted. */
export function applyOrder(it: Interpretation, plan: QueryPlan) {
  const o = it.order;
  if (!o) return;
  const target = orderTarget(plan, o, it.lexicon);
  const current = plan.orderBy?.[0];
  const ranked = it.limit !== undefined || it.mentions.some((m) => m.superlative);
  const differs = current && target && (current.by !== target.order.by || current.dir !== target.order.dir);
  if (!target || (ranked && differs)) {
    it.unplaced.push({ text: o.text, what: 'ranking' });
    return;
  }
  if (target.show) plan.select = [...(plan.select ?? []), target.show];
  plan.orderBy = [target.order];
  it.understood.push(
    `ordered by ${target.order.by} ${target.order.dir === 'asc' ? 'ascending' : 'descending'}`,
  );
}

/** What a calendar place of a time column is called in the answer. */
const PART_ALIAS: Record<DatePart, string> = { weekday: 'day_of_week', hour: 'hour_of_day', month: 'month' };

/** Words that name a whole of its own for a share (normal form). */
const OWN_WHOLE = / (?:out of|of all|among all) /;

/** Words that ask for each group's part of the whole (normal form). */
const SHARE_WORDS = new Set(['share', 'percentage', 'percent', 'proportion', 'breakdown']);
