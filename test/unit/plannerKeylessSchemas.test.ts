// Schemas that declare no keys at all, as exported sample databases do: the planner must join
// them the way they are linked and must not answer a question it can read two ways.
import { describe, expect, it } from 'vitest';
import type { SchemaInfo, TableInfo } from '../../src/domain/types.ts';
import { NotUnderstood } from '../../src/errors.ts';
import { compilePlan } from '../../src/pipeline/compile.ts';
import { planOffline } from '../../src/pipeline/planner/offline.ts';
import { inferForeignKeys } from '../../src/pipeline/schema/inferredKeys.ts';
import { col } from '../fixtures/schemaBuilders.ts';

const keyless = (name: string, columns: TableInfo['columns']): TableInfo => ({
  key: `public.${name}`,
  schema: 'public',
  name,
  kind: 'table',
  rowEstimate: 100,
  columns: columns.map((c) => ({ ...c, isPrimaryKey: false, nullable: true })),
  primaryKey: [],
  indexes: [],
});

const int = (name: string) => col(name, 'bigint', 'number');
const text = (name: string) => col(name, 'text', 'text');

const tables = [
  keyless('workshop', [int('workshop_id'), text('title'), int('difficulty')]),
  // Identified by `session_id`, though named `workshop_session`.
  keyless('workshop_session', [int('session_id'), int('workshop_id'), text('room')]),
  keyless('session_host', [int('session_host_id'), int('session_id'), int('host_id')]),
  keyless('host', [int('host_id'), text('name')]),
  // A longer way from workshops to hosts, through the people who attended.
  keyless('attendee', [int('attendee_id'), text('name')]),
  keyless('attendance', [int('attendance_id'), int('workshop_id'), int('attendee_id')]),
  keyless('host_feedback', [int('feedback_id'), int('attendee_id'), int('host_id')]),
  keyless('shop', [text('shop_id'), text('name'), text('city')]),
  keyless('visit', [int('visit_id'), text('shop_id'), col('score', 'real', 'number')]),
  keyless('area', [int('id'), text('shop_id'), text('area_name')]),
  // A table that keeps its own count of events, with a hyphenated name in questions.
  keyless('checkin', [int('checkin_id'), text('shop_id'), int('count'), text('day')]),
  keyless('term', [int('term_id'), text('term'), int('year')]),
  keyless('class_offering', [
    int('offering_id'),
    int('term'),
    int('workshop_id'),
    col('has_exam', 'boolean', 'boolean'),
    col('has_project', 'boolean', 'boolean'),
  ]),
];

const schema: SchemaInfo = {
  database: 'keyless',
  fingerprint: 'keyless-v1',
  searchPath: ['public'],
  discoveredAt: '2026-01-01T00:00:00Z',
  tables,
  foreignKeys: inferForeignKeys(tables, [], ['public']),
};

const now = new Date('2026-11-25T10:00:00Z');
const plan = (q: string) => planOffline(q, { schema, defaultLimit: 100, now }).plan;
const sql = (q: string) => compilePlan(plan(q), schema, { defaultLimit: 100, maxRows: 1000 }).sql;

describe('keys of tables that declare none', () => {
  it('takes `<kind>_id` as the key of a `<thing>_<kind>` table when no `<kind>` table exists', () => {
    const edges = schema.foreignKeys.map((fk) => `${fk.fromTable}.${fk.fromColumns[0]} -> ${fk.toTable}`);
    expect(edges).toContain('public.session_host.session_id -> public.workshop_session');
    // `host_id` still points at the host table, not at a link table that holds it.
    expect(edges).toContain('public.session_host.host_id -> public.host');
    expect(edges).not.toContain('public.host_feedback.host_id -> public.session_host');
  });
});

