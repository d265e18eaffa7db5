import type { QueryPlan } from '../../domain/types.ts';

export interface CompileOptions {
  /** LIMIT for answers of many rows when the plan has none (the user's preferred limit). */
  defaultLimit?: number;
  /** Hard cap on any LIMIT. */
  maxRows?: number;
}

/** The LIMIT a plan compiles to: its own, else the default for answers of many rows, capped. */
export function rowLimit(plan: QueryPlan, options: CompileOptions): number | undefined {
  const manyRows = plan.dimensions.length > 0 || (plan.select?.length ?? 0) > 0;
  const wanted = plan.limit ?? (manyRows ? options.defaultLimit : undefined);
  if (wanted === undefined) return manyRows && options.maxRows ? options.maxRows : undefined;
  return options.maxRows ? Math.min(wanted, options.maxRows) : wanted;
}
