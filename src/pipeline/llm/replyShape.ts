import { z } from 'zod';

// The one shape the model answers in, defined once in zod: the tool's JSON schema is generated
// from it, and every reply is parsed with it. The plan part mirrors QueryPlan
// (domain/types.ts), so the plans remembered from earlier answers serve as examples exactly as
// they are stored.

const columnRef = z.object({ table: z.string(), column: z.string() }).meta({ id: 'ColumnRef' });
const scalar = z.union([z.string(), z.number(), z.boolean()]);
const unit = z.enum(['day', 'week', 'month', 'quarter', 'year']);
const filter = z
  .object({
    ref: columnRef,
    op: z.enum(['=', '<>', '<', '<=', '>', '>=', 'in', 'not_in', 'between', 'like', 'is_null', 'not_null']),
    value: z.union([scalar, z.array(scalar)]).optional(),
  })
  .meta({ id: 'Filter' });

const measureExpr = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('column'), ref: columnRef }),
  z.object({ kind: z.literal('product'), refs: z.array(columnRef).min(2) }),
  z.object({ kind: z.literal('rows'), table: z.string() }),
  z.object({ kind: z.literal('related'), table: z.string(), rows: z.string() }),
]);

const countOp = z.enum(['=', '<>', '<', '<=', '>', '>=', 'between']);
const countValue = z.union([z.number(), z.tuple([z.number(), z.number()])]);

const timeRange = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('current'), column: columnRef, unit }),
  z.object({
    kind: z.enum(['previous', 'rolling']),
    column: columnRef,
    unit,
    n: z.number().int().positive(),
    offset: z.number().int().nonnegative().optional(),
  }),
  z.object({
    kind: z.literal('absolute'),
    column: columnRef,
    from: z.string().optional(),
    to: z.string().optional(),
  }),
]);

export const modelPlan = z.object({
  baseTable: z.string(),
  measures: z.array(
    z.object({
      agg: z.enum(['sum', 'count', 'count_distinct', 'avg', 'min', 'max', 'median']),
      expr: measureExpr,
      as: z.string(),
      derive: z.enum(['share', 'growth']).optional(),
      where: z.array(filter).optional(),
    }),
  ),
  dimensions: z.array(
    z.object({
      ref: columnRef,
      grain: z.enum(['hour', 'day', 'week', 'month', 'quarter', 'year']).optional(),
      part: z.enum(['weekday', 'hour', 'month']).optional(),
      as: z.string(),
      entity: z.boolean().optional(),
    }),
  ),
  select: z.array(columnRef).optional(),
  distinct: z.boolean().optional(),
  filters: z.array(filter),
  having: z.array(z.object({ measure: z.string(), op: countOp, value: countValue })).optional(),
  relatedCounts: z.array(z.object({ table: z.string(), op: countOp, value: countValue })).optional(),
  via: z.array(z.string()).optional(),
  timeRange: timeRange.optional(),
  orderBy: z.array(z.object({ by: z.string(), dir: z.enum(['asc', 'desc']) })).optional(),
  limit: z.number().int().positive().optional(),
  ratio: z.object({ numerator: z.string(), denominator: z.string(), as: z.string() }).optional(),
});

export type ModelPlan = z.infer<typeof modelPlan>;

export const modelReply = z.object({
  action: z.enum(['plan', 'sql', 'clarify']),
  explanation: z.string().describe('One plain line saying what the answer computes.'),
  assumptions: z.array(z.string()).default([]),
  plan: modelPlan.optional().describe('With action "plan".'),
  sql: z.string().optional().describe('With action "sql": one PostgreSQL SELECT.'),
  question: z.string().optional().describe('With action "clarify": one short question back.'),
  expect_rows: z
    .boolean()
    .optional()
    .describe('True when the question presumes matching rows exist, so an empty result means a mistake.'),
});

export type ModelReply = z.infer<typeof modelReply>;

export const TOOL_NAME = 'answer_question';

/** The function tool the model must call; its parameters are the reply shape above. */
export function answerTool() {
  const { $schema: _ignored, ...parameters } = z.toJSONSchema(modelReply, {
    io: 'input',
    target: 'draft-7',
  }) as Record<string, unknown>;
  return {
    type: 'function' as const,
    function: {
      name: TOOL_NAME,
      description: 'Answer the question with a plan, a SQL query, or a clarifying question.',
      parameters,
    },
  };
}
