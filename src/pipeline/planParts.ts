import { measureTable } from './compile.ts';
import type { ColumnRef, QueryPlan, TableKey } from './types.ts';

// What a plan is about, read off the plan alone: for sessions, memory and the reading ledger.

/** The tables a plan reads. */
export function planTables(plan: QueryPlan): TableKey[] {
  const t = new Set<TableKey>([plan.baseTable]);
  for (const m of plan.measures) t.add(measureTable(m.expr));
  for (const d of plan.dimensions) t.add(d.ref.table);
  for (const s of plan.select ?? []) t.add(s.table);
  for (const f of plan.filters) t.add(f.ref.table);
  if (plan.timeRange) t.add(plan.timeRange.column.table);
  return [...t];
}

/** The columns a plan reads. */
export function planColumns(plan: QueryPlan): ColumnRef[] {
  const out: ColumnRef[] = [];
  for (const m of plan.measures) {
    if (m.expr.kind === 'column') out.push(m.expr.ref);
    if (m.expr.kind === 'product') out.push(...m.expr.refs);
  }
  for (const d of plan.dimensions) out.push(d.ref);
  out.push(...(plan.select ?? []));
  for (const f of plan.filters) out.push(f.ref);
  if (plan.timeRange) out.push(plan.timeRange.column);
  return out;
}
