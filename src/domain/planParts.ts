import type { ColumnRef, MeasureExpr, QueryPlan, TableKey } from './types.ts';

// What a plan is about, read off the plan alone: for sessions, memory and the reading ledger.

/** The table whose rows a measure aggregates. */
export function measureTable(expr: MeasureExpr): TableKey {
  switch (expr.kind) {
    case 'column':
      return expr.ref.table;
    case 'product':
      return expr.refs[0]!.table;
    case 'rows':
    case 'related':
      return expr.table;
  }
}

/** The tables a plan reads. */
export function planTables(plan: QueryPlan): TableKey[] {
  const t = new Set<TableKey>([plan.baseTable]);
  for (const m of plan.measures) t.add(measureTable(m.expr));
  for (const d of plan.dimensions) t.add(d.ref.table);
  for (const s of plan.select ?? []) t.add(s.table);
  for (const f of [...plan.filters, ...plan.measures.flatMap((m) => m.where ?? [])]) t.add(f.ref.table);
  if (plan.timeRange) t.add(plan.timeRange.column.table);
  for (const c of plan.relatedCounts ?? []) t.add(c.table);
  for (const m of plan.measures) if (m.expr.kind === 'related') t.add(m.expr.rows);
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
  for (const f of [...plan.filters, ...plan.measures.flatMap((m) => m.where ?? [])]) out.push(f.ref);
  if (plan.timeRange) out.push(plan.timeRange.column);
  return out;
}

/** The same column of the same table. */
export function sameColumn(a: ColumnRef, b: ColumnRef): boolean {
  return a.table === b.table && a.column === b.column;
}
