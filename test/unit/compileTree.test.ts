// The compiler's decisions, read from the tree a plan lowers to rather than from SQL text: which
// tables are joined, when a one-to-many join makes measures go over a distinct base, EXISTS for
// presence and absence, correlated counts, HAVING for thresholds on totals. On the demo shop and
// on a clinic schema the compiler has no other test for.
import { describe, expect, it } from 'vitest';
import type { Measure, QueryPlan } from '../../src/domain/types.ts';
import { lowerPlan } from '../../src/pipeline/compile/lower.ts';
import { printQuery } from '../../src/pipeline/compile/printTree.ts';
import type { LoweredQuery, SelectTree, Sql } from '../../src/pipeline/compile/selectTree.ts';
import { SqlWriter } from '../../src/pipeline/compile/sqlWriter.ts';
import { col, fk, schemaOf, table } from '../fixtures/schemaBuilders.ts';
import { shopSchema } from '../fixtures/shopSchema.ts';

const int = (name: string) => col(name, 'integer', 'number');
const text = (name: string) => col(name, 'text', 'text');
const clinic = schemaOf(
  [
    table('patients', [int('id'), text('name')], 500),
    table('doctors', [int('id'), text('specialty')], 20),
    table('visits', [int('id'), int('patient_id'), int('doctor_id'), col('cost', 'numeric', 'number')], 4000),
    table('prescriptions', [int('id'), int('visit_id'), text('drug')], 9000),
  ],
  [
    fk('visits', 'patient_id', 'patients'),
    fk('visits', 'doctor_id', 'doctors'),
    fk('prescriptions', 'visit_id', 'visits'),
  ],
  'clinic',
);

const T = (name: string) => `public.${name}`;
const ref = (t: string, column: string) => ({ table: T(t), column });
type PlanParts = Partial<QueryPlan> & Pick<QueryPlan, 'baseTable'>;
const plan = (p: PlanParts): QueryPlan => ({
  measures: [],
  dimensions: [],
  filters: [],
  ...p,
});
const sum = (t: string, column: string, as: string): Measure => ({
  agg: 'sum',
  expr: { kind: 'column', ref: ref(t, column) },
  as,
});
const rows = (t: string, as: string): Measure => ({ agg: 'count', expr: { kind: 'rows', table: T(t) }, as });
const onClinic = (p: PlanParts) => lowerPlan(plan(p), clinic);
const onShop = (p: PlanParts) => lowerPlan(plan(p), shopSchema);
/** The clinic's visit costs grouped by one column. */
const visitCostBy = (t: string, column: string, more: Partial<QueryPlan> = {}) =>
  onClinic({
    baseTable: T('visits'),
    measures: [sum('visits', 'cost', 'cost')],
    dimensions: [{ ref: ref(t, column), as: column }],
    ...more,
  });
/** A fragment with its bound values written in, as people read it. */
const readable = (q: LoweredQuery, sql: Sql) => new SqlWriter(q.params).readable(sql);
const joinedTables = (tree: SelectTree) =>
  tree.from.kind === 'table' ? tree.from.joins.map((j) => j.source.table) : [];

