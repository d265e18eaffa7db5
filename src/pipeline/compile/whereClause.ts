import type { TableKey } from '../../domain/types.ts';
import { correlated, filterSql, noneCondition, relatedCountCondition } from './conditions.ts';
import type { JoinStep } from './joinGraph.ts';
import type { JoinPlacement } from './joinPlacement.ts';
import type { LowerContext } from './lowerContext.ts';
import type { Condition, Sql } from './selectTree.ts';
import { timeConditions } from './timeSql.ts';

// Where each row condition goes: a condition on a table only reached inside an EXISTS goes
// into that EXISTS, so testing a child row never repeats the parent; the rest stay in the
// main WHERE.

/** The main WHERE: conditions on joined tables, then one EXISTS per filtering down-path. */
export function whereConditions(ctx: LowerContext, placement: JoinPlacement): Condition[] {
  const { plan } = ctx;
  const where: Condition[] = [];
  const existsWhere = new Map<JoinStep, Sql[]>();
  const addCondition = (table: TableKey, cond: Sql) => {
    const head = placement.inExists.get(table);
    if (head) existsWhere.set(head, [...(existsWhere.get(head) ?? []), cond]);
    else where.push(cond);
  };
  for (const f of plan.filters) {
    if (f.none) where.push(noneCondition(ctx, f));
    else addCondition(f.ref.table, filterSql(ctx, f));
  }
  for (const c of plan.relatedCounts ?? []) where.push(relatedCountCondition(ctx, c));
  const tr = plan.timeRange;
  if (tr) {
    const column = ctx.names.col(tr.column);
    for (const c of timeConditions(tr, column, (v) => ctx.param(v))) addCondition(tr.column.table, c);
  }
  for (const [head, steps] of placement.existsGroups) {
    const conds = existsWhere.get(head);
    if (!conds?.length) continue;
    const inner = steps.filter((s) => placement.inExists.get(s.to) === head);
    if (!inner.length) continue;
    where.push({ kind: 'exists', negated: false, query: correlated(ctx, '1', inner, conds) });
  }
  return where;
}
