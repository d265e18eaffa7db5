import type { Answer, AnswerSource, QueryPlan, SchemaInfo } from '../domain/types.ts';
import { summarize } from './present.ts';
import { runPlan } from './runPlan.ts';
import type { AskContext, PipelineServices } from './services.ts';
import { emptyAnswer, failed, schemaStage } from './stages.ts';

// A plan already known (a /usual panel, a digest, an agent's own SQL) answered the way every
// planned question is: run by the runner and worded, its failure the answer's error.

export interface KnownPlan {
  /** What the answer says it answers. */
  question: string;
  plan: QueryPlan;
  /** Where the plan came from, as the answer records it. */
  source: AnswerSource;
  /** The schema the plan runs against; the schema stage loads it when absent. */
  schema?: SchemaInfo;
}

export async function answerPlan(
  known: KnownPlan,
  ctx: AskContext,
  services: PipelineServices,
): Promise<Answer> {
  const out = emptyAnswer(known.question);
  try {
    const schema = known.schema ?? (await schemaStage(services, out, ctx));
    await runPlan(services, out, ctx, schema, known.plan, known.source);
    out.summary = summarize(out, { locale: ctx.locale, timeZone: ctx.timeZone, now: ctx.now });
  } catch (e) {
    failed(out, e, services.log);
  }
  return out;
}
