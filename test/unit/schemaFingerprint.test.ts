import { describe, expect, it } from 'vitest';
import { schemaFingerprint } from '../../src/domain/schemaFingerprint.ts';
import type { ForeignKey, TableInfo } from '../../src/domain/types.ts';
import { shopSchema } from '../fixtures/shopSchema.ts';

const { tables, foreignKeys } = shopSchema;
const base = schemaFingerprint(tables, foreignKeys);

function mapTable(key: string, change: (t: TableInfo) => TableInfo): TableInfo[] {
  return tables.map((t) => (t.key === key ? change(t) : t));
}

describe('schemaFingerprint', () => {
  it('is a sha256 hex digest', () => {
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores the order of tables, columns and foreign keys', () => {
    const shuffled = [...tables].reverse().map((t) => ({ ...t, columns: [...t.columns].reverse() }));
    expect(schemaFingerprint(shuffled, [...foreignKeys].reverse())).toBe(base);
  });

  it('ignores row estimates, samples, distinct counts, comments and indexes', () => {
    const noisy = tables.map((t) => ({
      ...t,
      rowEstimate: t.rowEstimate + 17,
      comment: 'changed',
      indexes: [{ name: 'extra_idx', columns: [t.columns[0]!.name], unique: false }],
      columns: t.columns.map((c) => ({ ...c, sampleValues: ['x'], distinctEstimate: 3, comment: 'changed' })),
    }));
    expect(schemaFingerprint(noisy, foreignKeys)).toBe(base);
  });

  it('changes when a column is added, retyped, renamed or made nullable', () => {
    const added = mapTable('public.orders', (t) => ({
      ...t,
      columns: [
        ...t.columns,
        { name: 'note', type: 'text', kind: 'text', nullable: true, isPrimaryKey: false },
      ],
    }));
    const retyped = mapTable('public.orders', (t) => ({
      ...t,
      columns: t.columns.map((c) => (c.name === 'total' ? { ...c, type: 'numeric(14,2)' } : c)),
    }));
    const renamed = mapTable('public.orders', (t) => ({
      ...t,
      columns: t.columns.map((c) => (c.name === 'total' ? { ...c, name: 'amount' } : c)),
    }));
    const nullable = mapTable('public.orders', (t) => ({
      ...t,
      columns: t.columns.map((c) => (c.name === 'total' ? { ...c, nullable: true } : c)),
    }));
    const prints = [added, retyped, renamed, nullable].map((changed) =>
      schemaFingerprint(changed, foreignKeys),
    );
    expect(new Set([base, ...prints]).size).toBe(5);
  });

  it('changes with enum labels, primary keys, table kinds and foreign keys', () => {
    const withEnum = mapTable('public.orders', (t) => ({
      ...t,
      columns: t.columns.map((c) => (c.name === 'status' ? { ...c, enumValues: ['open', 'closed'] } : c)),
    }));
    const noPk = mapTable('public.products', (t) => ({ ...t, primaryKey: [] }));
    const asView = mapTable('public.products', (t) => ({ ...t, kind: 'view' }));
    const inferredInstead: ForeignKey[] = foreignKeys.map((fk, i) =>
      i === 0 ? { ...fk, inferred: !fk.inferred } : fk,
    );
    const prints = [
      schemaFingerprint(withEnum, foreignKeys),
      schemaFingerprint(noPk, foreignKeys),
      schemaFingerprint(asView, foreignKeys),
      schemaFingerprint(tables, inferredInstead),
      schemaFingerprint(tables, foreignKeys.slice(1)),
    ];
    expect(new Set([base, ...prints]).size).toBe(6);
  });
});
