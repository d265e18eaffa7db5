import type { QueryPlan } from '../domain/types.ts';
import { type AskContext, answerPlan, type PipelineServices } from '../pipeline/index.ts';
import { answerJson } from '../render/answerJson.ts';

// An agent's own SQL gets no more trust than a model's: it runs as a raw-SQL plan, through the
// path every plan takes (guard, access rules, READ ONLY execution, row and byte caps).
// A refusal comes back as the answer's error, worded as for any question.

export async function runAgentQuery(services: PipelineServices, ctx: AskContext, sql: string) {
  const plan: QueryPlan = { baseTable: '', measures: [], dimensions: [], filters: [], sql };
  const out = await answerPlan({ question: sql, plan, source: 'llm' }, ctx, services);
  if (out.error) return { error: out.error.message };
  const { columns, rows, row_count, truncated, truncated_by, notes } = answerJson(out);
  return { sql: out.sql, columns, rows, row_count, truncated, truncated_by, notes };
}
