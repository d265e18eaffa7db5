// The offline planner and the compiler on one schema, for unit tests that read plans or SQL.

import type { QueryPlan, SchemaInfo } from '../../src/domain/types.ts';
import { compilePlan } from '../../src/pipeline/compile.ts';
import { planOffline } from '../../src/pipeline/planner/offline.ts';

export function offlinePlanner(schema: SchemaInfo, now?: Date) {
  const plan = (question: string): QueryPlan =>
    planOffline(question, { schema, defaultLimit: 100, now }).plan;
  const sql = (question: string): string =>
    compilePlan(plan(question), schema, { defaultLimit: 100, maxRows: 1000 }).sql;
  return { plan, sql };
}
