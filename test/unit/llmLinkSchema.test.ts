import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import { describe, expect, it } from 'vitest';
import type { ColumnInfo, SchemaInfo, TableInfo } from '../../src/domain/types.ts';
import { linkSchema } from '../../src/pipeline/llm/linkSchema.ts';
import { buildPrompt } from '../../src/pipeline/llm/prompt.ts';
import { generatedSchema } from '../fixtures/generatedSchema.ts';
import { shopSchema } from '../fixtures/shopSchema.ts';

const tokenizer = new Tiktoken(o200kBase);

/** Every token the model is sent: both messages and the tool definition. */
function requestTokens(p: ReturnType<typeof buildPrompt>): number {
  const text = [...p.messages.map((m) => String(m.content)), JSON.stringify(p.tools)].join('\n');
  return tokenizer.encode(text).length;
}

const schemaSection = (p: ReturnType<typeof buildPrompt>) =>
  /<schema>\n([\s\S]*?)\n<\/schema>/.exec(String(p.messages[1]!.content))![1]!;

describe('schema linking on a 1,000-table schema', () => {
  const big = generatedSchema(1000);

  // question, the tables it needs, lines the schema must show (join keys, the value it names)
  const cases: [string, string[], string[]][] = [
    [
      'Sales by product category last month',
      ['public.products', 'public.order_items', 'public.orders'],
      ['product_id integer -> public.products.id', 'order_id integer -> public.orders.id'],
    ],
    [
      'Total quantity sold to customers in Germany',
      ['public.customers', 'public.orders', 'public.order_items'],
      ['customer_id integer -> public.customers.id', 'order_id integer -> public.orders.id', "'Germany'"],
    ],
  ];

  it.each(cases)(
    '"%s": under 4,000 tokens, with the tables and join keys it needs',
    (question, tables, lines) => {
      expect(big.tables).toHaveLength(1000);
      const prompt = buildPrompt({ question, schema: big });
      const tokens = requestTokens(prompt);
      expect(tokens).toBeLessThan(4000);
      // The prompt's own count is the same tokenizer's, within the joins between parts.
      expect(Math.abs(prompt.tokens - tokens)).toBeLessThan(20);
      expect(prompt.tables).toEqual(expect.arrayContaining(tables));
      const shown = schemaSection(prompt);
      for (const t of tables) expect(shown).toMatch(new RegExp(`^${t.replace('.', '\\.')} `, 'm'));
      for (const line of lines) expect(shown).toContain(line);
      expect(shown).toMatch(/\(\d+ more tables not shown\)$/);
    },
  );

  it('ranks the named tables first', () => {
    const linked = linkSchema(big, { question: 'Sales by product category last month', maxTokens: 2000 });
    expect(linked.tables.slice(0, 3)).toEqual(['public.products', 'public.order_items', 'public.orders']);
    expect(linked.tokens).toBeLessThanOrEqual(2000);
    expect(linked.omitted).toBe(1000 - linked.tables.length);
  });
});

const column = (name: string, extra: Partial<ColumnInfo> = {}): ColumnInfo => ({
  name,
  type: name === 'id' || name.endsWith('_id') ? 'integer' : 'text',
  kind: name === 'id' || name.endsWith('_id') ? 'number' : 'text',
  nullable: false,
  isPrimaryKey: name === 'id',
  ...extra,
});

const table = (key: string, columns: ColumnInfo[]): TableInfo => {
  const [schema, name] = key.split('.') as [string, string];
  return { key, schema, name, kind: 'table', rowEstimate: 100, columns, primaryKey: ['id'], indexes: [] };
};

describe('schema linking', () => {
  it('shows a small schema whole', () => {
    const linked = linkSchema(shopSchema, { question: 'How many customers?', maxTokens: 3000 });
    expect(linked.omitted).toBe(0);
    expect(linked.tables[0]).toBe('public.customers');
    expect(new Set(linked.tables)).toEqual(new Set(shopSchema.tables.map((t) => t.key)));
  });

  it('adds the unnamed table that joins two named ones', () => {
    const big = generatedSchema(400);
    const schema: SchemaInfo = {
      ...big,
      tables: [
        ...big.tables,
        table('lab.gadgets', [column('id'), column('label')]),
        table('lab.gadget_placements', [column('id'), column('gadget_id'), column('site_id')]),
        table('lab.sites', [column('id'), column('region', { sampleValues: ['North', 'South'] })]),
      ],
      foreignKeys: [
        ...big.foreignKeys,
        fk('lab.gadget_placements', 'gadget_id', 'lab.gadgets'),
        fk('lab.gadget_placements', 'site_id', 'lab.sites'),
      ],
    };
    const linked = linkSchema(schema, { question: 'How many gadgets per site region?', maxTokens: 1500 });
    expect(linked.tables).toEqual(
      expect.arrayContaining(['lab.gadgets', 'lab.sites', 'lab.gadget_placements']),
    );
    expect(linked.text).toContain('gadget_id integer -> lab.gadgets.id');
    expect(linked.text).toContain('site_id integer -> lab.sites.id');
  });

  it('keeps keys and named columns of a very wide table, and says how many are left out', () => {
    const wide = table('public.events', [
      column('id'),
      ...Array.from({ length: 80 }, (_, i) => column(`field_${i}`)),
      column('customer_id'),
      column('channel', { sampleValues: ['email', 'push'] }),
    ]);
    const schema: SchemaInfo = {
      ...shopSchema,
      tables: [...shopSchema.tables, wide],
      foreignKeys: [...shopSchema.foreignKeys, fk('public.events', 'customer_id', 'public.customers')],
    };
    const linked = linkSchema(schema, { question: 'events by channel', maxTokens: 3000 });
    const block = linked.text.slice(linked.text.indexOf('public.events'));
    expect(block).toContain('customer_id integer -> public.customers.id');
    expect(block).toContain("channel text values: 'email', 'push'");
    expect(block).toMatch(/\(\+\d+ more columns\)/);
    expect(block).not.toContain('field_79');
  });

  it('never goes over the budget it is given', () => {
    const big = generatedSchema(1000);
    for (const maxTokens of [0, 50, 400, 1200])
      expect(linkSchema(big, { question: 'orders by status', maxTokens }).tokens).toBeLessThanOrEqual(
        maxTokens,
      );
  });
});

function fk(fromTable: string, column: string, toTable: string) {
  return { fromTable, fromColumns: [column], toTable, toColumns: ['id'], inferred: false };
}
