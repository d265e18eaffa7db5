import { describe, expect, it } from 'vitest';
import { parseAccessRules } from '../../src/access/rules.ts';
import type { SchemaInfo } from '../../src/domain/types.ts';
import { UnsafeSql } from '../../src/errors.ts';
import { checkAccess } from '../../src/pipeline/guard/checkAccess.ts';
import { shopSchema } from '../fixtures/shopSchema.ts';

const rules = parseAccessRules(['customers.email']);

async function refusal(sql: string, r = rules, schema: SchemaInfo = shopSchema): Promise<UnsafeSql> {
  try {
    await checkAccess(sql, r, schema);
  } catch (e) {
    if (e instanceof UnsafeSql) return e;
    throw e;
  }
  throw new Error(`allowed: ${sql}`);
}

describe('checkAccess: denied columns', () => {
  it.each([
    'SELECT email FROM customers',
    'SELECT c.email FROM customers c',
    'SELECT public.customers.email FROM public.customers',
    'SELECT "email" FROM customers',
    'SELECT name FROM customers WHERE email LIKE $1',
    'SELECT name FROM customers ORDER BY email',
    'SELECT (SELECT max(email) FROM customers)',
    'SELECT string_agg(email, $1) FROM customers',
    'SELECT count(*) FROM customers JOIN orders ON orders.id = customers.id GROUP BY customers.email',
    'SELECT x FROM (SELECT email AS x FROM customers) s',
    'WITH c AS (SELECT email FROM customers) SELECT * FROM c',
    'SELECT (c).email FROM customers c',
    'SELECT count(*) FROM customers JOIN customers d USING (email)',
    // A same-named CTE in an inner scope does not hide the outer table.
    'SELECT email FROM customers WHERE EXISTS (WITH customers AS (SELECT 1) SELECT 1 FROM customers)',
    'SELECT email FROM customers UNION ALL (WITH customers AS (SELECT 1 AS email) SELECT email FROM customers)',
    'WITH a AS (SELECT email FROM customers), customers AS (SELECT 1) SELECT * FROM a',
  ])('refuses a named denied column: %s', async (sql) => {
    expect((await refusal(sql)).detail).toMatch(/^denied_column: (public\.)?customers\.email/);
  });

  it.each([
    'SELECT * FROM customers',
    'TABLE customers',
    'SELECT c.* FROM customers c',
    'SELECT c FROM customers c',
    'SELECT customers FROM customers',
    'SELECT row_to_json(c) FROM customers c',
    'SELECT to_jsonb(customers) FROM customers',
    'SELECT * FROM (SELECT * FROM customers) s',
    'SELECT count(*) FROM customers NATURAL JOIN orders',
    'SELECT e FROM customers AS c(i, n, e)',
    // Attribute notation: PostgreSQL reads c.to_jsonb as to_jsonb(c), the whole row.
    "SELECT c.to_jsonb ->> 'email' FROM customers c",
    'SELECT c.row_to_json FROM customers c',
    'SELECT customers.to_json FROM customers',
    'SELECT public.customers.to_json FROM public.customers',
    'SELECT c.quote_literal FROM customers c',
    "SELECT name FROM customers c WHERE c.row_to_json::text LIKE '%@%'",
    'SELECT name FROM customers c ORDER BY c.hstore',
    'SELECT (SELECT c.to_jsonb) FROM customers c',
  ])('refuses a statement that could read it unnamed: %s', async (sql) => {
    expect((await refusal(sql)).userMessage).toMatch(/not allowed to show \(email\)/);
  });

  it.each([
    'SELECT name, country FROM customers',
    'SELECT count(*) FROM customers',
    'SELECT * FROM orders',
    'SELECT c.name, sum(o.total) FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY 1',
    'WITH customers AS (SELECT 1 AS email) SELECT email FROM customers',
    'WITH RECURSIVE customers AS (SELECT 1 AS email UNION ALL SELECT email + 1 FROM customers WHERE email < 3) SELECT email FROM customers',
    'SELECT c.name, c.country FROM customers c',
    'SELECT s.to_jsonb FROM (SELECT name FROM customers) s',
  ])('allows reads that leave it alone: %s', async (sql) => {
    await expect(checkAccess(sql, rules, shopSchema)).resolves.toBeUndefined();
  });
});

describe('checkAccess: allowed schemas', () => {
  const onlyPublic = parseAccessRules([], ['public']);

  it('refuses a table in another schema', async () => {
    expect((await refusal('SELECT * FROM hr.salaries', onlyPublic)).detail).toBe(
      'schema_not_allowed: hr.salaries',
    );
  });

  it('allows unqualified tables that resolve in an allowed schema first', async () => {
    const schema = { ...shopSchema, searchPath: ['public', 'hr'] };
    await expect(checkAccess('SELECT * FROM orders', onlyPublic, schema)).resolves.toBeUndefined();
    expect((await refusal('SELECT * FROM salaries', onlyPublic, schema)).detail).toBe(
      'schema_not_allowed: unqualified salaries',
    );
  });

  it('refuses unqualified names when a schema that is not allowed comes first on the search path', async () => {
    const schema = { ...shopSchema, searchPath: ['hr', 'public'] };
    expect((await refusal('SELECT * FROM orders', onlyPublic, schema)).detail).toMatch(/unqualified orders/);
  });
});