describe('lowering: measures across one-to-many joins', () => {
  it('takes a header sum grouped by a line attribute over a distinct base of the headers', () => {
    const { tree } = onShop({
      baseTable: T('orders'),
      measures: [sum('orders', 'total', 'sales')],
      dimensions: [{ ref: ref('products', 'category'), as: 'category' }],
    });
    if (tree.from.kind !== 'base') throw new Error('expected a distinct base');
    const base = tree.from.query;
    expect(base.distinct).toBe(true);
    expect(base.select).toEqual([
      { expr: 'orders.id', as: '__k0' },
      { expr: 'products.category', as: 'category' },
      { expr: 'orders.total', as: '__m0' },
    ]);
    expect(joinedTables(base)).toEqual([T('order_items'), T('products')]);
    expect(tree.select).toEqual([
      { expr: 'category' },
      { expr: { kind: 'aggregate', fn: 'sum', distinct: false, arg: '__m0', filter: [] }, as: 'sales' },
    ]);
    expect(tree.groupBy).toEqual(['category']);
  });

  it('does the same on another schema, and joins a many-to-one grouping straight', () => {
    expect(visitCostBy('prescriptions', 'drug').tree.from.kind).toBe('base');
    const bySpecialty = visitCostBy('doctors', 'specialty').tree;
    expect(bySpecialty.from.kind).toBe('table');
    expect(joinedTables(bySpecialty)).toEqual([T('doctors')]);
    expect(bySpecialty.select[1]).toEqual({
      expr: { kind: 'aggregate', fn: 'sum', distinct: false, arg: 'visits.cost', filter: [] },
      as: 'cost',
    });
  });

  it('counts the distinct keys of the measured rows when a count is grouped across the join', () => {
    const { tree } = onClinic({
      baseTable: T('visits'),
      measures: [rows('visits', 'visits')],
      dimensions: [{ ref: ref('prescriptions', 'drug'), as: 'drug' }],
    });
    expect(tree.from.kind).toBe('table');
    expect(joinedTables(tree)).toEqual([T('prescriptions')]);
    expect(tree.select[1]?.expr).toMatchObject({
      kind: 'aggregate',
      fn: 'count',
      distinct: true,
      arg: 'visits.id',
    });
  });
});

describe('lowering: EXISTS for presence and absence', () => {
  it('tests a filter on rows below with EXISTS and joins nothing', () => {
    const q = onClinic({
      baseTable: T('patients'),
      measures: [rows('patients', 'patients')],
      filters: [{ ref: ref('prescriptions', 'drug'), op: '=', value: 'ibuprofen' }],
    });
    expect(joinedTables(q.tree)).toEqual([]);
    expect(q.tree.select[0]?.expr).toMatchObject({ fn: 'count', distinct: false, arg: '*' });
    const [exists] = q.tree.where;
    if (typeof exists !== 'object' || exists.kind !== 'exists') throw new Error('expected EXISTS');
    expect(exists.negated).toBe(false);
    expect(exists.query.from.table).toBe(T('visits'));
    expect(exists.query.joins.map((j) => j.source.table)).toEqual([T('prescriptions')]);
    expect(exists.query.where.map((c) => readable(q, c))).toEqual([
      'visits.patient_id = patients.id',
      "prescriptions.drug = 'ibuprofen'",
    ]);
    expect(q.params).toEqual(['ibuprofen']);
  });

  it('keeps the rows none of whose related rows match with NOT EXISTS', () => {
    const q = onShop({
      baseTable: T('customers'),
      measures: [rows('customers', 'customers')],
      filters: [{ ref: ref('orders', 'status'), op: '=', value: 'cancelled', none: true }],
    });
    expect(q.tree.where).toHaveLength(1);
    const [absent] = q.tree.where;
    expect(absent).toMatchObject({ kind: 'exists', negated: true, query: { select: '1', joins: [] } });
    if (typeof absent !== 'object' || absent.kind !== 'exists') throw new Error('expected NOT EXISTS');
    expect(absent.query.where.map((c) => readable(q, c))).toEqual([
      'orders.customer_id = customers.id',
      "orders.status = 'cancelled'",
    ]);
  });

  it('joins a table an output needs, and keeps its conditions in the main WHERE', () => {
    const q = onShop({
      baseTable: T('order_items'),
      measures: [{ agg: 'sum', expr: { kind: 'column', ref: ref('order_items', 'quantity') }, as: 'units' }],
      dimensions: [{ ref: ref('products', 'category'), as: 'category' }],
      filters: [{ ref: ref('products', 'category'), op: '<>', value: 'Books' }],
    });
    expect(joinedTables(q.tree)).toEqual([T('products')]);
    expect(q.tree.where.map((c) => (typeof c === 'string' ? readable(q, c) : c))).toEqual([
      "products.category <> 'Books'",
    ]);
  });
});

