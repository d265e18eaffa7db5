// The doctor's summary of what the role reads: tables, partitions, views and materialized views
// counted apart, per schema and in all.
import { describe, expect, it } from 'vitest';
import { describeReadable, describeTotal, type Inventory } from '../../src/doctor/inventory.ts';

const rows: Inventory[] = [
  { schema: 'public', kind: 'view', readable: 1, total: 2 },
  { schema: 'public', kind: 'table', readable: 3, total: 3 },
  { schema: 'public', kind: 'partition', readable: 12, total: 12 },
  { schema: 'sales', kind: 'materialized view', readable: 1, total: 1 },
  { schema: 'hr', kind: 'table', readable: 0, total: 4 },
];

describe('doctor inventory', () => {
  it('names each kind apart, in a fixed order, and leaves out schemas read not at all', () => {
    expect(describeReadable(rows)).toEqual([
      'public: 3 of 3 tables, 12 of 12 partitions, 1 of 2 views',
      'sales: 1 of 1 materialized view',
    ]);
  });

  it('totals every kind, readable or not', () => {
    expect(describeTotal(rows)).toBe('7 tables, 12 partitions, 2 views and 1 materialized view');
    expect(describeTotal([{ schema: 'a', kind: 'foreign table', readable: 0, total: 1 }])).toBe(
      '1 foreign table',
    );
  });
});
