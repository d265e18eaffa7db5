import { describe, expect, it } from 'vitest';
import { UnsafeSql } from '../../src/errors.ts';
import { type GuardOptions, guardSql, MAX_SQL_BYTES } from '../../src/pipeline/guard.ts';

const options: GuardOptions = {
  maxRows: 1000,
  deniedRelations: ['salaries', 'quarry.query_embeddings'],
  parameters: 3,
};

async function refusal(sql: string, opts: GuardOptions = options): Promise<UnsafeSql> {
  try {
    await guardSql(sql, opts);
  } catch (e) {
    if (e instanceof UnsafeSql) return e;
    throw e;
  }
  throw new Error(`allowed: ${sql}`);
}

/** [statement, the reason that must open the refusal's detail] */
const HOSTILE: [string, string][] = [
  // Writes and DDL at the top level
  ['delete from orders', 'writes'],
  ['insert into orders (id) values (1)', 'writes'],
  ['update orders set total = 0', 'writes'],
  ['merge into orders o using orders r on o.id = r.id when matched then delete', 'writes'],
  ['/* just a comment */ delete from orders', 'writes'],
  ['truncate orders', 'not_a_select'],
  ['drop table orders', 'not_a_select'],
  ['create table x (id int)', 'not_a_select'],
  ['create table x (id int default pg_sleep(10)::int)', 'not_a_select'],
  ['alter table orders add column x int', 'not_a_select'],
  ['create index on orders (total)', 'not_a_select'],
  ['create view v as select 1', 'not_a_select'],
  ['create table copy_of_orders as select * from orders', 'not_a_select'],
  ['create function f() returns int language sql as $$ delete from orders returning 1 $$', 'not_a_select'],
  // Several statements, however hidden
  ['select 1; drop table x', 'multiple_statements'],
  ['select 1 /* ; */; delete from t', 'multiple_statements'],
  ['select $$;$$; drop table t', 'multiple_statements'],
  ['select $tag$ $$ ; $tag$; delete from t', 'multiple_statements'],
  ['select 1 -- ;\n; delete from t', 'multiple_statements'],
  ["select 'a\\'; delete from orders; --'", 'multiple_statements'],
  ['sElEcT 1;DrOp TaBlE x', 'multiple_statements'],
  ['select 1;;select 2', 'multiple_statements'],
  // Data-modifying CTEs, anywhere
  ['with d as (delete from orders returning *) select * from d', 'writes'],
  ['with u as (update orders set total = 0 returning id) select count(*) from u', 'writes'],
  ['with i as (insert into orders (id) values (1) returning id) select 1', 'writes'],
  ['select * from (with d as (delete from orders returning *) select * from d) s', 'writes'],
  [
    'select * from orders where id in (with d as (delete from orders returning id) select id from d)',
    'writes',
  ],
  ['with a as (select 1), b as (delete from orders returning 1) select * from a', 'writes'],
  ['explain analyze delete from orders', 'writes'],
  // INTO and locking
  ['select * into backup from orders', 'select_into'],
  ['select * into temp t from orders', 'select_into'],
  ['select * from orders for update', 'locking'],
  ['select * from orders for share nowait', 'locking'],
  ['select * from orders for no key update skip locked', 'locking'],
  ['select * from (select * from orders for update) s', 'locking'],
  // Functions outside the allow-list, wherever they hide
  ['select pg_sleep(10)', 'function'],
  ["select pg_sleep_for('5 minutes')", 'function'],
  ['select pg_catalog.pg_sleep(1)', 'function'],
  ["select pg_read_file('/etc/passwd')", 'function'],
  ["select pg_read_binary_file('/etc/passwd')", 'function'],
  ["select * from pg_ls_dir('.')", 'function'],
  ["select pg_stat_file('postgresql.conf')", 'function'],
  ["select lo_import('/etc/passwd')", 'function'],
  ["select lo_export(1234, '/tmp/x')", 'function'],
  ["select * from dblink('host=elsewhere', 'select 1') as t(x int)", 'function'],
  ["select dblink_exec('host=elsewhere', 'drop table t')", 'function'],
  ["select set_config('statement_timeout', '0', false)", 'function'],
  ["select current_setting('data_directory')", 'function'],
  ['select pg_terminate_backend(123)', 'function'],
  ['select pg_cancel_backend(123)', 'function'],
  ['select pg_advisory_lock(1)', 'function'],
  ['select txid_current()', 'function'],
  ["select nextval('orders_id_seq')", 'function'],
  ["select setval('orders_id_seq', 1)", 'function'],
  ["select query_to_xml('delete from orders', true, true, '')", 'function'],
  ["select xpath('/a', '<a/>')", 'function'],
  ["select pg_notify('channel', 'x')", 'function'],
  ['select version()', 'function'],
  ['select public.lower(name) from customers', 'function'],
  ['select U&"pg_sl\\0065ep"(1)', 'function'],
  ['select "pg_sleep"(1)', 'function'],
  ['select id from orders order by pg_sleep(1)', 'function'],
  ['select * from orders o, lateral (select pg_sleep(1)) s', 'function'],
  ["select * from orders o join lateral pg_ls_dir('.') d on true", 'function'],
  ["select * from orders where exists (select pg_read_file('x'))", 'function'],
  ['select count(*) filter (where pg_sleep(1) is not null) from orders', 'function'],
  ['select sum(total) over (order by pg_sleep(0.1)) from orders', 'function'],
  ['with x as (select pg_sleep(1)) select * from x', 'function'],
  ['select case when total > 0 then pg_sleep(1) end from orders', 'function'],
  ['select 1 from orders group by pg_sleep(1)', 'function'],
  ['select status from orders group by status having max(pg_sleep(1)::text) is null', 'function'],
  ['select 1 union all select pg_sleep(1)::int', 'function'],
  ['select array[pg_sleep(1)]', 'function'],
  ["select row_to_json(t) from (select pg_read_file('x')) t", 'function'],
  ["select coalesce(null, pg_read_file('x'))", 'function'],
  // Other statements people paste
  ["copy orders to '/tmp/orders.csv'", 'not_a_select'],
  ["copy (select 1) to program 'rm -rf /'", 'not_a_select'],
  ['copy orders from stdin', 'not_a_select'],
  ['set role postgres', 'not_a_select'],
  ['set statement_timeout = 0', 'not_a_select'],
  ['set session authorization postgres', 'not_a_select'],
  ['reset all', 'not_a_select'],
  ['begin', 'not_a_select'],
  ['commit', 'not_a_select'],
  ['start transaction read write', 'not_a_select'],
  ['do $$ begin delete from orders; end $$', 'not_a_select'],
  ['call cleanup()', 'not_a_select'],
  ['explain select 1', 'not_a_select'],
  ['listen channel', 'not_a_select'],
  ["notify channel, 'x'", 'not_a_select'],
  ['prepare p as delete from orders', 'not_a_select'],
  ['execute p', 'not_a_select'],
  ['grant all on orders to public', 'not_a_select'],
  ['vacuum full orders', 'not_a_select'],
  ['lock table orders', 'not_a_select'],
  ['show data_directory', 'not_a_select'],
  ["alter system set work_mem = '1GB'", 'not_a_select'],
  ['declare c cursor for select 1', 'not_a_select'],
  ['discard all', 'not_a_select'],
  // System catalogs
  ['select * from pg_shadow', 'system_catalog'],
  ['select * from pg_catalog.pg_authid', 'system_catalog'],
  ['select * from information_schema.tables', 'system_catalog'],
  ['select * from pg_stat_activity', 'system_catalog'],
  ['select * from U&"pg_shad\\006fw"', 'system_catalog'],
  ['select * from orders where customer_id in (select usesysid from pg_user)', 'system_catalog'],
  ['select * from "PG_CATALOG"."pg_roles"', 'system_catalog'],
  ['select * from pg_toast.pg_toast_1234', 'system_catalog'],
  // Session information, custom operators, sampling methods and other features
  ['select current_user', 'session_info'],
  ['select session_user', 'session_info'],
  ['select 1 operator(public.+) 2', 'operator'],
  ['select * from orders tablesample system_time(1000)', 'tablesample'],
  ['values (default)', 'unsupported'],
  ['select xmlelement(name a)', 'unsupported'],
  ["select * from xmltable('/a' passing '<a/>' columns x int)", 'unsupported'],
  // Tables the access rules deny
  ['select * from salaries', 'denied_relation'],
  ['select * from hr.salaries', 'denied_relation'],
  ['select * from orders join salaries s on true', 'denied_relation'],
  ['select * from query_embeddings', 'denied_relation'],
  ['select * from quarry.query_embeddings', 'denied_relation'],
  // Not SQL at all
  ['selec 1', 'syntax'],
  ["select 'unterminated", 'syntax'],
  ['', 'empty'],
  [';', 'empty'],
  ['-- only a comment', 'empty'],
];

