import { describe, expect, it } from 'vitest';
import { compilePlan } from '../../src/pipeline/compile.ts';
import { planOffline } from '../../src/pipeline/planner/offline.ts';
import type { SchemaInfo } from '../../src/pipeline/types.ts';
import { col, table } from '../fixtures/schemaBuilders.ts';

// Two number columns share a word ("cost"): the one more of the question's words name is meant.
const schema: SchemaInfo = {
  database: 'fares',
  fingerprint: 'fares',
  searchPath: ['public'],
  discoveredAt: '2026-12-01T00:00:00Z',
  tables: [
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
  foreignKeys: [],
};

const sql = (q: string) =>
  compilePlan(planOffline(q, { schema, defaultLimit: 100 }).plan, schema, {
    defaultLimit: 100,
    maxRows: 1000,
  }).sql;

describe('a number column named by several words', () => {
  it('takes the column the other words name too', () => {
    expect(sql('total cost of round-trip fares from JFK')).toMatch(/^SELECT SUM\(fare\.round_trip_cost\)/);
    expect(sql('total one direction cost of fares from JFK')).toMatch(
      /^SELECT SUM\(fare\.one_direction_cost\)/,
    );
  });
});
