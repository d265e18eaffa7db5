import { describe, expect, it } from 'vitest';
import type { SchemaInfo } from '../../src/domain/types.ts';
import { splitHints } from '../../src/language/hints.ts';
import { readOrdering } from '../../src/language/ordering.ts';
import { Interpretation } from '../../src/pipeline/planner/interpretation.ts';
import { readComparedColumns } from '../../src/pipeline/planner/readers/comparisons.ts';
import { readGroupings } from '../../src/pipeline/planner/readers/groupings.ts';
import { readMeasure } from '../../src/pipeline/planner/readers/measure.ts';
import { readValueFilters } from '../../src/pipeline/planner/readers/valueFilters.ts';
import { col, fk, schemaOf, table } from '../fixtures/schemaBuilders.ts';
import { shopSchema } from '../fixtures/shopSchema.ts';

// Each reader of the offline planner on its own: what it places, and which words it takes so
// that the readers after it do not read them again.

function read(question: string, schema: SchemaInfo): Interpretation {
  const hints = splitHints(question);
  return new Interpretation({ schema, defaultLimit: 100 }, hints, readOrdering(hints.question));
}

const taken = (it: Interpretation) => [...it.used].map((m) => m.text);

const hr = schemaOf(
  [
    table('departments', [col('id', 'integer', 'number'), col('name', 'text', 'text')], 6),
    table(
      'employees',
      [
        col('id', 'integer', 'number'),
        col('full_name', 'text', 'text'),
        col('department_id', 'integer', 'number'),
        col('salary', 'numeric(10,2)', 'number'),
        col('level', 'text', 'text', { sampleValues: ['junior', 'senior', 'principal'] }),
      ],
      300,
    ),
  ],
  [fk('employees', 'department_id', 'departments')],
);

describe('value filters', () => {
  it('places sampled values, negated or not, and takes their words', () => {
    const reading = read('orders from Germany that are not cancelled', shopSchema);
    readValueFilters(reading);
    expect(reading.filters).toEqual([
      { ref: { table: 'public.customers', column: 'country' }, op: '=', value: 'Germany' },
      { ref: { table: 'public.orders', column: 'status' }, op: '<>', value: 'cancelled' },
    ]);
    expect(taken(reading)).toEqual(expect.arrayContaining(['germany', 'not', 'cancelled']));
  });

  it('reads a value of another schema the same way', () => {
    const reading = read('senior employees', hr);
    readValueFilters(reading);
    expect(reading.filters).toEqual([
      { ref: { table: 'public.employees', column: 'level' }, op: '=', value: 'senior' },
    ]);
  });
});

describe('groupings', () => {
  it('groups by a named column and leaves the money word to the measure', () => {
    const reading = read('revenue by country', shopSchema);
    expect(readGroupings(reading)).toBeUndefined();
    expect(reading.dims.map((d) => d.ref)).toEqual([{ table: 'public.customers', column: 'country' }]);
    expect(taken(reading)).not.toContain('revenue');
  });

  it('reads "by <money>" after a ranking as what to rank by, the ranked things as the groups', () => {
    const reading = read('top 5 products by revenue', shopSchema);
    expect(readGroupings(reading)?.text).toBe('revenue');
    expect(reading.dims.map((d) => d.ref.table)).toEqual(['public.products']);
  });
});

describe('measure', () => {
  it('takes a compared column before the measure readers, so it is not also added up', () => {
    const reading = read('employees with a salary above 100000', hr);
    readComparedColumns(reading);
    expect([...reading.compared.values()]).toEqual([{ table: 'public.employees', column: 'salary' }]);
    expect(readMeasure(reading, undefined)).toEqual({
      measure: null,
      listing: { table: 'public.employees' },
    });
  });

  it('reads an average of related rows per entity as one average over the entities', () => {
    const reading = read('average orders per customer', shopSchema);
    readGroupings(reading);
    const pick = readMeasure(reading, undefined);
    expect(pick.measure).toMatchObject({
      agg: 'avg',
      expr: { kind: 'related', table: 'public.customers', rows: 'public.orders' },
    });
    expect(reading.unplaced).toEqual([]);
  });
});
