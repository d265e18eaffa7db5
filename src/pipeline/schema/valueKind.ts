import type { ValueKind } from '../../domain/types.ts';

// How a column's values behave for planning, from the base type's catalog name (`pg_type.typname`,
// domains already resolved to their base type) and its category (`pg_type.typcategory`).

const KIND_BY_TYPE_NAME: Record<string, ValueKind> = {
  int2: 'number',
  int4: 'number',
  int8: 'number',
  float4: 'number',
  float8: 'number',
  numeric: 'number',
  money: 'number',
  text: 'text',
  varchar: 'text',
  bpchar: 'text',
  char: 'text',
  name: 'text',
  citext: 'text',
  uuid: 'text',
  timestamp: 'timestamp',
  timestamptz: 'timestamp',
  date: 'date',
  bool: 'boolean',
  json: 'json',
  jsonb: 'json',
};

const ENUM_CATEGORY = 'E';

export function valueKindOf(baseTypeName: string, typeCategory: string): ValueKind {
  if (typeCategory === ENUM_CATEGORY) return 'text';
  return KIND_BY_TYPE_NAME[baseTypeName] ?? 'other';
}

/** String and enum columns: the ones whose values are worth sampling as words people use. */
export function isWordLike(typeCategory: string): boolean {
  return typeCategory === 'S' || typeCategory === ENUM_CATEGORY;
}
