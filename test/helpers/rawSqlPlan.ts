// A raw-SQL plan (QueryPlan.sql, as a model may write one) through the path every plan takes:
// schema, guard, access rules, read-only execution; errors become the answer's, as in answer().

import type { Answer, QueryPlan } from '../../src/domain/types.ts';
import { type AskContext, answerPlan, type PipelineServices } from '../../src/pipeline/index.ts';

export async function runRawSqlPlan(
  pipeline: PipelineServices,
  ctx: AskContext,
  sql: string,
): Promise<Answer> {
  const plan: QueryPlan = { baseTable: '', measures: [], dimensions: [], filters: [], sql };
  return answerPlan({ question: 'raw SQL plan', plan, source: 'llm' }, ctx, pipeline);
}
