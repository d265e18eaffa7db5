import type { ChatCompletionMessage } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import type { SchemaInfo } from '../../src/domain/types.ts';
import { UnsafeSql } from '../../src/errors.ts';
import { readReply } from '../../src/pipeline/llm/readReply.ts';
import { shopSchema } from '../fixtures/shopSchema.ts';

const toolCall = (args: string): ChatCompletionMessage => ({
  role: 'assistant',
  content: null,
  refusal: null,
  tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'answer_question', arguments: args } }],
});
const text = (content: string): ChatCompletionMessage => ({ role: 'assistant', content, refusal: null });

const read = (
  m: ChatCompletionMessage,
  schema: SchemaInfo = shopSchema,
  finish: string | null = 'tool_calls',
) => readReply(m, finish, { schema, maxRows: 1000 });

const plan = {
  baseTable: 'orders',
  measures: [
    { agg: 'sum', expr: { kind: 'column', ref: { table: 'Orders', column: 'TOTAL' } }, as: 'sales' },
  ],
  dimensions: [{ ref: { table: 'public.customers', column: 'country' }, as: 'country' }],
  filters: [{ ref: { table: 'orders', column: 'status' }, op: 'in', value: ['completed', 'shipped'] }],
  timeRange: { kind: 'previous', unit: 'month', n: 1, column: { table: 'orders', column: 'created_at' } },
  orderBy: [{ by: 'sales', dir: 'desc' }],
};
const reply = (extra: Record<string, unknown>) =>
  JSON.stringify({
    action: 'plan',
    explanation: 'Sales by country.',
    assumptions: ['all statuses'],
    ...extra,
  });

describe('reading the model reply', () => {
  it('turns a tool call into a plan with exact table keys and column names', async () => {
    const r = await read(toolCall(reply({ plan, expect_rows: true })));
    expect(r).toEqual({
      kind: 'plan',
      explanation: 'Sales by country.',
      assumptions: ['all statuses'],
      expectRows: true,
      plan: {
        ...plan,
        baseTable: 'public.orders',
        measures: [
          {
            agg: 'sum',
            expr: { kind: 'column', ref: { table: 'public.orders', column: 'total' } },
            as: 'sales',
          },
        ],
        dimensions: [{ ref: { table: 'public.customers', column: 'country' }, as: 'country' }],
        filters: [
          { ref: { table: 'public.orders', column: 'status' }, op: 'in', value: ['completed', 'shipped'] },
        ],
        timeRange: { ...plan.timeRange, column: { table: 'public.orders', column: 'created_at' } },
      },
    });
  });

  it('accepts the JSON as plain text, fenced or not, from servers without tool calls', async () => {
    expect((await read(text(`\`\`\`json\n${reply({ plan })}\n\`\`\``), shopSchema, 'stop')).kind).toBe(
      'plan',
    );
    expect((await read(text(reply({ plan })), shopSchema, 'stop')).kind).toBe('plan');
  });

  it('says what is wrong with broken JSON, and when the reply was cut off', async () => {
    const broken = await read(toolCall('{"action": "plan", "plan": {'));
    expect(broken).toMatchObject({ kind: 'invalid', feedback: expect.stringMatching(/not valid JSON/) });
    const cut = await read(toolCall('{"action": "plan", "plan": {'), shopSchema, 'length');
    expect(cut).toMatchObject({ feedback: expect.stringMatching(/cut off/) });
    expect(await read(text(''))).toMatchObject({
      kind: 'invalid',
      feedback: expect.stringMatching(/calling the function/),
    });
  });

  it('says where a reply does not match the shape', async () => {
    const r = await read(
      toolCall(reply({ plan: { ...plan, measures: [{ ...plan.measures[0], agg: 'total' }] } })),
    );
    expect(r).toMatchObject({ kind: 'invalid', feedback: expect.stringMatching(/plan\.measures\[0\]\.agg/) });
  });

  it('names every table and column that is not in the schema', async () => {
    const wrong = {
      ...plan,
      dimensions: [{ ref: { table: 'regions', column: 'name' }, as: 'region' }],
      filters: [{ ref: { table: 'orders', column: 'state' }, op: '=', value: 'done' }],
      orderBy: [{ by: 'revenue', dir: 'desc' }],
    };
    const r = await read(toolCall(reply({ plan: wrong })));
    expect(r.kind).toBe('invalid');
    const feedback = r.kind === 'invalid' ? r.feedback : '';
    expect(feedback).toContain('there is no table "regions"');
    expect(feedback).toContain('table public.orders has no column "state"');
    expect(feedback).toContain('orderBy refers to "revenue"');
  });

  it('asks for a qualified name when a bare table name is ambiguous', async () => {
    const archive = {
      ...shopSchema.tables.find((t) => t.name === 'orders')!,
      key: 'archive.orders',
      schema: 'archive',
    };
    const schema = { ...shopSchema, tables: [...shopSchema.tables, archive] };
    const r = await read(toolCall(reply({ plan })), schema);
    expect(r).toMatchObject({
      kind: 'invalid',
      feedback: expect.stringContaining(
        'table "orders" is ambiguous; use one of public.orders, archive.orders',
      ),
    });
  });

  it('reads raw SQL as a plan on the table it reads, after the guard', async () => {
    const sql = 'SELECT status, count(*) FROM orders GROUP BY status';
    const r = await read(toolCall(JSON.stringify({ action: 'sql', explanation: 'By status.', sql })));
    expect(r).toMatchObject({
      kind: 'plan',
      plan: { baseTable: 'public.orders', sql, measures: [], filters: [] },
    });
  });

  it('refuses SQL the guard refuses', async () => {
    const r = await read(
      toolCall(JSON.stringify({ action: 'sql', explanation: 'x', sql: 'DELETE FROM orders' })),
    );
    expect(r.kind).toBe('refused');
    expect(r.kind === 'refused' && r.error).toBeInstanceOf(UnsafeSql);
  });

  it('reads a clarifying question, and needs one', async () => {
    const ask = { action: 'clarify', explanation: '', question: ' Which currency? ' };
    expect(await read(toolCall(JSON.stringify(ask)))).toEqual({
      kind: 'clarify',
      question: 'Which currency?',
    });
    expect((await read(toolCall(JSON.stringify({ ...ask, question: '' })))).kind).toBe('invalid');
    expect((await read(toolCall(JSON.stringify({ action: 'sql', explanation: 'x' })))).kind).toBe('invalid');
    expect((await read(toolCall(JSON.stringify({ action: 'plan', explanation: 'x' })))).kind).toBe('invalid');
  });
});
