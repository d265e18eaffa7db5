import { measureTable } from '../../domain/planParts.ts';
import type { ColumnRef, QueryPlan, SchemaInfo, TableInfo, TableKey } from '../../domain/types.ts';
import { countsPerRow, pathTo, shortestPaths } from '../compile/joinGraph.ts';
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

  filter<F extends { ref: ColumnRef }>(f: F): F {
    return { ...f, ref: this.ref(f.ref) };
  }
}

/** A measure's own condition is read on the rows it aggregates, so its columns must be joinable
 *  to them (from the measured table, as the compiler joins); the compiler would only fail
 *  later, in words meant for people. Names that did not resolve are already reported. */
function unreachable(plan: QueryPlan, schema: SchemaInfo): string[] {
  const known = (t: TableKey) => schema.tables.some((x) => x.key === t);
  const root = plan.measures[0] ? measureTable(plan.measures[0].expr) : plan.baseTable;
  if (!known(root)) return [];
  const tree = shortestPaths(schema, root);
  return plan.measures.flatMap((m) =>
    (m.where ?? [])
      .filter((f) => known(f.ref.table) && !pathTo(tree, root, f.ref.table))
      .map(
        (f) =>
          `measure "${m.as}" has a where on ${f.ref.table}.${f.ref.column}, which no foreign key path joins to ${root}`,
      ),
  );
}

/** A count of related rows is of rows that refer to each counted row (its orders, its lines):
 *  the compiler's first step from it must lead down, or each row has one at most. */
function uncountable(plan: QueryPlan, schema: SchemaInfo): string[] {
  const known = (t: TableKey) => schema.tables.some((x) => x.key === t);
  const counts = [
    ...plan.measures.flatMap((m) =>
      m.expr.kind === 'related' ? [{ of: m.expr.table, rows: m.expr.rows }] : [],
    ),
    ...(plan.relatedCounts ?? []).map((r) => ({ of: plan.baseTable, rows: r.table })),
  ];
  return counts
    .filter(({ of, rows }) => known(of) && known(rows))
    .filter(({ of, rows }) => !countsPerRow(schema, of, rows))
    .map(
      ({ of, rows }) => `no rows of ${rows} refer to a row of ${of}, so they cannot be counted per ${of} row`,
    );
}

function ratioProblems(plan: ModelPlan): string[] {
  const r = plan.ratio;
  if (!r) return [];
  const problems = [r.numerator, r.denominator]
    .filter((name) => !plan.measures.some((m) => m.as === name))
    .map((name) => `ratio refers to "${name}", which is not the "as" of a measure`);
  if (r.numerator === r.denominator)
    problems.push('ratio divides a measure by itself; numerator and denominator must be two measures');
  if (plan.measures.some((m) => m.as === r.as) || plan.dimensions.some((d) => d.as === r.as))
    problems.push(`ratio "as" "${r.as}" is already the name of a measure or dimension; give it its own`);
  return problems;
}

/** The model's plan with exact table keys and column names; ModelReplyInvalid listing every
 *  name that is not in the schema. */
export function checkPlan(plan: ModelPlan, schema: SchemaInfo): QueryPlan {
  const c = new PlanChecker(schema);
  const checked: QueryPlan = {
    ...plan,
    baseTable: c.tableKey(plan.baseTable),
    measures: plan.measures.map(({ where, ...m }) => ({
      ...m,
      ...(where ? { where: where.map((f) => c.filter(f)) } : {}),
      expr:
        m.expr.kind === 'column'
          ? { kind: 'column', ref: c.ref(m.expr.ref) }
          : m.expr.kind === 'product'
            ? { kind: 'product', refs: m.expr.refs.map((r) => c.ref(r)) }
            : m.expr.kind === 'rows'
              ? { kind: 'rows', table: c.tableKey(m.expr.table) }
              : { kind: 'related', table: c.tableKey(m.expr.table), rows: c.tableKey(m.expr.rows) },
    })),
    dimensions: plan.dimensions.map((d) => ({ ...d, ref: c.ref(d.ref) })),
    filters: plan.filters.map((f) => c.filter(f)),
    ...(plan.select ? { select: plan.select.map((r) => c.ref(r)) } : {}),
    ...(plan.timeRange ? { timeRange: { ...plan.timeRange, column: c.ref(plan.timeRange.column) } } : {}),
    ...(plan.relatedCounts
      ? { relatedCounts: plan.relatedCounts.map((r) => ({ ...r, table: c.tableKey(r.table) })) }
      : {}),
    ...(plan.via ? { via: plan.via.map((t) => c.tableKey(t)) } : {}),
  };
  const names = new Set([
    ...plan.measures.map((m) => m.as),
    ...plan.dimensions.map((d) => d.as),
    ...(plan.ratio ? [plan.ratio.as] : []),
  ]);
  for (const h of plan.having ?? [])
    if (!plan.measures.some((m) => m.as === h.measure))
      c.problems.push(`having refers to "${h.measure}", which is not the "as" of a measure`);
  for (const o of plan.orderBy ?? [])
    if (!names.has(o.by) && !(plan.select ?? []).some((r) => r.column === o.by))
      c.problems.push(`orderBy refers to "${o.by}", which is not the "as" of a measure or dimension`);
  for (const t of plan.via ?? []) if (!c.table(t)) c.problems.push(`via names "${t}", which is not a table`);
  c.problems.push(...ratioProblems(plan));
  c.problems.push(...unreachable(checked, schema));
  c.problems.push(...uncountable(checked, schema));
  if (c.problems.length)
    throw new ModelReplyInvalid(`The plan does not fit the schema: ${[...new Set(c.problems)].join('; ')}.`);
  return checked;
}
