import { describe, expect, it } from 'vitest';
import { trapsFor } from '../../src/eval/traps.ts';
import { shopSchema } from '../fixtures/shopSchema.ts';

const traps = (q: string, planned = ['public.customers']) =>
  Object.fromEntries(trapsFor(q, shopSchema, planned).map((t) => [t.kind, t.question]));

describe('trap questions', () => {
  it('inserts one part of each kind, keeping the closing punctuation', () => {
    expect(traps('How many customers are in Germany?')).toEqual({
      negation: 'How many customers are not in Germany?',
      number: 'How many customers are in Germany, top 7?',
      threshold: 'How many customers are in Germany with a total above 1000?',
      per: 'How many customers are in Germany per order?',
      period: 'How many customers are in Germany in the second quarter of 2023?',
    });
  });

  it('inserts "distinct" only before a column, where it changes the count', () => {
    expect(traps('How many countries do we sell to?').distinct).toBe(
      'How many distinct countries do we sell to?',
    );
    expect(traps('How many orders did we get?').distinct).toBeUndefined();
  });

  it('leaves out a negation or a number the question already has', () => {
    expect(traps('customers without orders').negation).toBeUndefined();
    expect(traps('top 5 customers').number).toBeUndefined();
  });

  it('says "per" an entity neither the question nor its plan is about', () => {
    expect(traps('How many orders?', ['public.orders']).per).toBe('How many orders per customer?');
  });
});
