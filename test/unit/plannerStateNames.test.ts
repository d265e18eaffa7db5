import { describe, expect, it } from 'vitest';
import { NotUnderstood } from '../../src/errors.ts';
import { planOffline } from '../../src/pipeline/planner/offline.ts';
import type { SchemaInfo } from '../../src/pipeline/types.ts';
import { col, table } from '../fixtures/schemaBuilders.ts';

// A state column that keeps postal codes answers to the states' names; a column of other codes
// that happen to look alike does not.
const schema = (column: string): SchemaInfo => ({
  database: 'places',
  fingerprint: column,
  searchPath: ['public'],
  discoveredAt: '2026-12-01T00:00:00Z',
  tables: [
    table(
      'business',
      [
        col('id', 'integer', 'number'),
        col('name', 'text', 'text'),
        col(column, 'text', 'text', { sampleValues: ['CA', 'NY', 'IN'] }),
      ],
      100,
    ),
  ],
  foreignKeys: [],
});

const plan = (q: string, column: string) =>
  planOffline(q, { schema: schema(column), defaultLimit: 100 }).plan;

describe('US states by name', () => {
  it('reads a state name as the code a state column keeps', () => {
    expect(plan('how many businesses in the state of California', 'state').filters).toEqual([
      { ref: { table: 'public.business', column: 'state' }, op: '=', value: 'CA' },
    ]);
    expect(plan('businesses in New York or Indiana', 'state').filters).toEqual([
      { ref: { table: 'public.business', column: 'state' }, op: 'in', value: ['NY', 'IN'] },
    ]);
  });

  it('does not read it on a column that is not a state', () => {
    expect(() => plan('how many businesses in California', 'region_code')).toThrow(NotUnderstood);
  });
});
