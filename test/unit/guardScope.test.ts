import { loadModule, parseSync } from 'libpg-query';
import { beforeAll, describe, expect, it } from 'vitest';
import { UnsafeSql } from '../../src/errors.ts';
import { cteReferences } from '../../src/pipeline/guard/cteScope.ts';
import { qualifyTables } from '../../src/pipeline/guard/qualifyTables.ts';

beforeAll(async () => {
  await loadModule();
});

/** The names of the references that are CTEs, in the order written. */
function cteNames(sql: string): string[] {
  const refs = cteReferences(parseSync(sql).stmts);
  const bytes = Buffer.from(sql);
  return [...refs].sort((a, b) => a - b).map((at) => /^[a-z_]+/.exec(bytes.subarray(at).toString())![0]);
}

describe('cteReferences', () => {
  it.each([
    ['WITH x AS (SELECT 1) SELECT * FROM x', ['x']],
    ['SELECT * FROM x WHERE EXISTS (WITH x AS (SELECT 1) SELECT 1 FROM x)', ['x']],
    ['WITH a AS (SELECT * FROM b), b AS (SELECT 1) SELECT * FROM b', ['b']],
    ['WITH RECURSIVE a AS (SELECT * FROM b), b AS (SELECT 1) SELECT * FROM a', ['b', 'a']],
    ['SELECT * FROM x UNION ALL (WITH x AS (SELECT 1) SELECT * FROM x)', ['x']],
    ['WITH x AS (SELECT 1) SELECT * FROM x UNION SELECT * FROM x', ['x', 'x']],
    ['WITH x AS (SELECT 1) SELECT * FROM public.x', []],
    ['SELECT * FROM (WITH x AS (SELECT 1) SELECT * FROM x) s, x', ['x']],
  ])('%s', (sql, expected) => {
    expect(cteNames(sql)).toEqual(expected);
  });
});

describe('qualifyTables', () => {
  const schemaOf = (name: string) =>
    ({ orders: 'public', Weird: 'My Schema', salaries: 'hr' })[name] as string | undefined;

  it('writes the schema before every table that is not a CTE, and lists what is read', () => {
    const q = qualifyTables(
      `SELECT 'é', o.id FROM ONLY orders o JOIN "Weird" w ON true, LATERAL (WITH orders AS (SELECT 1) SELECT * FROM orders) s, hr.salaries`,
      schemaOf,
    );
    expect(q.sql).toBe(
      `SELECT 'é', o.id FROM ONLY public.orders o JOIN "My Schema"."Weird" w ON true, LATERAL (WITH orders AS (SELECT 1) SELECT * FROM orders) s, hr.salaries`,
    );
    expect(q.tables).toEqual(
      expect.arrayContaining([
        { schema: 'public', name: 'orders' },
        { schema: 'My Schema', name: 'Weird' },
        { schema: 'hr', name: 'salaries' },
      ]),
    );
    expect(qualifyTables('TABLE orders', schemaOf).sql).toBe('TABLE public.orders');
  });

  it('refuses a table it cannot place', () => {
    expect(() => qualifyTables('SELECT * FROM nowhere', schemaOf)).toThrow(UnsafeSql);
  });
});