describe('the offline planner on keyless schemas', () => {
  it('reads "who" after a noun as a relative clause, not as a second grouping', () => {
    const p = plan('What is the average difficulty for each host who ran a workshop?');
    expect(p.dimensions.map((d) => `${d.ref.table}.${d.ref.column}`)).toEqual(['public.host.name']);
  });

  it('joins through the sessions that link workshops to hosts, not through attendees', () => {
    const q = sql('What is the average difficulty for each host who ran a workshop?');
    expect(q).toContain('session_host');
    expect(q).not.toContain('attendance');
  });

  it('asks back on an average of a child column "of" the parents it belongs to', () => {
    // Over every visit, or over each shop's own average? Both are fair readings.
    expect(() => plan('What is the average score of shops in the city of Porto?')).toThrow(NotUnderstood);
    expect(() => plan('What is the average score of shops in the city of Porto?')).toThrow(/score of shops/);
  });

  it('still answers an average of the column over its own rows', () => {
    expect(plan('average score of visits').measures[0]?.agg).toBe('avg');
  });

  it('groups rows that each belong to one measured row by their value, not their own key', () => {
    const q = sql('How many shops are in each area?');
    expect(q).toMatch(/GROUP BY area\.area_name\n/);
  });

  it('reads a hyphenated word as one name when its parts name nothing ("walk-ins")', () => {
    const own = [
      keyless('store', [text('store_id'), text('name')]),
      keyless('walkin', [int('walkin_id'), text('store_id')]),
    ];
    const small: SchemaInfo = { ...schema, tables: own, foreignKeys: inferForeignKeys(own, [], ['public']) };
    const p = planOffline('How many walk-ins per store?', { schema: small, defaultLimit: 100, now }).plan;
    expect(p.measures[0]).toMatchObject({ expr: { table: 'public.walkin' } });
  });

  it('adds up the count a table keeps: its rows are tallies, not check-ins', () => {
    for (const q of [
      'What is the total count of check-ins for each shop id?',
      'How many check-ins for each shop id?',
    ])
      expect(sql(q)).toMatch(/^SELECT checkin\.shop_id AS shop_id, SUM\(checkin\.count\) AS total_checkins/);
    expect(
      planOffline('How many check-ins for each shop id?', { schema, defaultLimit: 100, now }).assumptions,
    ).toContain('check ins = sum of checkin.count');
  });

  it('groups by a key named with its "id"', () => {
    const p = plan('How many visits for each shop id?');
    expect(p.dimensions.map((d) => `${d.ref.table}.${d.ref.column}`)).toEqual(['public.visit.shop_id']);
    const offerings = plan('How many class offerings for each term id?');
    expect(offerings.dimensions.map((d) => d.ref.column)).toEqual(['term_id']);
    expect(sql('How many class offerings for each term id?')).toContain('class_offering.term = term.term_id');
  });

  it('keeps each side of a ratio its own condition unless the sides contrast on one column', () => {
    const two = plan('ratio of class offerings with a project to class offerings with an exam');
    expect(two.filters).toEqual([]);
    expect(two.measures.map((m) => m.where?.map((f) => f.ref.column))).toEqual([
      ['has_project'],
      ['has_exam'],
    ]);
    expect(() => plan('ratio of difficulty scores to visit scores')).toThrow(NotUnderstood);
  });

  it('takes a table the joins pass through as named, and only that one', () => {
    const own = [
      keyless('review', [int('review_id'), text('business_id'), col('rating', 'real', 'number')]),
      keyless('business', [text('business_id'), text('name')]),
      keyless('category', [
        int('category_id'),
        text('business_id'),
        { ...text('category_name'), sampleValues: ['Cafe'] },
      ]),
      keyless('tip', [int('tip_id'), text('business_id')]),
    ];
    const small: SchemaInfo = { ...schema, tables: own, foreignKeys: inferForeignKeys(own, [], ['public']) };
    const ask = (q: string) => planOffline(q, { schema: small, defaultLimit: 100, now }).plan;
    expect(ask('How many reviews for businesses in the category Cafe?').filters).toMatchObject([
      { ref: { table: 'public.category', column: 'category_name' }, value: 'Cafe' },
    ]);
    expect(() => ask('How many reviews with tips for businesses in the category Cafe?')).toThrow(/tips/);
  });

  it('reads "the number of citations" as a column that holds it, not a count of rows', () => {
    const own = [keyless('paper', [int('pid'), text('title'), int('citation_num')])];
    const small: SchemaInfo = { ...schema, tables: own, foreignKeys: [] };
    const ask = (q: string) => planOffline(q, { schema: small, defaultLimit: 100, now }).plan;
    expect(ask('top 3 papers with the highest number of citations')).toMatchObject({
      orderBy: [{ by: 'citation_num', dir: 'desc' }],
      limit: 3,
    });
    expect(ask('How many citations did each paper get?').measures[0]).toMatchObject({
      agg: 'sum',
      expr: { ref: { column: 'citation_num' } },
    });
  });
});
