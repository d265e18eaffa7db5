// Values in quotes that no sample holds: matched on the column the words before name, else on
// the name of the table named there — on the demo shop and a papers schema.
import { describe, expect, it } from 'vitest';
import { col, fk, schemaOf, table } from '../fixtures/schemaBuilders.ts';
import { shopSchema } from '../fixtures/shopSchema.ts';
import { offlinePlanner } from '../helpers/offlinePlanner.ts';

const shop = offlinePlanner(shopSchema);
const papers = offlinePlanner(
  schemaOf(
    [
      table('journal', [col('id', 'integer', 'number'), col('journalname', 'text', 'text')], 400),
      table(
        'paper',
        [
          col('id', 'integer', 'number'),
          col('title', 'text', 'text'),
          col('journal_id', 'integer', 'number'),
        ],
        90000,
      ),
    ],
    [fk('paper', 'journal_id', 'journal')],
  ),
);

const like = (table: string, column: string, value: string) => ({
  ref: { table: `public.${table}`, column },
  op: 'like',
  value,
});

describe('quoted values', () => {
  it('matches a name after "named" or "called" on the named table, ignoring case', () => {
    expect(shop.plan('orders of the customer named "Ada Lovelace"').filters).toEqual([
      like('customers', 'name', 'Ada Lovelace'),
    ]);
    expect(shop.sql('how many products called "Desk Lamp"')).toContain("products.name ILIKE '%Desk Lamp%'");
  });

  it('matches a part of a name: "with … in its name"', () => {
    const p = papers.plan(
      'How many papers were published in the journal with "IEEE Transactions" in its name?',
    );
    expect(p.filters).toEqual([like('journal', 'journalname', 'IEEE Transactions')]);
    expect(p.measures[0]).toMatchObject({ agg: 'count', expr: { table: 'public.paper' } });
  });

  it('matches on a column named before the value ("with the title …")', () => {
    expect(papers.plan('papers with the title "Deep Residual Learning"').filters).toEqual([
      like('paper', 'title', 'Deep Residual Learning'),
    ]);
  });

  it('leaves a sampled value to the value reader, and a quote with nothing named before it unread', () => {
    expect(shop.plan('products in "Books"').filters).toEqual([
      { ref: { table: 'public.products', column: 'category' }, op: '=', value: 'Books' },
    ]);
    expect(() => shop.plan("how many orders for 'Ada Lovelace'")).toThrow(/ada/);
  });

  it('matches a key written after "ID" whole, on the table named before it', () => {
    expect(papers.plan('how many papers for the journal with ID "42"').filters).toEqual([
      { ref: { table: 'public.journal', column: 'id' }, op: '=', value: 42 },
    ]);
    expect(() => papers.plan('how many papers for the journal with ID "abc"')).toThrow();
  });
});