/** Reads that must pass: the shapes analysts and the planners write. */
const LEGITIMATE: string[] = [
  'select 1',
  'select count(*) from orders',
  "select sum(total) from orders where status = 'completed'",
  'select * from orders order by created_at desc limit 10',
  'values (1, 2), (3, 4)',
  'table orders',
  'select c.country, sum(o.total) from orders o join customers c on c.id = o.customer_id group by 1 order by 2 desc',
  'select id, total, row_number() over (partition by customer_id order by created_at) from orders',
  'select id, sum(total) over (order by created_at rows between 6 preceding and current row) from orders',
  'select id, lag(total) over w, lead(total) over w from orders window w as (order by created_at)',
  'select rank() over (order by total desc), dense_rank() over (order by total desc), ntile(4) over (order by total) from orders',
  "select count(*) filter (where status = 'refunded') * 1.0 / count(*) from orders",
  "with monthly as (select date_trunc('month', created_at) m, sum(total) s from orders group by 1) select m, s, s - lag(s) over (order by m) from monthly",
  'with recursive n(i) as (select 1 union all select i + 1 from n where i < 10) select sum(i) from n',
  'with a as (select 1 x), b as (select x + 1 y from a) select * from a, b',
  'with a as materialized (select * from orders) select count(*) from a',
  'select c.name, last.total from customers c cross join lateral (select total from orders o where o.customer_id = c.id order by created_at desc limit 1) last',
  'select category, country, sum(oi.price * oi.quantity) from order_items oi join products p on p.id = oi.product_id join orders o on o.id = oi.order_id join customers c on c.id = o.customer_id group by grouping sets ((category), (country), ())',
  'select category, segment, count(*) from products, customers group by rollup (category, segment)',
  "select status, date_trunc('year', created_at), count(*) from orders group by cube (status, 2)",
  'select grouping(status), status, count(*) from orders group by rollup (status)',
  'select distinct on (customer_id) customer_id, total from orders order by customer_id, created_at desc',
  "select case when total > 100 then 'big' when total > 10 then 'medium' else 'small' end, count(*) from orders group by 1",
  'select * from customers where id in (select customer_id from orders where total > (select avg(total) from orders))',
  'select * from customers c where exists (select 1 from orders o where o.customer_id = c.id)',
  'select name from customers union select name from products except select name from customers where false',
  'select id from orders intersect all select order_id from order_items',
  'select percentile_cont(0.5) within group (order by total) from orders',
  'select percentile_disc(array[0.25, 0.5, 0.75]) within group (order by total), mode() within group (order by status) from orders',
  "select * from orders where created_at >= date_trunc('month', now() - interval '1 month') and created_at < date_trunc('month', now())",
  "select now() - interval '90 days', current_date - 7, current_timestamp, localtimestamp",
  "select extract(dow from created_at), date_part('hour', created_at), to_char(created_at, 'YYYY-MM') from orders",
  "select d::date, count(o.id) from generate_series(date_trunc('day', now()) - interval '30 days', now(), interval '1 day') d left join orders o on o.created_at::date = d::date group by 1 order by 1",
  "select created_at at time zone 'Europe/Berlin' from orders",
  'select round(avg(total), 2), stddev(total), min(total), max(total) from orders',
  "select lower(email), upper(country), initcap(name), length(name), substring(email from '@(.*)$') from customers",
  "select split_part(email, '@', 2), count(*) from customers group by 1 order by 2 desc",
  "select string_agg(distinct category, ', ' order by category) from products",
  "select coalesce(nullif(city, ''), 'unknown'), greatest(1, 2), least(3, 4) from customers",
  "select json_build_object('id', id, 'total', total) from orders",
  "select name from customers where name ilike '%gmbh%' and country in ('Germany', 'Austria')",
  'select total::numeric(12, 0), cast(created_at as date), id::text from orders',
  'select * from orders where total between $1 and $2 limit $3',
  'select p.category, sum(oi.price * oi.quantity) / nullif(sum(sum(oi.price * oi.quantity)) over (), 0) from order_items oi join products p on p.id = oi.product_id group by 1',
  'select count(*) from orders tablesample bernoulli (10)',
  "select * from public.orders o where o.status = any(array['completed', 'shipped'])",
  "select $$a;b$$ as dollar_quoted, 'it''s' as quoted, e'tab\\there' as escaped",
  'select 1 /* a ; b */ as commented',
  "select * from customers where created_at > now() - make_interval(days => 30) and age(created_at) < interval '1 year'",
  'select * from jsonb_to_recordset($1::jsonb) as t(id int, label text)',
  "select date_bin('15 minutes', created_at, timestamp '2000-01-01'), count(*) from orders group by 1",
];

