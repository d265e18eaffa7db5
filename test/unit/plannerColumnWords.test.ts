import { describe, expect, it } from 'vitest';
import { planOffline } from '../../src/pipeline/planner/offline.ts';
import { SchemaLexicon } from '../../src/pipeline/planner/schemaLexicon.ts';
import { col, schemaOf, table } from '../fixtures/schemaBuilders.ts';
import { shopSchema } from '../fixtures/shopSchema.ts';
import { offlinePlanner } from '../helpers/offlinePlanner.ts';

// Two number columns share a word ("cost"): the one more of the question's words name is meant.
const schema = schemaOf(
  [
    table(
      'fare',
      [
        col('id', 'integer', 'number'),
        col('from_airport', 'text', 'text', { sampleValues: ['JFK', 'LAX'] }),
        col('one_direction_cost', 'integer', 'number'),
        col('round_trip_cost', 'integer', 'number'),
      ],
      500,
    ),
  ],
  [],
  'fares',
);

const { sql } = offlinePlanner(schema);

describe('a number column named by several words', () => {
  it('takes the column the other words name too', () => {
    expect(sql('total cost of round-trip fares from JFK')).toMatch(/^SELECT SUM\(fare\.round_trip_cost\)/);
    expect(sql('total one direction cost of fares from JFK')).toMatch(
      /^SELECT SUM\(fare\.one_direction_cost\)/,
    );
  });
});

describe('a column named with the name of its table run in', () => {
  const venues = schemaOf([
    table('venue', [col('venueid', 'integer', 'number'), col('venuename', 'text', 'text')], 40),
  ]);

  it('answers to its own word, and to the name of the table with it', () => {
    const lexicon = new SchemaLexicon(venues);
    const ref = { table: 'public.venue', column: 'venuename' };
    for (const phrase of [['name'], ['venue', 'name']])
      expect(lexicon.lookup(phrase).some((r) => r.kind === 'column' && r.ref.column === ref.column)).toBe(
        true,
      );
    // A key keeps standing for its table.
    expect(lexicon.lookup(['id'])).toEqual([]);
  });
});

describe('a period named again', () => {
  it('reads "that year" after a year as the same year, not a grouping by year', () => {
    const p = planOffline(
      'Which customer had the most orders in 2025 and how many orders did they have that year?',
      {
        schema: shopSchema,
        defaultLimit: 100,
      },
    );
    expect(p.plan.dimensions.map((d) => d.ref)).toEqual([{ table: 'public.customers', column: 'name' }]);
    expect(p.plan.timeRange).toMatchObject({ kind: 'absolute', from: '2025-01-01', to: '2026-01-01' });
  });
});
