import { answerJson } from '../cli/output.ts';
import {
  type AskContext,
  emptyAnswer,
  type PipelineServices,
  runPlan,
  schemaStage,
} from '../pipeline/answer.ts';
import type { QueryPlan } from '../pipeline/types.ts';

// An agent's own SQL gets no more trust than a model's: it runs as a raw-SQL plan, through the
// path every plan takes (guard, access rules, READ ONLY execution, row and byte caps).
// Refusals are thrown as the guard's typed errors.

export async function runAgentQuery(services: PipelineServices, ctx: AskContext, sql: string) {
  const out = emptyAnswer(sql);
  const schema = await schemaStage(services, out, ctx);
  const plan: QueryPlan = { baseTable: '', measures: [], dimensions: [], filters: [], sql };
  await runPlan(services, out, ctx, schema, plan, 'llm');
  const { columns, rows, row_count, truncated, truncated_by, notes } = answerJson(out);
  return { sql: out.sql, columns, rows, row_count, truncated, truncated_by, notes };
}
