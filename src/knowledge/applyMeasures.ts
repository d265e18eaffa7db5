import { measureTable } from '../domain/planParts.ts';
import type { Filter, Measure, QueryPlan } from '../domain/types.ts';
import { tokenize } from '../language/text.ts';
import { type DefinedMeasure, measureOf } from './definedMeasure.ts';

// A term the data team defined with SQL is that exact measure wherever the word appears: the
// planner's guess for the word is replaced by the team's aggregate and its filters. A pure
// plan → plan edit, applied after planning, so no planner needs to know about it.

export interface MeasuredPlan {
  plan: QueryPlan;
  assumptions: string[];
}

const wordsOf = (text: string) => tokenize(text).map((t) => t.norm);

export function mentionsTerm(question: string, term: string): boolean {
  const words = wordsOf(question);
  const termWords = wordsOf(term);
  return termWords.length > 0 && termWords.every((w) => words.includes(w));
}

/** The measure the word stands for: the one named after it, the only one, or the general
 *  money or quantity word ("sales") the planner read it as. */
function targetIndex(measures: Measure[], term: string): number {
  const named = measures.findIndex((m) => m.as.toLowerCase() === term.replace(/\s+/g, '_'));
  if (named >= 0) return named;
  if (measures.length === 1) return 0;
  return measures.findIndex((m) => m.concept !== undefined);
}

const sameFilter = (a: Filter, b: Filter) =>
  a.ref.table === b.ref.table &&
  a.ref.column === b.ref.column &&
  a.op === b.op &&
  Boolean(a.none) === Boolean(b.none) &&
  JSON.stringify(a.value) === JSON.stringify(b.value);

export function applyDefinedMeasures(
  drafted: MeasuredPlan,
  question: string,
  defined: DefinedMeasure[],
): MeasuredPlan {
  let { plan } = drafted;
  const assumptions = [...drafted.assumptions];
  if (plan.sql) return drafted;
  for (const d of defined) {
    if (!mentionsTerm(question, d.term)) continue;
    const i = targetIndex(plan.measures, d.term);
    if (i < 0) continue;
    const old = plan.measures[i]!;
    const measures = plan.measures.map((m, j) => (j === i ? measureOf(d, old.as, old.derive) : m));
    const filters = [
      ...plan.filters,
      ...d.filters.filter((f) => !plan.filters.some((g) => sameFilter(f, g))),
    ];
    // A lone measure anchors the joins on its own table.
    const baseTable = measures.length === 1 ? measureTable(d.expr) : plan.baseTable;
    plan = { ...plan, baseTable, measures, filters };
    assumptions.push(`"${d.term}" means ${d.means} (the data team's definition): ${d.sql}`);
  }
  return { plan, assumptions };
}
