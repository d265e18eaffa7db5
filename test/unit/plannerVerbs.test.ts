// Verbs that only say how a thing is put ("placed", "brings in", "sitting in") are read past,
// even where a column's comment uses them; and headline nouns of several words are pluralised
// on their head word.
import { describe, expect, it } from 'vitest';
import { plural } from '../../src/pipeline/headline/nouns.ts';
import { col, fk, schemaOf, table } from '../fixtures/schemaBuilders.ts';
import { offlinePlanner } from '../helpers/offlinePlanner.ts';

const shop = offlinePlanner(
  schemaOf(
    [
      table('customers', [col('id', 'integer', 'number'), col('name', 'text', 'text')], 1000),
      table(
        'orders',
        [
          col('id', 'integer', 'number'),
          col('customer_id', 'integer', 'number'),
          col('total', 'numeric(12,2)', 'number'),
          col('created_at', 'timestamp with time zone', 'timestamp', {
            comment: 'when the customer placed the order',
          }),
        ],
        50000,
      ),
    ],
    [fk('orders', 'customer_id', 'customers')],
  ),
);

describe('verbs that only say how', () => {
  it('reads "placed" before a threshold on a count, though a comment uses it', () => {
    expect(shop.plan('How many customers placed more than 5 orders?').relatedCounts).toEqual([
      { table: 'public.orders', op: '>', value: 5 },
    ]);
  });

  it('reads "brings in" before an amount', () => {
    expect(shop.plan('which customer brings in the most money').measures[0]).toMatchObject({ agg: 'sum' });
  });
});

describe('plurals of headline nouns', () => {
  it('pluralises the head word of a phrase', () => {
    expect(plural('day of the week')).toBe('days of the week');
    expect(plural('order item')).toBe('order items');
  });
});
