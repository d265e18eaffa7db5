// Objects a user made in the target that share names with PostgreSQL's own: a public.lower(int)
// and public.abs(text) that take an advisory lock, an operator ###, a function over a table's
// row type (p.audit), a domain whose CHECK calls a function, views over a volatile function,
// over denied columns and over a schema outside QUARRY_ALLOW_SCHEMAS. None of them runs or
// leaks: reads run with only pg_catalog on the search path and views are checked by what
// PostgreSQL recorded they depend on. No lock outlives an answer on the pooled connection.
import { describe, expect, it } from 'vitest';
import { expectHarmless, expectRefused, throwawayShopForFile } from '../helpers/throwawayShop.ts';

const TRAP = 'trap-fired';

const HOSTILE_OBJECTS = `
CREATE FUNCTION public.trap() RETURNS text LANGUAGE sql VOLATILE AS
  $f$ SELECT pg_advisory_lock(7001)::text || '${TRAP}' $f$;
CREATE FUNCTION public.lower(integer) RETURNS text LANGUAGE sql AS $f$ SELECT public.trap() $f$;
CREATE FUNCTION public.abs(text) RETURNS text LANGUAGE sql AS $f$ SELECT public.trap() $f$;
CREATE FUNCTION public.trap_op(integer, integer) RETURNS text LANGUAGE sql AS $f$ SELECT public.trap() $f$;
CREATE OPERATOR public.### (LEFTARG = integer, RIGHTARG = integer, FUNCTION = public.trap_op);
CREATE FUNCTION public.audit(products) RETURNS text LANGUAGE sql AS $f$ SELECT public.trap() $f$;
CREATE FUNCTION public.trap_check(integer) RETURNS boolean LANGUAGE sql AS
  $f$ SELECT public.trap() IS NOT NULL $f$;
CREATE DOMAIN public.positive_int AS integer CHECK (public.trap_check(VALUE));
CREATE VIEW public.volatile_view AS SELECT public.trap() AS note;
CREATE VIEW public.operator_view AS SELECT 1 ### 2 AS note;
CREATE VIEW public.domain_view AS SELECT 1::public.positive_int AS n;
CREATE VIEW public.customer_contacts AS SELECT id, name, email FROM customers;
CREATE VIEW public.customer_names AS SELECT id, name FROM customers;
CREATE VIEW public.order_totals AS SELECT id, abs(total) AS total FROM orders;
CREATE VIEW public.customer_rows AS SELECT id, c AS row FROM customers c;
CREATE VIEW public.contacts_again AS SELECT id, name FROM public.customer_contacts;
CREATE VIEW public.names_only AS SELECT name FROM public.customer_contacts;
CREATE SCHEMA hr;
CREATE TABLE hr.salaries (id integer PRIMARY KEY, amount numeric NOT NULL);
INSERT INTO hr.salaries VALUES (1, 123456.78);
CREATE VIEW public.pay AS SELECT id, amount FROM hr.salaries;
`;

const fixture = throwawayShopForFile({ env: { QUARRY_ALLOW_SCHEMAS: 'public' } }, async (shop) => {
  await shop.admin.exec(HOSTILE_OBJECTS);
});

async function advisoryLocks(): Promise<number> {
  const [row] = await fixture.shop.admin.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'",
  );
  return row!.n;
}

const SHADOWED_BUILTINS = [
  'SELECT lower(1)',
  'SELECT id FROM orders WHERE lower(id) IS NOT NULL',
  "SELECT abs('x')",
  'SELECT upper(1)',
  'SELECT 1 ### 2',
  'SELECT count(*) FROM orders WHERE (id ### 1) IS NOT NULL',
  'SELECT p.audit FROM products p',
  'SELECT products.audit FROM products',
  'SELECT 1::positive_int',
  'SELECT 1::public.positive_int',
  'SELECT CAST(2 AS positive_int)',
];

