import { describe, expect, it } from 'vitest';
import type { SchemaInfo } from '../../src/domain/types.ts';
import { NotUnderstood } from '../../src/errors.ts';
import type { SessionTurn } from '../../src/memory/sessions.ts';
import { pickedReading, withAskedQuestion } from '../../src/pipeline/askedBack.ts';
import { describePlan } from '../../src/pipeline/headline.ts';
import { planQuestion } from '../../src/pipeline/plan.ts';
import { col, table } from '../fixtures/schemaBuilders.ts';
import { shopSchema } from '../fixtures/shopSchema.ts';

const now = new Date('2026-11-25T10:00:00Z');
const plan = (question: string) =>
  planQuestion({ question, schema: shopSchema, defaultLimit: 100, maxRows: 1000, now });

function declined(question: string): NotUnderstood {
  try {
    plan(question);
  } catch (e) {
    if (e instanceof NotUnderstood) return e;
    throw e;
  }
  throw new Error(`"${question}" was answered`);
}

describe('readings offered with a question asked back', () => {
  it('offers a name as the schema spells it', () => {
    expect(declined('sales by categry').readings).toEqual([
      { label: 'Sales by category', question: 'sales by category' },
    ]);
    expect(declined('ordrs by status').readings.map((r) => r.question)).toEqual(['orders by status']);
  });

  it('offers the measures a ranking without one could be by', () => {
    expect(declined('top customers').readings.map((r) => r.question)).toEqual([
      'top customers by revenue',
      'top customers by number of orders',
      'top customers by units sold',
    ]);
  });

  it('offers the total and the average of a number column named without either', () => {
    expect(declined('price by category').readings.map((r) => r.question)).toEqual([
      'total price by category',
      'average price by category',
    ]);
  });

  it('offers to count the rows of a table named by its first word, or to add up their amounts', () => {
    const schema: SchemaInfo = {
      ...shopSchema,
      tables: [
        table(
          'paymentAttempts',
          [
            col('id', 'integer', 'number'),
            col('outcome', 'text', 'text', { sampleValues: ['succeeded', 'refunded', 'failed'] }),
            col('amount', 'numeric(12,2)', 'number'),
            col('attemptedAt', 'timestamp with time zone', 'timestamp'),
          ],
          5000,
        ),
      ],
      foreignKeys: [],
    };
    const asked = (() => {
      try {
        planQuestion({ question: 'refunded payments', schema, defaultLimit: 100, maxRows: 1000, now });
      } catch (e) {
        if (e instanceof NotUnderstood) return e;
      }
      throw new Error('answered');
    })();
    expect(asked.readings.map((r) => r.question)).toEqual([
      'refunded number of payment attempts',
      'refunded total payments',
    ]);
    expect(asked.readings[0]!.label).toBe('Payment attempts with outcome refunded');
    // A payment that failed moved no money: those are counted, without asking.
    const failed = planQuestion({
      question: 'failed payments',
      schema,
      defaultLimit: 100,
      maxRows: 1000,
      now,
    });
    expect(failed.kind === 'plan' && failed.plan.measures[0]).toMatchObject({
      agg: 'count',
      expr: { kind: 'rows' },
    });
  });

  it('offers the highest value in each group, or their average, for a ranking of a price', () => {
    expect(declined('highest price by category').readings).toEqual([
      { label: 'Max price by category', question: 'maximum price by category' },
      { label: 'Avg price by category', question: 'average price by category' },
    ]);
  });

  it('offers the threshold on the total when it was not said which', () => {
    expect(declined('which customers spent over 5000').readings).toEqual([
      {
        label: 'Spent by customer with spent over 5,000 in total',
        question: 'which customers spent over 5000 in total',
      },
    ]);
  });

  it('offers only readings that plan in full, each labelled with what its plan computes', () => {
    for (const q of [
      'top customers',
      'best products',
      'revenue by contry last month',
      'top 5 custmers by revenue',
    ]) {
      const readings = declined(q).readings;
      expect(readings.length, q).toBeGreaterThan(0);
      expect(readings.length).toBeLessThanOrEqual(3);
      for (const r of readings) {
        const p = plan(r.question);
        if (p.kind !== 'plan') throw new Error(r.question);
        expect(r.label).toBe(describePlan(p.plan, { now }));
      }
    }
  });

  it('offers nothing it cannot express rather than a reading that drops a part', () => {
    // The negation cannot be placed with its period; leaving it out would answer the opposite.
    expect(declined('customers who never ordered last year').readings).toEqual([]);
    expect(declined('which products are popular').readings).toEqual([]);
  });

  it('ranks by units sold as the quantity, not through a comment that says "unit price"', () => {
    const p = plan('top customers by units sold');
    if (p.kind !== 'plan') throw new Error('not planned');
    expect(p.plan.measures[0]?.expr).toEqual({
      kind: 'column',
      ref: { table: 'public.order_items', column: 'quantity' },
    });
  });
});

describe('a reply to a question asked back', () => {
  const turn: SessionTurn = {
    question: 'top customers',
    source: null,
    sql: null,
    summary: 'Top customers by what?',
    success: false,
    errorKind: 'not_understood',
    readings: [
      { label: 'Revenue by customer, top 100', question: 'top customers by revenue' },
      { label: 'Orders by customer, top 100', question: 'top customers by number of orders' },
    ],
    at: now.toISOString(),
  };

  it('picks a reading by its number or its words', () => {
    expect(pickedReading('2', turn)).toBe('top customers by number of orders');
    expect(pickedReading(' #1. ', turn)).toBe('top customers by revenue');
    expect(pickedReading('option 2', turn)).toBe('top customers by number of orders');
    expect(pickedReading('Revenue by customer, top 100', turn)).toBe('top customers by revenue');
    expect(pickedReading('by revenue', turn)).toBeNull();
  });

  it('asks back again for a number past the readings offered', () => {
    expect(() => pickedReading('3', turn)).toThrow(/reply with a number from 1 to 2/);
    expect(() => pickedReading('1', { ...turn, readings: undefined })).toThrow(/no readings to pick from/);
  });

  it('reads a short reply with the question it answers, and a long one on its own', () => {
    expect(withAskedQuestion('by revenue', turn)).toBe('top customers by revenue');
    expect(withAskedQuestion('how many orders did we get from Germany last week', turn)).toBeNull();
  });
});