describe('guardSql refuses', () => {
  it(`has at least 60 hostile statements (${HOSTILE.length})`, () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(60);
  });

  it.each(HOSTILE)('%s', async (sql, reason) => {
    const e = await refusal(sql);
    expect(e.detail?.split(':')[0]).toBe(reason);
    expect(e.userMessage.length).toBeGreaterThan(10);
  });

  it('explains refusals in plain words', async () => {
    expect((await refusal('delete from orders')).userMessage).toBe(
      'I only run read-only queries; this one tries to delete rows.',
    );
    expect(
      (await refusal('with x as (update orders set total = 0 returning 1) select 1')).userMessage,
    ).toMatch(/read-only.*change rows/);
    expect((await refusal('select pg_sleep(5)')).userMessage).toMatch(/pg_sleep\(\)/);
    expect((await refusal('select * from pg_shadow')).userMessage).toMatch(
      /internal system tables \(pg_shadow\)/,
    );
  });

  it('names where a nested write hides', async () => {
    const e = await refusal('select * from (with d as (delete from orders returning *) select * from d) s');
    expect(e.detail).toMatch(/DeleteStmt at .*RangeSubselect.*CommonTableExpr/);
  });

  it('refuses statements over the size limit', async () => {
    const e = await refusal(`select 1${' '.repeat(MAX_SQL_BYTES)}`);
    expect(e.detail).toMatch(/^too_long/);
  });
});

