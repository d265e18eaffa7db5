import { describe, expect, it } from 'vitest';
import type { CatalogColumn, CatalogRelation } from '../../src/pipeline/schema/catalog.ts';
import {
  isLowCardinality,
  LOW_CARDINALITY_MAX,
  MAX_SAMPLED_COLUMNS,
  MAX_SAMPLED_TABLE_BYTES,
  SMALL_TABLE_ROWS,
  sampleTargets,
} from '../../src/pipeline/schema/samples.ts';
import { columnKey, distinctFromStats, tableInfo } from '../../src/pipeline/schema/tables.ts';
import { valueKindOf } from '../../src/pipeline/schema/valueKind.ts';

function catalogColumn(name: string, extra: Partial<CatalogColumn> = {}): CatalogColumn {
  return {
    name,
    type: 'text',
    baseType: 'text',
    category: 'S',
    notNull: false,
    comment: null,
    readable: true,
    enumValues: null,
    nDistinct: null,
    commonValues: null,
    ...extra,
  };
}

function relation(
  name: string,
  columns: CatalogColumn[],
  extra: Partial<CatalogRelation> = {},
): CatalogRelation {
  return {
    schema: 'public',
    name,
    kind: 'r',
    comment: null,
    rowEstimate: 0,
    unanalyzedBytes: null,
    columns,
    primaryKey: [],
    foreignKeys: [],
    indexes: [],
    ...extra,
  };
}

describe('valueKindOf', () => {
  it.each([
    ['int2', 'N', 'number'],
    ['int4', 'N', 'number'],
    ['int8', 'N', 'number'],
    ['numeric', 'N', 'number'],
    ['float8', 'N', 'number'],
    ['money', 'N', 'number'],
    ['text', 'S', 'text'],
    ['varchar', 'S', 'text'],
    ['bpchar', 'S', 'text'],
    ['citext', 'S', 'text'],
    ['uuid', 'U', 'text'],
    ['order_status', 'E', 'text'],
    ['timestamptz', 'D', 'timestamp'],
    ['timestamp', 'D', 'timestamp'],
    ['date', 'D', 'date'],
    ['bool', 'B', 'boolean'],
    ['json', 'U', 'json'],
    ['jsonb', 'U', 'json'],
    ['interval', 'T', 'other'],
    ['_int4', 'A', 'other'],
    ['oid', 'N', 'other'],
    ['bytea', 'U', 'other'],
  ])('%s (%s) is %s', (typeName, category, kind) => {
    expect(valueKindOf(typeName, category)).toBe(kind);
  });
});

describe('distinctFromStats', () => {
  it('reads positive n_distinct as a count and negative as a share of the rows', () => {
    expect(distinctFromStats(12, 1000)).toBe(12);
    expect(distinctFromStats(-0.5, 1000)).toBe(500);
    expect(distinctFromStats(-1, 250)).toBe(250);
  });

  it('is unknown without statistics or with n_distinct 0', () => {
    expect(distinctFromStats(null, 1000)).toBeUndefined();
    expect(distinctFromStats(0, 1000)).toBeUndefined();
  });
});

describe('isLowCardinality', () => {
  it('wants few values that repeat', () => {
    expect(isLowCardinality(4, 1000)).toBe(true);
    expect(isLowCardinality(500, 1000)).toBe(false);
    expect(isLowCardinality(100, 200)).toBe(true);
    expect(isLowCardinality(101, 200)).toBe(false);
    expect(isLowCardinality(LOW_CARDINALITY_MAX, 1_000_000)).toBe(true);
    expect(isLowCardinality(LOW_CARDINALITY_MAX + 1, 1_000_000)).toBe(false);
    expect(isLowCardinality(0, 100)).toBe(false);
  });

  it('keeps every name of a small lookup table (its names are vocabulary)', () => {
    expect(isLowCardinality(5, 5)).toBe(true);
    expect(isLowCardinality(SMALL_TABLE_ROWS, SMALL_TABLE_ROWS)).toBe(true);
    expect(isLowCardinality(SMALL_TABLE_ROWS + 1, SMALL_TABLE_ROWS + 1)).toBe(false);
  });
});

