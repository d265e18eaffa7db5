// The pipeline's face: what the surfaces, /usual, eval and the runtime use of it. A question is
// answered with answer(); a plan already known (a panel, a digest, an agent's SQL) with
// answerPlan(). The stages behind them are the pipeline's own (docs/architecture.md#the-layering).

export { answer, MAX_QUESTION_CHARS } from './answer.ts';
export { answerPlan, type KnownPlan } from './answerPlan.ts';
// The knowledge file checked against the database: in full by `quarry knowledge check`, with no
// rows at start, where it is made ready for the pipeline.
export { checkKnowledge } from './checkKnowledge.ts';
// Identifiers in the statements the doctor prints for the operator.
export { quoteIdent } from './compile/quote.ts';
// The breakers the runtime puts in front of the target database.
export { behindBreaker, connectionBreaker, timeoutBreaker } from './execute/circuitBreaker.ts';
// Read-only execution of SQL that is no plan's (eval's gold queries).
export { executeReadOnly } from './execute.ts';
// The tables as an agent is shown them (MCP describe_schema).
export { renderSchema } from './llm/linkSchema.ts';
// The rules alone, without memory or model: dashboards re-plan and suggest questions with them.
export { CONFIDENCE_THRESHOLD } from './planner/draft.ts';
export { planOffline } from './planner/offline.ts';
export { kvSchemaLayer, loadSchema, memorySchemaLayer, type SchemaCacheLayer } from './schema.ts';
export type { AskContext, PipelineServices, Stage } from './services.ts';
export { startKnowledge } from './startKnowledge.ts';
