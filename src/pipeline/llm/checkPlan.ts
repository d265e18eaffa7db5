import type { ColumnRef, QueryPlan, SchemaInfo, TableInfo, TableKey } from '../types.ts';
import { ModelReplyInvalid } from './modelErrors.ts';
import type { ModelPlan } from './replyShape.ts';

// A plan from the model names tables and columns as it read them in the prompt; each one must
// exist in the discovered schema. Names are resolved leniently (`orders` for `public.orders`,
// any letter case) and the plan comes back with exact keys, or the model is told what is wrong.

function tableIndex(schema: SchemaInfo): Map<string, TableInfo[]> {
  const index = new Map<string, TableInfo[]>();
  const add = (name: string, t: TableInfo) => {
    const list = index.get(name.toLowerCase()) ?? [];
    if (!list.includes(t)) list.push(t);
    index.set(name.toLowerCase(), list);
  };
  for (const t of schema.tables) {
    add(t.key, t);
    add(t.name, t);
  }
  return index;
}

class PlanChecker {
  readonly problems: string[] = [];
  private readonly index: Map<string, TableInfo[]>;

  constructor(schema: SchemaInfo) {
    this.index = tableIndex(schema);
  }

  table(name: string): TableInfo | undefined {
    const found = this.index.get(name.trim().replace(/"/g, '').toLowerCase()) ?? [];
    if (found.length === 1) return found[0];
    this.problems.push(
      found.length
        ? `table "${name}" is ambiguous; use one of ${found.map((t) => t.key).join(', ')}`
        : `there is no table "${name}"`,
    );
    return undefined;
  }

  tableKey(name: string): TableKey {
    return this.table(name)?.key ?? name;
  }

  ref(r: ColumnRef): ColumnRef {
    const t = this.table(r.table);
    if (!t) return r;
    const c =
      t.columns.find((x) => x.name === r.column) ??
      t.columns.find((x) => x.name.toLowerCase() === r.column.toLowerCase());
    if (!c) {
      this.problems.push(`table ${t.key} has no column "${r.column}"`);
      return r;
    }
    return { table: t.key, column: c.name };
  }
}

/** The model's plan with exact table keys and column names; ModelReplyInvalid listing every
 *  name that is not in the schema. */
export function checkPlan(plan: ModelPlan, schema: SchemaInfo): QueryPlan {
  const c = new PlanChecker(schema);
  const checked: QueryPlan = {
    ...plan,
    baseTable: c.tableKey(plan.baseTable),
    measures: plan.measures.map((m) => ({
      ...m,
      expr:
        m.expr.kind === 'column'
          ? { kind: 'column', ref: c.ref(m.expr.ref) }
          : m.expr.kind === 'product'
            ? { kind: 'product', refs: m.expr.refs.map((r) => c.ref(r)) }
            : { kind: 'rows', table: c.tableKey(m.expr.table) },
    })),
    dimensions: plan.dimensions.map((d) => ({ ...d, ref: c.ref(d.ref) })),
    filters: plan.filters.map((f) => ({ ...f, ref: c.ref(f.ref) })),
    ...(plan.select ? { select: plan.select.map((r) => c.ref(r)) } : {}),
    ...(plan.timeRange ? { timeRange: { ...plan.timeRange, column: c.ref(plan.timeRange.column) } } : {}),
  };
  const names = new Set([...plan.measures.map((m) => m.as), ...plan.dimensions.map((d) => d.as)]);
  for (const h of plan.having ?? [])
    if (!plan.measures.some((m) => m.as === h.measure))
      c.problems.push(`having refers to "${h.measure}", which is not the "as" of a measure`);
  for (const o of plan.orderBy ?? [])
    if (!names.has(o.by) && !(plan.select ?? []).some((r) => r.column === o.by))
      c.problems.push(`orderBy refers to "${o.by}", which is not the "as" of a measure or dimension`);
  if (c.problems.length)
    throw new ModelReplyInvalid(`The plan does not fit the schema: ${[...new Set(c.problems)].join('; ')}.`);
  return checked;
}
