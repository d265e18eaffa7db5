// A raw-SQL plan (QueryPlan.sql, as a model may write one) through the path every plan takes:
// schema, guard, access rules, read-only execution; errors become the answer's, as in answer().
import {
  type AskContext,
  emptyAnswer,
  failed,
  type PipelineServices,
  runPlan,
  schemaStage,
} from '../../src/pipeline/answer.ts';
import type { Answer, QueryPlan } from '../../src/pipeline/types.ts';

export async function runRawSqlPlan(
  pipeline: PipelineServices,
  ctx: AskContext,
  sql: string,
): Promise<Answer> {
  const out = emptyAnswer('raw SQL plan');
  try {
    const schema = await schemaStage(pipeline, out, ctx);
    const plan: QueryPlan = { baseTable: '', measures: [], dimensions: [], filters: [], sql };
    await runPlan(pipeline, out, ctx, schema, plan, 'llm');
  } catch (e) {
    failed(out, e, pipeline.log);
  }
  return out;
}
