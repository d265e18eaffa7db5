import { describe, expect, it } from 'vitest';
import { memoryTableNames, sameDatabase } from '../../src/access/memoryTables.ts';
import { restrictSchema } from '../../src/access/restrictSchema.ts';
import {
  columnReadable,
  deniedColumnsOf,
  deniedRelationNames,
  denyTables,
  OPEN_ACCESS,
  parseAccessRules,
  tableDenied,
} from '../../src/access/rules.ts';
import { DENY_ENTRY, loadConfig } from '../../src/config.ts';
import { ConfigError } from '../../src/errors.ts';
import { shopSchema } from '../fixtures/shopSchema.ts';

describe('access rules', () => {
  it('reads one, two and three part entries; two parts deny both readings', () => {
    const rules = parseAccessRules(['audit_log', 'hr.salaries', 'customers.email', 'crm.Leads.Phone']);
    expect(tableDenied(rules, 'public', 'audit_log')).toBe(true);
    expect(tableDenied(rules, 'hr', 'salaries')).toBe(true);
    expect(tableDenied(rules, 'public', 'salaries')).toBe(false);
    // An unqualified reference may resolve to the denied table.
    expect(tableDenied(rules, undefined, 'salaries')).toBe(true);
    expect(deniedColumnsOf(rules, 'public', 'customers')).toEqual(['email']);
    expect(deniedColumnsOf(rules, 'crm', 'leads')).toEqual(['phone']);
    expect(deniedColumnsOf(rules, 'public', 'leads')).toEqual([]);
    expect(columnReadable(rules, 'public', 'customers', 'EMAIL')).toBe(false);
    expect(columnReadable(rules, 'public', 'customers', 'name')).toBe(true);
    expect(deniedRelationNames(rules)).toEqual(['audit_log', 'hr.salaries', 'customers.email']);
  });

  it('allows only the listed schemas when given', () => {
    const rules = parseAccessRules([], ['sales']);
    expect(tableDenied(rules, 'sales', 'orders')).toBe(false);
    expect(tableDenied(rules, 'public', 'orders')).toBe(true);
  });

  it('adds tables denied in every schema', () => {
    const rules = denyTables(OPEN_ACCESS, ['Query_Embeddings']);
    expect(tableDenied(rules, 'public', 'query_embeddings')).toBe(true);
  });

  it('validates QUARRY_DENY in the configuration', () => {
    expect(DENY_ENTRY.test('a.b.c.d')).toBe(false);
    expect(() => loadConfig({ QUARRY_DENY: 'customers.email, a..b' })).toThrow(ConfigError);
    const config = loadConfig({
      QUARRY_DENY: 'customers.email , hr.salaries',
      QUARRY_ALLOW_SCHEMAS: 'public',
    });
    expect(config.QUARRY_DENY).toEqual(['customers.email', 'hr.salaries']);
    expect(config.QUARRY_ALLOW_SCHEMAS).toEqual(['public']);
    expect(loadConfig({}).QUARRY_DENY).toEqual([]);
  });
});

describe('restrictSchema', () => {
  it('returns the same schema when nothing in it is denied', () => {
    expect(restrictSchema(shopSchema, OPEN_ACCESS)).toBe(shopSchema);
    expect(restrictSchema(shopSchema, parseAccessRules(['salaries']))).toBe(shopSchema);
  });

  it('removes denied columns and tables, their foreign keys, and takes a new fingerprint', () => {
    const restricted = restrictSchema(shopSchema, parseAccessRules(['customers.email', 'products']));
    const customers = restricted.tables.find((t) => t.name === 'customers')!;
    expect(customers.columns.map((c) => c.name)).not.toContain('email');
    expect(restricted.tables.map((t) => t.name)).not.toContain('products');
    expect(restricted.foreignKeys.some((fk) => fk.toTable === 'public.products')).toBe(false);
    expect(restricted.foreignKeys).toHaveLength(2);
    expect(restricted.fingerprint).not.toBe(shopSchema.fingerprint);
  });

  it('drops a foreign key whose column is denied, and a table with every column denied', () => {
    const restricted = restrictSchema(
      shopSchema,
      parseAccessRules([
        'orders.customer_id',
        ...['id', 'name', 'category', 'price', 'created_at'].map((c) => `products.${c}`),
      ]),
    );
    expect(restricted.foreignKeys.map((fk) => fk.fromColumns[0])).toEqual(['order_id']);
    expect(restricted.tables.map((t) => t.name)).not.toContain('products');
  });
});

describe('memory tables', () => {
  it('names every table the migrations create', async () => {
    const names = await memoryTableNames();
    for (const t of ['user_query_history', 'query_embeddings', 'slack_installations', 'schema_migrations'])
      expect(names).toContain(t);
  });

  it('knows when two connection strings are one database', () => {
    expect(sameDatabase('postgres://a:x@localhost/shop', 'postgres://b@127.0.0.1:5432/shop')).toBe(true);
    expect(sameDatabase('postgres://a@localhost/shop', 'postgres://a@localhost/quarry')).toBe(false);
    expect(sameDatabase('postgres://a@db1/shop', 'postgres://a@db2/shop')).toBe(false);
    expect(sameDatabase('postgres://a@db1:5433/shop', 'postgres://a@db1/shop')).toBe(false);
    expect(sameDatabase(undefined, 'postgres://a@db1/shop')).toBe(false);
  });
});
