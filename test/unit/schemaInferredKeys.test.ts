import { describe, expect, it } from 'vitest';
import type { ColumnInfo, ForeignKey, TableInfo } from '../../src/domain/types.ts';
import { entityName, inferForeignKeys, referencedEntities } from '../../src/pipeline/schema/inferredKeys.ts';

function column(name: string, type = 'integer'): ColumnInfo {
  return { name, type, kind: 'number', nullable: true, isPrimaryKey: false };
}

function table(
  key: string,
  columns: ColumnInfo[],
  options: { primaryKey?: string[]; kind?: TableInfo['kind'] } = {},
): TableInfo {
  const [schema, name] = key.split('.') as [string, string];
  const primaryKey = options.primaryKey ?? [];
  return {
    key,
    schema,
    name,
    kind: options.kind ?? 'table',
    rowEstimate: 0,
    columns: columns.map((c) => ({ ...c, isPrimaryKey: primaryKey.includes(c.name) })),
    primaryKey,
    indexes: [],
  };
}

const customers = table('public.customers', [column('id'), column('name', 'text')], { primaryKey: ['id'] });

const edge = (fk: ForeignKey) =>
  `${fk.fromTable}.${fk.fromColumns.join()} -> ${fk.toTable}.${fk.toColumns.join()}`;

describe('entityName', () => {
  it('singularizes the last word and drops meaningless or schema prefixes', () => {
    expect(entityName({ schema: 'public', name: 'customers' })).toBe('customer');
    expect(entityName({ schema: 'public', name: 'tbl_Customers' })).toBe('customer');
    expect(entityName({ schema: 'public', name: 'app_users' })).toBe('user');
    expect(entityName({ schema: 'public', name: 'OrderLines' })).toBe('order_line');
    expect(entityName({ schema: 'billing', name: 'billing_invoices' })).toBe('invoice');
    expect(entityName({ schema: 'public', name: 'categories' })).toBe('category');
    expect(entityName({ schema: 'public', name: 'tbl' })).toBe('tbl');
  });
});

describe('referencedEntities', () => {
  it('reads snake, camel and upper-case key names, most specific first', () => {
    expect(referencedEntities('customer_id')).toEqual(['customer']);
    expect(referencedEntities('customerId')).toEqual(['customer']);
    expect(referencedEntities('CustomerID')).toEqual(['customer']);
    expect(referencedEntities('customers_id')).toEqual(['customer']);
    expect(referencedEntities('billing_customer_id')).toEqual(['billing_customer', 'customer']);
    expect(referencedEntities('orderLineId')).toEqual(['order_line', 'line']);
  });

  it('is empty for the key itself and for names that are not `<entity>_id`', () => {
    expect(referencedEntities('id')).toEqual([]);
    expect(referencedEntities('ID')).toEqual([]);
    expect(referencedEntities('identity')).toEqual([]);
    expect(referencedEntities('paid')).toEqual([]);
    expect(referencedEntities('customer_name')).toEqual([]);
  });
});