describe('lowering: correlated counts', () => {
  it('keeps rows by how many related rows each has, counting none as 0', () => {
    const q = onClinic({
      baseTable: T('patients'),
      select: [ref('patients', 'name')],
      relatedCounts: [{ table: T('visits'), op: '<', value: 2 }],
    });
    expect(q.tree.where).toEqual([
      {
        kind: 'compare',
        left: {
          kind: 'count',
          query: {
            select: 'count(*)',
            from: { table: T('visits'), name: 'visits', alias: 'visits' },
            joins: [],
            where: ['visits.patient_id = patients.id'],
          },
        },
        op: '<',
        right: expect.any(String),
      },
    ]);
    expect(q.params).toEqual([2]);
    expect(q.tree.groupBy).toEqual([]);
  });

  it('averages a per-row count through a link table', () => {
    const q = onShop({
      baseTable: T('customers'),
      measures: [
        {
          agg: 'avg',
          expr: { kind: 'related', table: T('customers'), rows: T('order_items') },
          as: 'lines',
        },
      ],
    });
    const [avg] = q.tree.select;
    expect(avg?.expr).toMatchObject({
      kind: 'aggregate',
      fn: 'avg',
      arg: {
        kind: 'count',
        query: {
          from: { table: T('orders') },
          joins: [{ kind: 'inner', source: { table: T('order_items') } }],
          where: ['orders.customer_id = customers.id'],
        },
      },
    });
    expect(joinedTables(q.tree)).toEqual([]);
  });

  it('refuses to count a parent: each row has at most one', () => {
    const counting = plan({
      baseTable: T('visits'),
      relatedCounts: [{ table: T('patients'), op: '>', value: 1 }],
    });
    expect(() => lowerPlan(counting, clinic)).toThrow(/at most one patients/);
  });
});

describe('lowering: thresholds on totals', () => {
  it('puts a threshold on a grouped count in HAVING, grouped by the entity and its key', () => {
    const q = onShop({
      baseTable: T('orders'),
      measures: [rows('orders', 'orders')],
      dimensions: [{ ref: ref('customers', 'name'), as: 'customer', entity: true }],
      having: [{ measure: 'orders', op: '>', value: 5 }],
    });
    expect(q.tree.where).toEqual([]);
    expect(q.tree.groupBy).toEqual(['customers.name', 'customers.id']);
    expect(q.tree.having).toEqual([
      {
        kind: 'compare',
        left: { kind: 'aggregate', fn: 'count', distinct: false, arg: '*', filter: [] },
        op: '>',
        right: expect.any(String),
      },
    ]);
    expect(q.params).toEqual([5]);
  });

  it('compares the total taken over the distinct base when the grouping fans out', () => {
    const q = visitCostBy('prescriptions', 'drug', {
      having: [{ measure: 'cost', op: 'between', value: [100, 500] }],
    });
    expect(q.tree.from.kind).toBe('base');
    const [between] = q.tree.having;
    expect(between?.left).toMatchObject({ kind: 'aggregate', fn: 'sum', arg: '__m0' });
    expect(Array.isArray(between?.right)).toBe(true);
    expect(q.params).toEqual([100, 500]);
  });
});

describe('printing', () => {
  it('writes a tree as it is, numbering placeholders in the order they were bound', () => {
    const w = new SqlWriter();
    const late = w.param('b');
    const early = w.param(3);
    const visits = { table: T('visits'), name: 'visits', alias: 'visits' };
    const tree: SelectTree = {
      distinct: false,
      select: [{ expr: 'visits.cost', as: 'Cost' }],
      from: { kind: 'table', source: visits, joins: [] },
      where: [`visits.cost > ${early}`, `visits.doctor_id = ${late}`],
      groupBy: [],
      having: [],
      orderBy: [{ expr: 'visits.cost', dir: 'DESC' }],
      limit: 10,
    };
    expect(printQuery({ tree, params: w.values })).toEqual({
      text: 'SELECT visits.cost AS "Cost"\nFROM visits\nWHERE visits.cost > $2\n  AND visits.doctor_id = $1\nORDER BY visits.cost DESC NULLS LAST\nLIMIT 10',
      params: ['b', 3],
      sql: 'SELECT visits.cost AS "Cost"\nFROM visits\nWHERE visits.cost > 3\n  AND visits.doctor_id = \'b\'\nORDER BY visits.cost DESC NULLS LAST\nLIMIT 10',
    });
  });
});
