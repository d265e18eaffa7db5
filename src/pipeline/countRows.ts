import { type AccessRules, deniedRelationNames } from '../access/rules.ts';
import type { Db } from '../db/client.ts';
import type { QueryPlan, SchemaInfo } from '../domain/types.ts';
import { compilePlan } from './compile.ts';
import { executeReadOnly } from './execute.ts';
import { checkAccess } from './guard/checkAccess.ts';
import { guardSql } from './guard.ts';

// How many rows a cut list has in all, so its headline can say "top 100 of 108 countries":
// the plan's own query without its LIMIT, counted under the same guard, access rules, READ ONLY
// transaction and timeout as the answer. Fetching one row past the cap only says "more".

export interface CountInput {
  target: Db;
  schema: SchemaInfo;
  plan: QueryPlan;
  maxRows: number;
  timeoutMs: number;
  access?: AccessRules;
  timeZone?: string;
}

export async function countPlanRows(input: CountInput): Promise<number> {
  const { plan, schema } = input;
  // Order does not change a count; without it the server need not sort.
  const unlimited = plan.sql
    ? { text: plan.sql.trim().replace(/;\s*$/, ''), params: [] }
    : compilePlan({ ...plan, limit: undefined, orderBy: undefined }, schema);
  const guarded = await guardSql(`SELECT count(*) AS total FROM (\n${unlimited.text}\n) AS counted`, {
    maxRows: input.maxRows,
    deniedRelations: input.access && deniedRelationNames(input.access),
    // The plan's own values ("Spain") travel as parameters, as in the answer's query.
    parameters: unlimited.params.length,
  });
  await checkAccess(guarded.sql, input.access, schema);
  const result = await executeReadOnly(input.target, guarded.sql, unlimited.params, {
    timeoutMs: input.timeoutMs,
    maxRows: 1,
    timeZone: input.timeZone,
  });
  return Number(result.rows[0]?.[0]);
}
