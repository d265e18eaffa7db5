// A table named on the way to a condition decides the way the joins take (QueryPlan.via), where
// a shorter link exists: on a papers schema and on an HR schema.
import { describe, expect, it } from 'vitest';
import { compilePlan } from '../../src/pipeline/compile.ts';
import { col, fk, schemaOf, table } from '../fixtures/schemaBuilders.ts';
import { offlinePlanner } from '../helpers/offlinePlanner.ts';

const named = (name: string, rows: number, ...columns: ReturnType<typeof col>[]) =>
  table(name, [col('id', 'integer', 'number'), col('name', 'text', 'text'), ...columns], rows);
const ref = (name: string) => col(name, 'integer', 'number');

const papersSchema = schemaOf(
  [
    named('author', 1000),
    table(
      'domain',
      [
        col('id', 'integer', 'number'),
        col('name', 'text', 'text', { sampleValues: ['Databases', 'Machine Learning'] }),
      ],
      20,
    ),
    named('publication', 5000),
    table('writes', [col('id', 'integer', 'number'), ref('author_id'), ref('publication_id')], 9000),
    table('domain_author', [col('id', 'integer', 'number'), ref('author_id'), ref('domain_id')], 2000),
    table(
      'domain_publication',
      [col('id', 'integer', 'number'), ref('publication_id'), ref('domain_id')],
      6000,
    ),
  ],
  [
    fk('writes', 'author_id', 'author'),
    fk('writes', 'publication_id', 'publication'),
    fk('domain_author', 'author_id', 'author'),
    fk('domain_author', 'domain_id', 'domain'),
    fk('domain_publication', 'publication_id', 'publication'),
    fk('domain_publication', 'domain_id', 'domain'),
  ],
);
const papers = offlinePlanner(papersSchema);

const hr = offlinePlanner(
  schemaOf(
    [
      named('departments', 10, col('title', 'text', 'text', { sampleValues: ['Sales', 'Legal'] })),
      named('employees', 300, ref('department_id')),
      named('projects', 40, ref('department_id')),
      table('assignments', [col('id', 'integer', 'number'), ref('employee_id'), ref('project_id')], 900),
    ],
    [
      fk('employees', 'department_id', 'departments'),
      fk('projects', 'department_id', 'departments'),
      fk('assignments', 'employee_id', 'employees'),
      fk('assignments', 'project_id', 'projects'),
    ],
  ),
);

describe('the way the words name', () => {
  it('reaches a domain through the publications an author wrote, not the author–domain link', () => {
    const p = papers.plan('authors who have written publications in the domain "Machine Learning"');
    expect(p.via).toEqual(['public.publication']);
    const sql = papers.sql('authors who have written publications in the domain "Machine Learning"');
    expect(sql).toContain('JOIN domain_publication');
    expect(sql).not.toContain('domain_author');
  });

  it('takes the shortest way when nothing on another way is named', () => {
    const p = papers.plan('authors in the domain "Machine Learning"');
    expect(p.via).toBeUndefined();
    expect(papers.sql('authors in the domain "Machine Learning"')).toContain('domain_author');
  });

  it('reaches a department through the projects people worked on, and says so', () => {
    const q = 'how many employees worked on projects in the Sales department';
    const p = hr.plan(q);
    expect(p.via).toEqual(['public.projects']);
    expect(hr.sql(q)).toMatch(/FROM assignments JOIN projects .* JOIN departments/);
    expect(hr.sql('how many employees in the Sales department')).toMatch(
      /JOIN departments ON employees\.department_id/,
    );
  });

  it('takes the shortest way when the way through the named table would turn back', () => {
    // writes → author → domain_author → domain passes the author twice.
    const plan = { ...papers.plan('authors in the domain "Machine Learning"'), via: ['public.writes'] };
    const sql = compilePlan(plan, papersSchema, { defaultLimit: 100 }).sql;
    expect(sql).toContain('domain_author');
    expect(sql).not.toContain('writes');
  });
});
