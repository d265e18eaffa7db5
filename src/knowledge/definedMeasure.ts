import { loadModule, parseSync } from 'libpg-query';
import type {
  Aggregate,
  Filter,
  FilterOp,
  Measure,
  MeasureExpr,
  Scalar,
  SchemaInfo,
} from '../domain/types.ts';
import { findColumn } from './schemaNames.ts';

// A definition's `sql` is one aggregate over qualified columns, optionally with FILTER (WHERE …)
// of plain comparisons: SUM(orders.total) FILTER (WHERE orders.status = 'completed'). It is read
// by PostgreSQL's own parser into a plan measure and plan filters, so every planner, follow-up
// and pattern uses exactly it, and it is compiled, guarded and run like any other plan.

export interface DefinedMeasure {
  term: string;
  means: string;
  sql: string;
  agg: Aggregate;
  expr: MeasureExpr;
  filters: Filter[];
}

export class MeasureSqlProblem extends Error {}

type Obj = Record<string, unknown>;
interface Name {
  table: string;
  column: string;
}

const SHAPE =
  "write one aggregate of table.column values, e.g. SUM(orders.total) FILTER (WHERE orders.status = 'completed')";

const AGGREGATES: Record<string, Aggregate> = {
  sum: 'sum',
  count: 'count',
  avg: 'avg',
  min: 'min',
  max: 'max',
};
const OPS: Record<string, FilterOp> = {
  '=': '=',
  '<>': '<>',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

let parserReady: Promise<void> | undefined;

function columnName(node: unknown): Name {
  const fields = ((node as Obj)?.ColumnRef as Obj | undefined)?.fields as Obj[] | undefined;
  const names = fields?.map((f) => (f.String as Obj | undefined)?.sval).filter((s) => typeof s === 'string');
  if (!names || names.length !== fields!.length || names.length < 2)
    throw new MeasureSqlProblem(`columns must be written as table.column; ${SHAPE}`);
  return { table: names.slice(0, -1).join('.'), column: names.at(-1)! as string };
}

function constant(node: unknown): Scalar {
  const c = (node as Obj)?.A_Const as Obj | undefined;
  if (!c) throw new MeasureSqlProblem(`a FILTER may compare columns only with constants; ${SHAPE}`);
  if (c.sval) return String((c.sval as Obj).sval ?? '');
  if (c.ival) return Number((c.ival as Obj).ival ?? 0);
  if (c.fval) return Number((c.fval as Obj).fval);
  if (c.boolval) return Boolean((c.boolval as Obj).boolval);
  throw new MeasureSqlProblem(`a FILTER may compare columns only with constants; ${SHAPE}`);
}

interface RawFilter {
  name: Name;
  op: FilterOp;
  value: Scalar | Scalar[];
}

function conditions(node: unknown): RawFilter[] {
  const n = node as Obj;
  const bool = n.BoolExpr as Obj | undefined;
  if (bool?.boolop === 'AND_EXPR') return (bool.args as unknown[]).flatMap(conditions);
  const e = n.A_Expr as Obj | undefined;
  const op = ((e?.name as Obj[] | undefined)?.[0]?.String as Obj | undefined)?.sval as string | undefined;
  if (e?.kind === 'AEXPR_OP' && op && OPS[op])
    return [{ name: columnName(e.lexpr), op: OPS[op]!, value: constant(e.rexpr) }];
  if (e?.kind === 'AEXPR_IN') {
    const items = ((e.rexpr as Obj).List as Obj | undefined)?.items as unknown[] | undefined;
    if (items)
      return [{ name: columnName(e.lexpr), op: op === '=' ? 'in' : 'not_in', value: items.map(constant) }];
  }
  throw new MeasureSqlProblem(`a FILTER may hold only comparisons joined by AND; ${SHAPE}`);
}

/** The columns an aggregate's argument multiplies (one, or a product like price * quantity). */
function factors(node: unknown): Name[] {
  const e = (node as Obj).A_Expr as Obj | undefined;
  const op = ((e?.name as Obj[] | undefined)?.[0]?.String as Obj | undefined)?.sval;
  if (e && op === '*') return [...factors(e.lexpr), ...factors(e.rexpr)];
  return [columnName(node)];
}

interface MeasureShape {
  agg: Aggregate;
  columns: Name[];
  filters: RawFilter[];
}

/** The measure a definition's SQL writes, with names as written; throws MeasureSqlProblem. */
export async function readMeasureSql(sql: string): Promise<MeasureShape> {
  parserReady ??= loadModule();
  await parserReady;
  let targets: Obj[];
  try {
    const stmts = parseSync(`SELECT ${sql}`).stmts as unknown as { stmt: Obj }[];
    const select = stmts.length === 1 ? (stmts[0]!.stmt.SelectStmt as Obj | undefined) : undefined;
    if (!select || select.fromClause || select.whereClause) throw new MeasureSqlProblem(SHAPE);
    targets = select.targetList as Obj[];
  } catch (e) {
    if (e instanceof MeasureSqlProblem) throw e;
    throw new MeasureSqlProblem(
      `it is not valid SQL (${e instanceof Error ? e.message : String(e)}); ${SHAPE}`,
    );
  }
  const call =
    targets.length === 1
      ? (((targets[0]!.ResTarget as Obj).val as Obj).FuncCall as Obj | undefined)
      : undefined;
  const fn = ((call?.funcname as Obj[] | undefined)?.at(-1)?.String as Obj | undefined)?.sval as
    | string
    | undefined;
  const base = fn ? AGGREGATES[fn.toLowerCase()] : undefined;
  if (!call || !base) throw new MeasureSqlProblem(SHAPE);
  const filters = call.agg_filter ? conditions(call.agg_filter) : [];
  if (call.agg_star) {
    const table = filters[0]?.name.table;
    if (!table)
      throw new MeasureSqlProblem(`COUNT(*) names no table: count a column such as COUNT(orders.id)`);
    return { agg: 'count', columns: [], filters };
  }
  const args = (call.args as unknown[] | undefined) ?? [];
  if (args.length !== 1) throw new MeasureSqlProblem(SHAPE);
  const agg = call.agg_distinct ? (base === 'count' ? 'count_distinct' : undefined) : base;
  if (!agg) throw new MeasureSqlProblem(`DISTINCT is understood only in COUNT(DISTINCT table.column)`);
  return { agg, columns: factors(args[0]), filters };
}

/** The definition's measure with its names found in the schema; throws MissingName. */
export async function definedMeasure(
  d: { term: string; means: string; sql: string },
  schema: SchemaInfo,
): Promise<DefinedMeasure> {
  const shape = await readMeasureSql(d.sql);
  const refs = shape.columns.map((n) => findColumn(schema, n.table, n.column));
  const filters = shape.filters.map((f) => ({
    ref: findColumn(schema, f.name.table, f.name.column),
    op: f.op,
    value: f.value,
  }));
  const expr: MeasureExpr =
    refs.length === 0
      ? { kind: 'rows', table: filters[0]!.ref.table }
      : refs.length === 1
        ? { kind: 'column', ref: refs[0]! }
        : { kind: 'product', refs };
  const tables = new Set([...refs, ...filters.map((f) => f.ref)].map((r) => r.table));
  if (tables.size > 1)
    throw new MeasureSqlProblem(
      'its columns and FILTER must all be of one table; define the measure on one table',
    );
  return { term: d.term, means: d.means, sql: d.sql, agg: shape.agg, expr, filters };
}

export function measureOf(m: DefinedMeasure, as: string, derive?: Measure['derive']): Measure {
  return { agg: m.agg, expr: m.expr, as, ...(derive ? { derive } : {}) };
}
