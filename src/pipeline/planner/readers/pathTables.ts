import { measureTable, planTables } from '../../../domain/planParts.ts';
import type { QueryPlan, TableKey } from '../../../domain/types.ts';
import { JoinPaths } from '../../compile/joinGraph.ts';
import type { Interpretation } from '../interpretation.ts';
import { tableReading } from '../readings.ts';

// A table named on the way between the rows asked about and a condition on them: "authors who
// have written publications in the domain X" reach the domain through their publications, not
// through a shorter author–domain link; "flights with a stopover in Dallas" through the stops.
// The joins then pass through it (QueryPlan.via). Read after the plan is assembled, when the
// tables it needs are known.

export function readPathTables(it: Interpretation, plan: QueryPlan) {
  const root = planRoot(plan);
  const paths = new JoinPaths(it.schema);
  const needed = planTables(plan).filter((t) => t !== root);
  const passed = new Set(needed.flatMap((t) => (paths.between(root, t, plan.via) ?? []).map((s) => s.to)));
  for (const m of it.mentions) {
    const table = tableReading(m);
    if (it.used.has(m) || !table || table === root || passed.has(table)) continue;
    // The way must pass it with the tables already passed through as well.
    const via = [...(plan.via ?? []), table];
    const through = needed.filter((t) => paths.between(root, t, via)?.some((s) => s.to === table));
    if (!through.length) continue;
    plan.via = via;
    for (const t of through) for (const s of paths.between(root, t, via) ?? []) passed.add(s.to);
    it.use(m, `through ${it.tableName(table)}`);
  }
}

/** The table the plan's joins start from. */
export function planRoot(plan: QueryPlan): TableKey {
  return plan.measures[0] ? measureTable(plan.measures[0].expr) : plan.baseTable;
}