describe('guardSql refuses catalog lookups, foreign types and unbound parameters', () => {
  it.each([
    ["select 'pg_authid'::regclass::oid", 'system_catalog'],
    ["select 'postgres'::regrole::oid", 'system_catalog'],
    ["select 'hr.salaries'::regclass", 'system_catalog'],
    ["select cast('pg_proc' as pg_catalog.regclass)", 'system_catalog'],
    ["select regnamespace 'public'", 'system_catalog'],
    ["select '+'::regoper, 'now'::regproc, 'int4'::regtype, 'lower(text)'::regprocedure", 'system_catalog'],
    ["select array['pg_class']::regclass[]", 'system_catalog'],
    ['select * from jsonb_to_recordset($1::jsonb) as t(r regclass)', 'system_catalog'],
    ["select '1'::public.positive_int", 'type'],
    ["select cast('x' as evil.domain_with_check)", 'type'],
    ['select * from jsonb_to_recordset(null) as t(x public.mood)', 'type'],
    ['select * from orders where id = $1 or id = $9', 'parameter'],
    ['select $4', 'parameter'],
  ])('%s', async (sql, reason) => {
    expect((await refusal(sql)).detail?.split(':')[0]).toBe(reason);
  });

  it('takes a parameter only when a value is bound to it', async () => {
    await expect(guardSql('select $1', { maxRows: 10, parameters: 1 })).resolves.toBeDefined();
    expect((await refusal('select $1', { maxRows: 10 })).userMessage).toMatch(/placeholder \(\$1\)/);
  });

  it('passes pg_catalog types, qualified or not', async () => {
    await expect(
      guardSql("select '1'::int, 1::pg_catalog.numeric(4, 1), interval '1 day', 'x'::text", { maxRows: 10 }),
    ).resolves.toBeDefined();
  });
});