const HOSTILE_VIEWS = [
  'SELECT * FROM volatile_view',
  'SELECT count(*) FROM public.volatile_view',
  'SELECT * FROM operator_view',
  'SELECT n FROM domain_view',
  'WITH v AS (SELECT * FROM volatile_view) SELECT * FROM v',
];

const VIEWS_OVER_DENIED = [
  'SELECT * FROM customer_contacts',
  'SELECT name FROM customer_contacts',
  'SELECT id FROM customer_rows',
  'SELECT name FROM customer_names',
  'SELECT id, name FROM contacts_again',
  'SELECT name FROM names_only',
  'SELECT * FROM pay',
  'SELECT count(*) FROM public.pay',
];

const CATALOG_LOOKUPS = [
  "SELECT 'pg_authid'::regclass::oid",
  "SELECT 'postgres'::regrole::oid",
  "SELECT 'hr.salaries'::regclass",
  "SELECT 'public.trap'::regproc",
  "SELECT regnamespace 'hr'",
];

const SCOPED_CTES = [
  'SELECT email FROM customers WHERE EXISTS (WITH customers AS (SELECT 1) SELECT 1 FROM customers)',
  'SELECT * FROM salaries WHERE EXISTS (WITH salaries AS (SELECT 1) SELECT 1 FROM salaries)',
  'SELECT email FROM customers UNION ALL (WITH customers AS (SELECT 1::text AS email) SELECT email FROM customers)',
];

const ROW_FUNCTIONS = [
  "SELECT c.to_jsonb ->> 'email' FROM customers c",
  'SELECT c.row_to_json FROM customers c',
  'SELECT public.customers.to_json FROM public.customers',
  'SELECT c.quote_literal FROM customers c',
  "SELECT name FROM customers c WHERE c.row_to_json::text LIKE '%@%'",
  'SELECT c.to_json FROM customers c ORDER BY 1',
];

describe('only PostgreSQL’s own functions, operators and types are reached', () => {
  it.each([...SHADOWED_BUILTINS, ...HOSTILE_VIEWS])('never runs the user’s object: %s', async (sql) => {
    const a = await fixture.shop.runSql(sql);
    expect(a.error, JSON.stringify(a.rows)).not.toBeNull();
    expect(['unsafe_sql', 'query_failed']).toContain(a.error!.kind);
    expect(JSON.stringify(a)).not.toContain(TRAP);
    expect(await advisoryLocks()).toBe(0);
    expect(await fixture.shop.digest()).toBe(fixture.digest);
  });

  it('leaves no advisory lock or setting on the pooled connection for the next question', async () => {
    const a = await fixture.shop.runSql(
      "SELECT pg_catalog.count(*) FROM orders WHERE pg_catalog.abs(1) = 1 AND 'x' <> 'y'",
    );
    expect(a.error).toBeNull();
    expect(await advisoryLocks()).toBe(0);
  });

  it('still reads views over tables without denied columns, calling PostgreSQL’s own functions', async () => {
    const a = await fixture.shop.runSql('SELECT total FROM order_totals ORDER BY id LIMIT 2');
    expect(a.error).toBeNull();
    expect(a.rows).toHaveLength(2);
  });
});

describe('access rules hold under PostgreSQL’s own grammar', () => {
  it.each([...VIEWS_OVER_DENIED, ...CATALOG_LOOKUPS, ...SCOPED_CTES, ...ROW_FUNCTIONS])(
    'is refused: %s',
    async (sql) => {
      const a = await fixture.shop.runSql(sql);
      await expectRefused(fixture, a);
      expect(JSON.stringify(a)).not.toMatch(/example\.(com|test)|123456/);
    },
  );

  it('answers a question about the view over a denied column without the column', async () => {
    await expectHarmless(fixture, await fixture.shop.ask('list customer contacts'));
  });

  it('refuses placeholders the model wrote instead of sending them to fail at the server', async () => {
    const a = await fixture.shop.runSql('SELECT count(*) FROM orders WHERE id = $1');
    await expectRefused(fixture, a);
    expect(a.error!.message).toMatch(/placeholder \(\$1\)/);
  });
});