describe('sampleTargets', () => {
  it('takes readable string and enum columns without statistics of small never-analyzed tables', () => {
    const small = relation(
      'small',
      [
        catalogColumn('id', { type: 'integer', baseType: 'int4', category: 'N' }),
        catalogColumn('country'),
        catalogColumn('mood', { type: 'mood', baseType: 'mood', category: 'E' }),
        catalogColumn('secret', { readable: false }),
        catalogColumn('code', { type: 'uuid', baseType: 'uuid', category: 'U' }),
        catalogColumn('added_later', { nDistinct: 3 }),
      ],
      { unanalyzedBytes: 8192 },
    );
    const analyzed = relation('analyzed', [catalogColumn('country')], { unanalyzedBytes: null });
    const empty = relation('empty', [catalogColumn('country')], { unanalyzedBytes: 0 });
    const big = relation('big', [catalogColumn('country')], { unanalyzedBytes: MAX_SAMPLED_TABLE_BYTES + 1 });
    const targets = sampleTargets([small, analyzed, empty, big]);
    expect(targets.map((t) => `${t.relation.name}.${t.column.name}`)).toEqual([
      'small.country',
      'small.mood',
    ]);
  });

  it(`stops at ${MAX_SAMPLED_COLUMNS} columns`, () => {
    const wide = relation(
      'wide',
      Array.from({ length: MAX_SAMPLED_COLUMNS + 10 }, (_, i) => catalogColumn(`c${i}`)),
      { unanalyzedBytes: 8192 },
    );
    expect(sampleTargets([wide])).toHaveLength(MAX_SAMPLED_COLUMNS);
  });
});

describe('tableInfo', () => {
  const columns = [
    catalogColumn('id', { type: 'integer', baseType: 'int4', category: 'N', notNull: true, nDistinct: -1 }),
    catalogColumn('status', { nDistinct: 3, commonValues: ['paid', 'open', 'void'], comment: 'order state' }),
    catalogColumn('email', { nDistinct: -1, commonValues: null }),
    catalogColumn('city', { nDistinct: -0.4, commonValues: ['Berlin', 'Paris'] }),
  ];

  it('maps statistics to distinct estimates and keeps common values of low-cardinality columns only', () => {
    const t = tableInfo(relation('orders', columns, { rowEstimate: 1000, primaryKey: ['id'] }), new Map());
    expect(t).toEqual({
      key: 'public.orders',
      schema: 'public',
      name: 'orders',
      kind: 'table',
      rowEstimate: 1000,
      primaryKey: ['id'],
      indexes: [],
      columns: [
        {
          name: 'id',
          type: 'integer',
          kind: 'number',
          nullable: false,
          isPrimaryKey: true,
          distinctEstimate: 1000,
        },
        {
          name: 'status',
          type: 'text',
          kind: 'text',
          nullable: true,
          isPrimaryKey: false,
          comment: 'order state',
          distinctEstimate: 3,
          sampleValues: ['paid', 'open', 'void'],
        },
        {
          name: 'email',
          type: 'text',
          kind: 'text',
          nullable: true,
          isPrimaryKey: false,
          distinctEstimate: 1000,
        },
        {
          name: 'city',
          type: 'text',
          kind: 'text',
          nullable: true,
          isPrimaryKey: false,
          distinctEstimate: 400,
        },
      ],
    });
    expect(Object.keys(t)).not.toContain('comment');
  });

  it('prefers values read from a never-analyzed table, and its counted rows', () => {
    const r = relation('orders', columns.slice(0, 2), { unanalyzedBytes: 8192, comment: 'all orders' });
    const samples = new Map([
      [columnKey('public.orders', 'status'), { values: ['open'], distinct: 1, rows: 7 }],
    ]);
    const t = tableInfo(r, samples);
    expect(t.rowEstimate).toBe(7);
    expect(t.comment).toBe('all orders');
    expect(t.columns[1]).toMatchObject({ sampleValues: ['open'], distinctEstimate: 1 });
  });

  it('gives a unique sampled column of a larger table no sample values', () => {
    const r = relation('orders', [catalogColumn('email')], { unanalyzedBytes: 8192 });
    const samples = new Map([
      [columnKey('public.orders', 'email'), { values: ['a@x', 'b@x'], distinct: 200, rows: 200 }],
    ]);
    expect(tableInfo(r, samples).columns[0]).toEqual({
      name: 'email',
      type: 'text',
      kind: 'text',
      nullable: true,
      isPrimaryKey: false,
      distinctEstimate: 200,
    });
  });
});
