import { describe, expect, it } from 'vitest';
import type { QueryPlan, SchemaInfo } from '../../src/domain/types.ts';
import { compilePlan } from '../../src/pipeline/compile.ts';
import { planQuestion } from '../../src/pipeline/plan.ts';
import { linkedEntity, personNameColumns } from '../../src/pipeline/schema/entityLabels.ts';
import { col, table } from '../fixtures/schemaBuilders.ts';
import { shopSchema } from '../fixtures/shopSchema.ts';
import { taggedShopSchema } from '../fixtures/taggedShopSchema.ts';

// Rows about people and things are shown by their names: a person by first and last name, a
// link table by the entity it links to, never by an id.

const tableOf = (schema: SchemaInfo, name: string) => schema.tables.find((t) => t.name === name)!;

function planned(question: string, schema = taggedShopSchema): QueryPlan {
  const p = planQuestion({ question, schema, defaultLimit: 100, maxRows: 1000 });
  if (p.kind !== 'plan') throw new Error(`not planned: ${question}`);
  return p.plan;
}

describe('linkedEntity', () => {
  it('reads a link table as the entity its name ends with', () => {
    expect(linkedEntity(taggedShopSchema, 'public.order_tags')).toBe('public.tags');
    const films: SchemaInfo = {
      ...taggedShopSchema,
      tables: [
        table('film', [col('id', 'integer', 'number'), col('title', 'text', 'text')], 1000),
        table('category', [col('id', 'integer', 'number'), col('name', 'text', 'text')], 16),
        {
          ...table(
            'film_category',
            [
              col('film_id', 'integer', 'number'),
              col('category_id', 'integer', 'number'),
              col('last_update', 'timestamp', 'timestamp'),
            ],
            1000,
          ),
          primaryKey: ['film_id', 'category_id'],
        },
      ],
      foreignKeys: [
        {
          fromTable: 'public.film_category',
          fromColumns: ['film_id'],
          toTable: 'public.film',
          toColumns: ['id'],
          inferred: false,
        },
        {
          fromTable: 'public.film_category',
          fromColumns: ['category_id'],
          toTable: 'public.category',
          toColumns: ['id'],
          inferred: false,
        },
      ],
    };
    expect(linkedEntity(films, 'public.film_category')).toBe('public.category');
  });

  it('leaves tables with facts of their own alone', () => {
    expect(linkedEntity(taggedShopSchema, 'public.orders')).toBeNull();
    expect(linkedEntity(taggedShopSchema, 'public.tags')).toBeNull();
    expect(linkedEntity(shopSchema, 'public.order_items')).toBeNull();
  });
});

describe('personNameColumns', () => {
  it('pairs a first name with its last name, in either spelling', () => {
    const customers = tableOf(taggedShopSchema, 'customers');
    expect(personNameColumns(customers, 'first_name')).toEqual(['first_name', 'last_name']);
    expect(personNameColumns(customers, 'last_name')).toEqual(['first_name', 'last_name']);
    expect(personNameColumns(customers, 'email')).toBeNull();
    const student = table('student', [col('lastname', 'text', 'text'), col('firstname', 'text', 'text')], 10);
    expect(personNameColumns(student, 'lastname')).toEqual(['firstname', 'lastname']);
    expect(personNameColumns(tableOf(shopSchema, 'customers'), 'name')).toBeNull();
  });
});

describe('entities in plans and SQL', () => {
  it('groups by the tag a link table points to, not by its ids', () => {
    for (const question of ['number of orders per order tag', 'orders by tag']) {
      const plan = planned(question);
      expect(plan.dimensions, question).toEqual([
        { ref: { table: 'public.tags', column: 'name' }, as: 'name', entity: true },
      ]);
      const sql = compilePlan(plan, taggedShopSchema).sql;
      expect(sql).toContain('JOIN tags ON order_tags.tag_id = tags.id');
      expect(sql).toContain('GROUP BY tags.name, tags.id');
    }
  });

  it('labels a person by first and last name together, still grouped by their key', () => {
    const plan = planned('top customers by sales');
    expect(plan.dimensions[0]).toMatchObject({ ref: { column: 'first_name' }, as: 'name', entity: true });
    const sql = compilePlan(plan, taggedShopSchema).sql;
    expect(sql).toContain(`SELECT concat_ws(' ', customers.first_name, customers.last_name) AS name`);
    expect(sql).toContain(`GROUP BY concat_ws(' ', customers.first_name, customers.last_name), customers.id`);
  });

  it('lists people by their whole name unless both halves are listed anyway', () => {
    const newest = compilePlan(planned('newest customers'), taggedShopSchema).sql;
    expect(newest).toMatch(
      /^SELECT concat_ws\(' ', customers.first_name, customers.last_name\) AS name, customers.created_at/,
    );
    const all = compilePlan(planned('list customers'), taggedShopSchema).sql;
    expect(all).toContain('customers.first_name, customers.last_name');
    expect(all).not.toContain('concat_ws');
  });

  it('keeps a name column that needs no partner as it is', () => {
    const sql = compilePlan(planned('top customers by sales', shopSchema), shopSchema).sql;
    expect(sql).toContain('SELECT customers.name AS name');
  });
});