describe('guardSql allows', () => {
  it(`has at least 40 legitimate reads (${LEGITIMATE.length})`, () => {
    expect(LEGITIMATE.length).toBeGreaterThanOrEqual(40);
  });

  it.each(LEGITIMATE)('%s', async (sql) => {
    const guarded = await guardSql(sql, options);
    expect(guarded.sql.length).toBeGreaterThan(0);
  });

  it('reads system catalogs when asked to', async () => {
    const guarded = await guardSql(
      'select relname from pg_catalog.pg_class join information_schema.tables on true',
      {
        maxRows: 10,
        allowSystemCatalogs: true,
      },
    );
    expect(guarded.relations).toEqual(['pg_catalog.pg_class', 'information_schema.tables']);
  });

  it('does not deny a table of the same name in another schema than the denied one', async () => {
    const guarded = await guardSql('select * from analytics.query_embeddings', options);
    expect(guarded.relations).toEqual(['analytics.query_embeddings']);
  });
});

describe('guardSql reports', () => {
  it('relations in written order, qualified when written so, without CTE names', async () => {
    const guarded = await guardSql(
      'with recent as (select * from orders) select * from recent r join public.customers c on c.id = r.customer_id join orders o2 on true',
      options,
    );
    expect(guarded.relations).toEqual(['orders', 'public.customers']);
  });

  it('functions called, with pg_catalog dropped, including those written as SQL syntax', async () => {
    const guarded = await guardSql(
      "select pg_catalog.lower(name), extract(year from created_at), created_at at time zone 'UTC', count(*) from customers group by 1, 2, 3",
      options,
    );
    expect(guarded.functions).toEqual(['count', 'extract', 'lower', 'timezone']);
  });
});

describe('guardSql caps rows', () => {
  const cap = { maxRows: 100, parameters: 1 };

  it('appends a LIMIT of the cap + 1 after the ORDER BY, past a trailing comment and semicolon', async () => {
    const guarded = await guardSql('select * from orders order by total desc -- biggest first\n;', cap);
    expect(guarded.sql).toBe('select * from orders order by total desc -- biggest first\nLIMIT 101');
  });

  it('keeps a LIMIT within the cap as written', async () => {
    const guarded = await guardSql('select * from orders order by total desc limit 5;', cap);
    expect(guarded.sql).toBe('select * from orders order by total desc limit 5');
  });

  it.each([
    'select * from orders order by total desc limit 5000',
    'select * from orders limit all',
    'select * from orders limit $1',
    'select * from orders order by total fetch first 5 rows with ties',
    'select * from orders offset 10',
  ])('wraps a query whose own LIMIT may exceed the cap: %s', async (sql) => {
    const guarded = await guardSql(sql, cap);
    expect(guarded.sql).toBe(`SELECT * FROM (\n${sql}\n) AS capped LIMIT 101`);
  });

  it('caps a whole set operation, not its last branch', async () => {
    const guarded = await guardSql('select id from orders union all select id from customers', cap);
    expect(guarded.sql).toBe('select id from orders union all select id from customers\nLIMIT 101');
  });

  it('cuts the statement by bytes, so non-ASCII text before it stays intact', async () => {
    const guarded = await guardSql("/* Größe */ select 'München', 'Zürich' as ville;  ", cap);
    expect(guarded.sql).toBe("select 'München', 'Zürich' as ville\nLIMIT 101");
  });
});