describe('inferForeignKeys', () => {
  it('links naming-convention columns to the primary key of the named table', () => {
    const orders = table('public.orders', [column('id'), column('customer_id'), column('CustomerRef')], {
      primaryKey: ['id'],
    });
    const reviews = table('public.reviews', [column('id'), column('customerId', 'bigint')], {
      primaryKey: ['id'],
    });
    expect(inferForeignKeys([customers, orders, reviews], [], ['public']).map(edge)).toEqual([
      'public.orders.customer_id -> public.customers.id',
      'public.reviews.customerId -> public.customers.id',
    ]);
  });

  it('marks every inferred key as inferred', () => {
    const orders = table('public.orders', [column('id'), column('customer_id')], { primaryKey: ['id'] });
    const [fk] = inferForeignKeys([customers, orders], [], ['public']);
    expect(fk).toEqual({
      fromTable: 'public.orders',
      fromColumns: ['customer_id'],
      toTable: 'public.customers',
      toColumns: ['id'],
      inferred: true,
    });
  });

  it('never duplicates a declared key, single- or multi-column', () => {
    const orders = table('public.orders', [column('id'), column('customer_id')], { primaryKey: ['id'] });
    const declared: ForeignKey[] = [
      {
        fromTable: 'public.orders',
        fromColumns: ['customer_id'],
        toTable: 'public.customers',
        toColumns: ['id'],
        inferred: false,
      },
    ];
    expect(inferForeignKeys([customers, orders], declared, ['public'])).toEqual([]);
  });

  it('uses an `id` column when there is no primary key, and the key column when it is not `id`', () => {
    const noPk = table('public.customers', [column('id'), column('name', 'text')]);
    const ownKey = table('public.products', [column('product_id'), column('name', 'text')], {
      primaryKey: ['product_id'],
    });
    const lines = table('public.lines', [column('id'), column('customer_id'), column('product_id')], {
      primaryKey: ['id'],
    });
    expect(inferForeignKeys([noPk, ownKey, lines], [], ['public']).map(edge)).toEqual([
      'public.lines.customer_id -> public.customers.id',
      'public.lines.product_id -> public.products.product_id',
    ]);
  });

  it('skips targets whose key type does not match, and composite primary keys', () => {
    const uuidCustomers = table('public.customers', [column('id', 'uuid')], { primaryKey: ['id'] });
    const pairs = table('public.pairs', [column('id'), column('part')], { primaryKey: ['id', 'part'] });
    const orders = table('public.orders', [column('id'), column('customer_id'), column('pair_id')], {
      primaryKey: ['id'],
    });
    expect(inferForeignKeys([uuidCustomers, pairs, orders], [], ['public'])).toEqual([]);
  });

  it('accepts integer widths and string types of different lengths as compatible', () => {
    const codes = table('public.countries', [column('id', 'character varying(2)')], { primaryKey: ['id'] });
    const orders = table(
      'public.orders',
      [column('id'), column('customer_id', 'bigint'), column('country_id', 'text')],
      {
        primaryKey: ['id'],
      },
    );
    expect(inferForeignKeys([customers, codes, orders], [], ['public']).map(edge)).toEqual([
      'public.orders.customer_id -> public.customers.id',
      'public.orders.country_id -> public.countries.id',
    ]);
  });

  it('resolves prefixed table names, role prefixes and unambiguous abbreviations', () => {
    const tblUsers = table('public.tbl_users', [column('id')], { primaryKey: ['id'] });
    const tickets = table(
      'public.tickets',
      [column('id'), column('assignee_user_id'), column('cust_id'), column('ca_id')],
      { primaryKey: ['id'] },
    );
    const categories = table('public.categories', [column('id')], { primaryKey: ['id'] });
    const catalogs = table('public.catalogs', [column('id')], { primaryKey: ['id'] });
    const items = table('public.items', [column('id'), column('cat_id')], { primaryKey: ['id'] });
    expect(
      inferForeignKeys([tblUsers, customers, tickets, categories, catalogs, items], [], ['public']).map(edge),
    ).toEqual([
      'public.tickets.assignee_user_id -> public.tbl_users.id',
      'public.tickets.cust_id -> public.customers.id',
    ]);
  });

  it('allows a table to point at itself only through a role prefix', () => {
    const categories = table(
      'public.categories',
      [column('id'), column('category_id'), column('parent_category_id')],
      {
        primaryKey: ['id'],
      },
    );
    const people = table('public.customers', [column('customer_id')], { primaryKey: ['customer_id'] });
    expect(inferForeignKeys([categories, people], [], ['public']).map(edge)).toEqual([
      'public.categories.parent_category_id -> public.categories.id',
    ]);
  });

  it('prefers the same schema, then the search path, and gives up on a tie', () => {
    const publicCustomers = customers;
    const crmCustomers = table('crm.customers', [column('id')], { primaryKey: ['id'] });
    const crmOrders = table('crm.orders', [column('id'), column('customer_id')], { primaryKey: ['id'] });
    const salesOrders = table('sales.orders', [column('id'), column('customer_id')], { primaryKey: ['id'] });
    const all = [publicCustomers, crmCustomers, crmOrders, salesOrders];
    expect(inferForeignKeys(all, [], ['public']).map(edge)).toEqual([
      'crm.orders.customer_id -> crm.customers.id',
      'sales.orders.customer_id -> public.customers.id',
    ]);
    expect(inferForeignKeys(all, [], []).map(edge)).toEqual(['crm.orders.customer_id -> crm.customers.id']);
  });

  it('leaves views out on both ends', () => {
    const customerView = table('public.customers', [column('id')], { kind: 'view' });
    const ordersView = table('public.recent_orders', [column('id'), column('customer_id')], { kind: 'view' });
    const orders = table('public.orders', [column('id'), column('customer_id')], { primaryKey: ['id'] });
    expect(inferForeignKeys([customerView, ordersView, orders], [], ['public'])).toEqual([]);
    expect(inferForeignKeys([customers, ordersView], [], ['public'])).toEqual([]);
  });

  it("links a column named like another table's own key: `publication.jid` → `journal.jid`", () => {
    const required = (name: string) => ({ ...column(name), nullable: false });
    const journal = table('public.journal', [required('jid'), column('name', 'text')]);
    const author = table('public.author', [required('aid'), column('name', 'text'), column('oid')]);
    const organization = table('public.organization', [required('oid'), column('name', 'text')]);
    const publication = table('public.publication', [
      required('pid'),
      column('jid'),
      column('title', 'text'),
    ]);
    const writes = table('public.writes', [required('aid'), required('pid')]);
    expect(
      inferForeignKeys([journal, author, organization, publication, writes], [], ['public']).map(edge),
    ).toEqual([
      'public.author.oid -> public.organization.oid',
      'public.publication.jid -> public.journal.jid',
      'public.writes.aid -> public.author.aid',
      'public.writes.pid -> public.publication.pid',
    ]);
  });

  it('leaves generic, nullable or ambiguous key names alone', () => {
    const country = table('public.country', [column('code', 'text'), column('name', 'text')], {
      primaryKey: ['code'],
    });
    const city = table('public.city', [column('code', 'text'), column('name', 'text')], {
      primaryKey: ['code'],
    });
    const optional = table('public.journal', [column('jid'), column('name', 'text')]);
    const paper = table('public.paper', [column('id'), column('jid')], { primaryKey: ['id'] });
    expect(inferForeignKeys([country, city, optional, paper], [], ['public'])).toEqual([]);
  });

  it('reads an integer column named like an entity as its key, never a text one', () => {
    const semester = table('public.semester', [column('semester_id'), column('semester', 'text')], {
      primaryKey: ['semester_id'],
    });
    const country = table('public.country', [column('country_id'), column('name', 'text')], {
      primaryKey: ['country_id'],
    });
    const offering = table('public.course_offering', [column('offering_id'), column('semester')], {
      primaryKey: ['offering_id'],
    });
    const customers = table('public.customers', [column('id'), column('country', 'text')], {
      primaryKey: ['id'],
    });
    expect(inferForeignKeys([semester, country, offering, customers], [], ['public']).map(edge)).toEqual([
      'public.course_offering.semester -> public.semester.semester_id',
    ]);
  });

  it('leaves a bare integer column alone where keys are a plain id (a position, not a reference)', () => {
    const orders = table('public.orders', [column('id'), column('total')], { primaryKey: ['id'] });
    const user = table('public.user', [column('id'), column('order'), column('order_id')], {
      primaryKey: ['id'],
    });
    expect(inferForeignKeys([orders, user], [], ['public']).map(edge)).toEqual([
      'public.user.order_id -> public.orders.id',
    ]);
  });
});
