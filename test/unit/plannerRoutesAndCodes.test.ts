// Lookup tables keyed by a code (`airline.airline_code`), values said with the way they go
// ("from LAX to ORD"), and rankings by a number column ("by review count", "in terms of").
import { describe, expect, it } from 'vitest';
import type { SchemaInfo, TableInfo } from '../../src/domain/types.ts';
import { planOffline } from '../../src/pipeline/planner/offline.ts';
import { identifyingKey } from '../../src/pipeline/schema/identity.ts';
import { inferForeignKeys } from '../../src/pipeline/schema/inferredKeys.ts';
import { col, schemaOf } from '../fixtures/schemaBuilders.ts';
import { shopSchema } from '../fixtures/shopSchema.ts';
import { offlinePlanner } from '../helpers/offlinePlanner.ts';

const keyless = (name: string, columns: TableInfo['columns'], rows = 100): TableInfo => ({
  key: `public.${name}`,
  schema: 'public',
  name,
  kind: 'table',
  rowEstimate: rows,
  columns,
  primaryKey: [],
  indexes: [],
});
const airports = ['LAX', 'ORD', 'JFK'];
const tables = [
  keyless('airline', [col('airline_code', 'text', 'text'), col('airline_name', 'text', 'text')], 10),
  keyless('flight', [
    col('flight_id', 'bigint', 'number'),
    col('airline_code', 'text', 'text'),
    col('from_airport', 'text', 'text', { sampleValues: airports }),
    col('to_airport', 'text', 'text', { sampleValues: airports }),
  ]),
  keyless('business', [
    col('business_id', 'text', 'text'),
    col('name', 'text', 'text'),
    col('review_count', 'bigint', 'number'),
  ]),
];
const schema: SchemaInfo = schemaOf(tables, inferForeignKeys(tables, [], ['public']), 'flights');
const { plan } = offlinePlanner(schema);

describe('codes as keys', () => {
  it('takes `<entity>_code` as the key of a table that declares none, so references to it join', () => {
    expect(identifyingKey(tables[0]!)).toEqual(['airline_code']);
    expect(schema.foreignKeys).toContainEqual(
      expect.objectContaining({
        fromTable: 'public.flight',
        toTable: 'public.airline',
        toColumns: ['airline_code'],
      }),
    );
    expect(plan('which airlines have flights from LAX').baseTable).toBe('public.airline');
  });
});

describe('values said with the way they go', () => {
  it('puts "from" and "to" values on the columns named for them', () => {
    expect(plan('flights from LAX to ORD').filters).toEqual([
      { ref: { table: 'public.flight', column: 'from_airport' }, op: '=', value: 'LAX' },
      { ref: { table: 'public.flight', column: 'to_airport' }, op: '=', value: 'ORD' },
    ]);
  });

  it('does not read two values of one column joined by "to" as either of them', () => {
    const shop = offlinePlanner(shopSchema);
    expect(() => shop.plan('orders from Germany to France')).toThrow(/Germany to France/);
    expect(shop.plan('customers in Germany and France').filters[0]).toMatchObject({ op: 'in' });
  });
});

describe('ranking by a number column', () => {
  it('reads "by <number column>" and "in terms of" after a ranking as what to rank by', () => {
    for (const q of ['top 3 businesses by review count', 'the top 3 businesses in terms of review count']) {
      const p = planOffline(q, { schema, defaultLimit: 100 }).plan;
      expect(p.orderBy).toEqual([{ by: 'review_count', dir: 'desc' }]);
      expect(p.limit).toBe(3);
    }
  });
});
