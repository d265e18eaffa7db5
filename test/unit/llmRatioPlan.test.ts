import { describe, expect, it } from 'vitest';
import type { SchemaInfo } from '../../src/domain/types.ts';
import { checkPlan } from '../../src/pipeline/llm/checkPlan.ts';
import { ModelReplyInvalid } from '../../src/pipeline/llm/modelErrors.ts';
import { answerTool, modelPlan } from '../../src/pipeline/llm/replyShape.ts';
import { col, table } from '../fixtures/schemaBuilders.ts';
import { shopSchema } from '../fixtures/shopSchema.ts';

// A ratio from the model: two measures of the same rows, each limited by its own `where`, and
// the one divided by the other.

const status = (value: string) => ({ ref: { table: 'Orders', column: 'STATUS' }, op: '=', value });
const ordersWith = (as: string, where?: unknown[]) => ({
  agg: 'count',
  expr: { kind: 'rows', table: 'orders' },
  as,
  ...(where ? { where } : {}),
});
const ratioPlan = {
  baseTable: 'orders',
  measures: [ordersWith('cancelled', [status('cancelled')]), ordersWith('all_orders')],
  dimensions: [{ ref: { table: 'customers', column: 'country' }, as: 'country' }],
  filters: [],
  ratio: { numerator: 'cancelled', denominator: 'all_orders', as: 'cancel_rate' },
  orderBy: [{ by: 'cancel_rate', dir: 'desc' }],
};

/** The reply shape's parse, then the schema check; the feedback the model would get, if any. */
function check(plan: unknown, schema: SchemaInfo = shopSchema) {
  return checkPlan(modelPlan.parse(plan), schema);
}
function feedback(plan: unknown, schema: SchemaInfo = shopSchema): string {
  try {
    check(plan, schema);
  } catch (e) {
    if (e instanceof ModelReplyInvalid) return e.feedback;
    throw e;
  }
  throw new Error('the plan was accepted');
}

describe('a ratio plan from the model', () => {
  it('is part of the tool the model is given', () => {
    const tool = JSON.stringify(answerTool());
    expect(tool).toContain('"ratio":{"type":"object"');
    expect(tool).toContain('"where":{"type":"array","items":{"$ref":"#/definitions/Filter"}}');
  });

  it('is accepted with exact names in each measure where, and may be ordered by the ratio', () => {
    const plan = check(ratioPlan);
    expect(plan.measures[0]!.where).toEqual([
      { ref: { table: 'public.orders', column: 'status' }, op: '=', value: 'cancelled' },
    ]);
    expect(plan.measures[1]!.where).toBeUndefined();
    expect(plan.ratio).toEqual(ratioPlan.ratio);
    expect(plan.orderBy).toEqual([{ by: 'cancel_rate', dir: 'desc' }]);
  });

  it('accepts a where on a table joined to the measured rows', () => {
    const germany = { ref: { table: 'customers', column: 'country' }, op: '=', value: 'Germany' };
    const plan = check({
      ...ratioPlan,
      measures: [ordersWith('cancelled', [germany]), ordersWith('all_orders')],
    });
    expect(plan.measures[0]!.where?.[0]?.ref).toEqual({ table: 'public.customers', column: 'country' });
  });

  it('is refused when a side is not one of its measures', () => {
    const text = feedback({ ...ratioPlan, ratio: { ...ratioPlan.ratio, denominator: 'orders' } });
    expect(text).toContain('ratio refers to "orders", which is not the "as" of a measure');
  });

  it('is refused when both sides are the same measure', () => {
    const text = feedback({ ...ratioPlan, ratio: { ...ratioPlan.ratio, denominator: 'cancelled' } });
    expect(text).toContain('ratio divides a measure by itself');
  });

  it("is refused when it takes a measure's name", () => {
    expect(feedback({ ...ratioPlan, ratio: { ...ratioPlan.ratio, as: 'cancelled' } })).toContain(
      'ratio "as" "cancelled" is already the name of a measure or dimension',
    );
  });

  it('is refused when a measure where names a column that is not in the schema', () => {
    const text = feedback({
      ...ratioPlan,
      measures: [ordersWith('cancelled', [{ ...status('x'), ref: { table: 'orders', column: 'state' } }])],
      ratio: undefined,
    });
    expect(text).toContain('table public.orders has no column "state"');
  });

  it('is refused when a measure where names a table no foreign key joins to the measured rows, with the other problems', () => {
    const events = table('events', [col('id', 'integer', 'number'), col('kind', 'text', 'text')], 10);
    const schema = { ...shopSchema, tables: [...shopSchema.tables, events] };
    const onEvents = { ref: { table: 'events', column: 'kind' }, op: '=', value: 'refund' };
    const text = feedback(
      {
        ...ratioPlan,
        measures: [ordersWith('cancelled', [onEvents]), ordersWith('all_orders')],
        dimensions: [{ ref: { table: 'customers', column: 'region' }, as: 'region' }],
      },
      schema,
    );
    expect(text).toContain('table public.customers has no column "region"');
    expect(text).toContain(
      'measure "cancelled" has a where on public.events.kind, which no foreign key path joins to public.orders',
    );
  });

  it('is refused by the reply shape when a side is missing', () => {
    const parsed = modelPlan.safeParse({ ...ratioPlan, ratio: { numerator: 'cancelled', as: 'rate' } });
    expect(parsed.success).toBe(false);
  });
});
