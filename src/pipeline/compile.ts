import type { QueryPlan, SchemaInfo } from '../domain/types.ts';
import { lowerPlan } from './compile/lower.ts';
import { type CompiledQuery, printQuery } from './compile/printTree.ts';
import type { CompileOptions } from './compile/rowLimit.ts';

// One compiler turns a QueryPlan into PostgreSQL. Join paths, fan-out safety and time ranges
// live here, not in the planners, so every plan — rules, memory, follow-up or model — gets
// the same guarantees. Lowering (compile/lower.ts) decides the SELECT as a tree; printing
// (compile/printTree.ts) writes it out.

export type { CompiledQuery } from './compile/printTree.ts';
export { type CompileOptions, rowLimit } from './compile/rowLimit.ts';

export function compilePlan(
  plan: QueryPlan,
  schema: SchemaInfo,
  options: CompileOptions = {},
): CompiledQuery {
  if (plan.sql) return { text: plan.sql, params: [], sql: plan.sql };
  return printQuery(lowerPlan(plan, schema, options));
}
