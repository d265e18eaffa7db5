import { describe, expect, it } from 'vitest';
import { NotUnderstood } from '../../src/errors.ts';
import { col, schemaOf, table } from '../fixtures/schemaBuilders.ts';
import { offlinePlanner } from '../helpers/offlinePlanner.ts';

// A state column that keeps postal codes answers to the states' names; a column of other codes
// that happen to look alike does not.
const schema = (column: string) =>
  schemaOf(
    [
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
    [],
    column,
  );

const plan = (q: string, column: string) => offlinePlanner(schema(column)).plan(q);

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
