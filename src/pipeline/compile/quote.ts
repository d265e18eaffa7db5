// Identifiers are quoted only when PostgreSQL needs it (upper case, odd characters, reserved
// words), so generated SQL stays readable while staying correct for any schema.

// PostgreSQL's reserved keywords (those that cannot be column or table names unquoted).
const RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate ' +
    'collation column concurrently constraint create cross current_catalog current_date current_role ' +
    'current_schema current_time current_timestamp current_user default deferrable desc distinct do else end ' +
    'except false fetch for foreign freeze from full grant group having ilike in initially inner intersect into ' +
    'is isnull join lateral leading left like limit localtime localtimestamp natural not notnull null offset on ' +
    'only or order outer overlaps placing primary references returning right select session_user similar some ' +
    'symmetric system_user table tablesample then to trailing true union unique user using variadic verbose when ' +
    'where window with'
  ).split(' '),
);

export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** `schema.table`, leaving out the schema when it is `public` or otherwise on the search path. */
export function quoteTable(schema: string, name: string, searchPath: string[]): string {
  const onPath = searchPath.includes(schema) || (searchPath.length === 0 && schema === 'public');
  return onPath ? quoteIdent(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`;
}
