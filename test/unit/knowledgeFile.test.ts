import { describe, expect, it } from 'vitest';
import type { QueryPlan } from '../../src/domain/types.ts';
import { applyDefinedMeasures } from '../../src/knowledge/applyMeasures.ts';
import { definedMeasure, readMeasureSql } from '../../src/knowledge/definedMeasure.ts';
import { parseKnowledge } from '../../src/knowledge/knowledgeFile.ts';
import { lexiconFor, planQuestion } from '../../src/pipeline/plan.ts';
import { shopSchema } from '../fixtures/shopSchema.ts';

const GOOD = `definitions:
  - term: Revenue
    means: the total of completed orders only
    sql: SUM(orders.total) FILTER (WHERE orders.status = 'completed')
  - term: active customer
    means: customers with an order in the last 90 days
synonyms: { clients: customers, sku: products }
labels: { customers: name }
verified:
  - question: How many big-ticket orders did we have?
    sql: SELECT COUNT(*) FROM orders WHERE total > 500
hidden: [audit_log, customers.email]
owners: [U0123ABCD]
`;

const problemOf = (text: string) => {
  try {
    parseKnowledge(text, 'quarry.yml');
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('parsed');
};

describe('the knowledge file', () => {
  it('reads every section, terms in lower case, and defaults missing ones to empty', () => {
    const k = parseKnowledge(GOOD, 'quarry.yml');
    expect(k.definitions.map((d) => d.term)).toEqual(['revenue', 'active customer']);
    expect(k.definitions[1]!.sql).toBeUndefined();
    expect(k.synonyms).toEqual({ clients: 'customers', sku: 'products' });
    expect(k.verified).toHaveLength(1);
    expect(k.hidden).toEqual(['audit_log', 'customers.email']);
    expect(k.owners).toEqual(['U0123ABCD']);
    expect(parseKnowledge('owners: [U1AB]\n', 'q.yml')).toMatchObject({
      definitions: [],
      verified: [],
      hidden: [],
    });
    expect(parseKnowledge('', 'q.yml').definitions).toEqual([]);
  });

  it('names the file, the entry and the fix for a malformed entry', () => {
    expect(problemOf('definitions:\n  - term: revenue\n')).toBe(
      'quarry.yml: definitions[0] ("revenue") is not right: say in plain words what the term means (means: the total of completed orders only).',
    );
    expect(problemOf('verified:\n  - question: How many?\n    sql: 3\n')).toMatch(
      /^quarry\.yml: verified\[0\] \("How many\?"\) is not right: write the SQL as text/,
    );
    expect(problemOf('owners: [ana]\n')).toMatch(
      /^quarry\.yml: owners\[0\] is not right: list Slack user ids/,
    );
    expect(problemOf('hidden: ["a b"]\n')).toMatch(/hidden\[0\] is not right: list tables and columns/);
    expect(problemOf('synonym: { a: b }\n')).toMatch(
      /^quarry\.yml: "synonym" is not right: the file holds only/,
    );
    expect(problemOf('definitions:\n  - { term: x, means: y, formula: z }\n')).toMatch(/remove "formula"/);
  });

  it('refuses a term defined twice and YAML it cannot read, with the line', () => {
    expect(problemOf('definitions:\n  - { term: a, means: b }\n  - { term: A, means: c }\n')).toBe(
      'quarry.yml: definitions define "a" twice: keep one of them.',
    );
    expect(problemOf('definitions:\n  - term: a\n   means: b\n')).toMatch(
      /^quarry\.yml line \d+ is not valid YAML/,
    );
  });
});

describe('a definition’s SQL', () => {
  it('reads one aggregate with a FILTER of comparisons', async () => {
    expect(
      await readMeasureSql(
        "SUM(orders.total) FILTER (WHERE orders.status = 'completed' AND orders.total > 5)",
      ),
    ).toEqual({
      agg: 'sum',
      columns: [{ table: 'orders', column: 'total' }],
      filters: [
        { name: { table: 'orders', column: 'status' }, op: '=', value: 'completed' },
        { name: { table: 'orders', column: 'total' }, op: '>', value: 5 },
      ],
    });
    expect((await readMeasureSql('count(distinct orders.customer_id)')).agg).toBe('count_distinct');
    expect((await readMeasureSql('SUM(order_items.price * order_items.quantity)')).columns).toHaveLength(2);
    expect((await readMeasureSql("COUNT(*) FILTER (WHERE orders.status IN ('a', 'b'))")).filters[0]!.op).toBe(
      'in',
    );
  });

  it('refuses what is not one plain aggregate', async () => {
    for (const sql of [
      'orders.total',
      'SUM(total)',
      'SUM(orders.total); DROP TABLE orders',
      'SUM(orders.total) FILTER (WHERE orders.status = lower(orders.x))',
      'SUM(orders.total) FROM orders',
      'COUNT(*)',
    ])
      await expect(readMeasureSql(sql), sql).rejects.toThrow();
  });

  it('is found in the schema, or names what is missing', async () => {
    const m = await definedMeasure(
      { term: 'revenue', means: 'x', sql: "SUM(orders.total) FILTER (WHERE orders.status = 'completed')" },
      shopSchema,
    );
    expect(m.expr).toEqual({ kind: 'column', ref: { table: 'public.orders', column: 'total' } });
    await expect(
      definedMeasure({ term: 'r', means: 'x', sql: 'SUM(orders.grand_total)' }, shopSchema),
    ).rejects.toThrow('the column orders.grand_total is not in the database');
  });

  it('replaces the planner’s measure for the word, adds its filters once, and leaves other questions alone', async () => {
    const m = await definedMeasure(
      {
        term: 'revenue',
        means: 'completed only',
        sql: "SUM(orders.total) FILTER (WHERE orders.status = 'completed')",
      },
      shopSchema,
    );
    const plan: QueryPlan = {
      baseTable: 'public.order_items',
      measures: [
        {
          agg: 'sum',
          expr: {
            kind: 'product',
            refs: [
              { table: 'public.order_items', column: 'price' },
              { table: 'public.order_items', column: 'quantity' },
            ],
          },
          as: 'revenue',
          concept: 'money',
        },
      ],
      dimensions: [],
      filters: [{ ref: { table: 'public.orders', column: 'status' }, op: '=', value: 'completed' }],
    };
    const out = applyDefinedMeasures({ plan, assumptions: [] }, 'Revenue last month', [m]);
    expect(out.plan.baseTable).toBe('public.orders');
    expect(out.plan.measures).toEqual([{ agg: 'sum', expr: m.expr, as: 'revenue' }]);
    expect(out.plan.filters).toHaveLength(1);
    expect(out.assumptions[0]).toContain("the data team's definition");
    expect(applyDefinedMeasures({ plan, assumptions: [] }, 'sales last month', [m]).plan).toBe(plan);
  });
});

describe('synonyms', () => {
  const vocabulary = [
    { phrase: 'patron', reading: { kind: 'table' as const, table: 'public.customers', score: 1 } },
    {
      phrase: 'basket value',
      reading: { kind: 'column' as const, ref: { table: 'public.orders', column: 'total' }, score: 1 },
    },
  ];

  it('are words of the offline planner’s lexicon, kept apart from the plain schema’s', () => {
    expect(lexiconFor(shopSchema, vocabulary).lookup(['patron'])).toEqual([vocabulary[0]!.reading]);
    expect(lexiconFor(shopSchema).lookup(['patron'])).toEqual([]);
    expect(lexiconFor(shopSchema, vocabulary)).toBe(lexiconFor(shopSchema, vocabulary));
  });

  it('let the planner read a question in the team’s words', () => {
    const planned = planQuestion({
      question: 'how many patrons do we have',
      schema: shopSchema,
      defaultLimit: 100,
      maxRows: 1000,
      vocabulary,
    });
    expect(planned.kind === 'plan' && planned.plan.baseTable).toBe('public.customers');
  });
});
