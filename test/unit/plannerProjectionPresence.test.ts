// Listings that name the columns to show, and conditions that a column is set or not: on the
// demo shop and on a student-records schema.
import { describe, expect, it } from 'vitest';
import { col, fk, schemaOf, table } from '../fixtures/schemaBuilders.ts';
import { shopSchema } from '../fixtures/shopSchema.ts';
import { offlinePlanner } from '../helpers/offlinePlanner.ts';

const shop = offlinePlanner(shopSchema);
const students = offlinePlanner(
  schemaOf(
    [
      table('program', [col('id', 'integer', 'number'), col('name', 'text', 'text')], 12),
      table(
        'student',
        [
          col('id', 'integer', 'number'),
          col('firstname', 'text', 'text'),
          col('lastname', 'text', 'text'),
          col('program_id', 'integer', 'number'),
          col('declare_major', 'text', 'text', { nullable: true }),
          col('minor', 'text', 'text', { nullable: true }),
          col('total_credit', 'integer', 'number', { nullable: true }),
        ],
        3000,
      ),
    ],
    [fk('student', 'program_id', 'program')],
  ),
);

const shown = (p: { select?: { column: string }[] }) => p.select?.map((s) => s.column);

describe('columns a listing is asked to show', () => {
  it('shows the columns named before the rows, each row by its label', () => {
    expect(shown(shop.plan('list the names and emails of customers in Germany'))).toEqual(['name', 'email']);
    expect(shown(shop.plan('what is the email of customers in Berlin'))).toEqual(['name', 'email']);
    expect(shown(shop.plan('show orders with their status'))).toEqual(['id', 'status']);
  });

  it('shows columns asked for after a show word, beside a ranking', () => {
    expect(shown(shop.plan('customers in Berlin, show their email'))).toEqual(['name', 'email']);
    const p = shop.plan('name and city of the 5 newest customers');
    expect(shown(p)).toEqual(['name', 'created_at', 'city']);
    expect(p.limit).toBe(5);
  });

  it('does not show a column named after the rows as a condition on them', () => {
    expect(() => students.plan('students who have a total credit')).toThrow();
    expect(
      shown(students.plan('Which students have declared a minor? List their firstname and lastname.')),
    ).toEqual(['id', 'firstname', 'lastname']);
  });
});

describe('a column that is set or not', () => {
  it('reads "with", "have" and "without" before a column as IS NOT NULL and IS NULL', () => {
    expect(shop.plan('customers with an email').filters).toEqual([
      { ref: { table: 'public.customers', column: 'email' }, op: 'not_null' },
    ]);
    expect(shop.plan('how many customers have no email').filters).toEqual([
      { ref: { table: 'public.customers', column: 'email' }, op: 'is_null' },
    ]);
    expect(shop.plan('customers who do not have an email').filters[0]).toMatchObject({ op: 'is_null' });
  });

  it('reads the verb between as the way of saying it ("have declared a major")', () => {
    const p = students.plan('How many students have declared a major in each program?');
    expect(p.filters).toEqual([
      { ref: { table: 'public.student', column: 'declare_major' }, op: 'not_null' },
    ]);
    expect(p.dimensions.map((d) => d.ref.table)).toEqual(['public.program']);
  });

  it('leaves a number column (unset, or 0?) and a value that follows the column to other readers', () => {
    expect(() => students.plan('students with total credit')).toThrow(/total credit/);
    expect(shop.plan('orders with status shipped').filters).toEqual([
      { ref: { table: 'public.orders', column: 'status' }, op: '=', value: 'shipped' },
    ]);
  });
});

describe('the names of things and a measure of their own', () => {
  it('groups by the things whose names are asked, with "their" or "each"', () => {
    expect(shop.sql('customer names and their total revenue')).toMatch(
      /^SELECT customers\.name AS name, SUM\(orders\.total\) AS revenue[\s\S]*GROUP BY customers\.name, customers\.id/,
    );
    const p = shop.plan('product names and how many orders each has');
    expect(p.dimensions.map((d) => d.ref)).toEqual([{ table: 'public.products', column: 'name' }]);
  });

  it('does not group by names that belong to no table said with them', () => {
    expect(() => shop.plan('names and their revenue')).toThrow(/names/);
  });
});

describe('counting words before an amount', () => {
  it('adds up a number column named right after "the total number of", its verb read with it', () => {
    const p = students.plan('What is the total number of credits earned by students in each program?');
    expect(p.measures).toEqual([
      {
        agg: 'sum',
        expr: { kind: 'column', ref: { table: 'public.student', column: 'total_credit' } },
        as: 'total_credit',
      },
    ]);
    expect(p.dimensions.map((d) => d.ref.table)).toEqual(['public.program']);
  });

  it('still counts rows when the words after name a table', () => {
    expect(students.plan('the total number of students in each program').measures[0]).toMatchObject({
      agg: 'count',
    });
  });
});
