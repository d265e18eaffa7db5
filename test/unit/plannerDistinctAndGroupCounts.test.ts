// Categories listed as their values, each once; thresholds on each group's count; and "how much
// did we sell", which says neither units nor money — on the demo shop and a catalogue schema.
import { describe, expect, it } from 'vitest';
import { compilePlan } from '../../src/pipeline/compile.ts';
import { describePlan } from '../../src/pipeline/headline.ts';
import { col, fk, schemaOf, table } from '../fixtures/schemaBuilders.ts';
import { shopSchema } from '../fixtures/shopSchema.ts';
import { offlinePlanner } from '../helpers/offlinePlanner.ts';

const shop = offlinePlanner(shopSchema);
const librarySchema = schemaOf(
  [
    table('authors', [col('id', 'integer', 'number'), col('name', 'text', 'text')], 400),
    table(
      'books',
      [
        col('id', 'integer', 'number'),
        col('title', 'text', 'text'),
        col('genre', 'text', 'text', { sampleValues: ['Poetry', 'Crime', 'History'] }),
        col('author_id', 'integer', 'number'),
      ],
      9000,
    ),
  ],
  [fk('books', 'author_id', 'authors')],
);
const library = offlinePlanner(librarySchema);

describe('categories as their values', () => {
  it('lists each category once, in order, and says what they are', () => {
    const p = shop.plan('List all product categories');
    expect([p.distinct, p.select]).toEqual([true, [{ table: 'public.products', column: 'category' }]]);
    expect(shop.sql('List all product categories')).toMatch(
      /^SELECT DISTINCT products\.category\nFROM products\nORDER BY products\.category ASC/,
    );
    expect(describePlan(p)).toBe('Categories of products');
    expect(library.plan('which genres do the books have').distinct).toBe(true);
  });

  it('keeps one row per thing for names and for "with their"', () => {
    expect(shop.plan('list the names and emails of customers in Germany').distinct).toBeUndefined();
    expect(shop.plan('show orders with their status').distinct).toBeUndefined();
  });
});

describe('thresholds on a group count', () => {
  it('keeps the groups whose count passes, not rows whose amount does', () => {
    const p = shop.plan('which categories have more than 20 products');
    expect(p.having).toEqual([{ measure: 'products', op: '>', value: 20 }]);
    expect(p.filters).toEqual([]);
    const sql = compilePlan(library.plan('which genres have more than 100 books'), librarySchema).sql;
    expect(sql).toContain('HAVING COUNT(*) > 100');
  });

  it('asks rather than compare a column when the number counts the rows themselves', () => {
    expect(() => shop.plan('products with more than 20 products')).toThrow(/more than 20/);
  });
});

describe('how much did we sell', () => {
  it('asks whether units or money are meant', () => {
    expect(() => shop.plan('How much did we sell last week?')).toThrow(/how much … sell/);
    expect(shop.plan('top selling products').measures[0]).toMatchObject({ concept: 'quantity' });
  });
});
