import { loadModule, parseSync } from 'libpg-query';
import { cteReferences } from './guard/cteScope.ts';
import { type Inspection, inspectSelect, type RelationRef } from './guard/inspect.ts';
import { refuse, statementRefusal } from './guard/refusals.ts';
import { capRows } from './guard/rowCap.ts';

// The guard (see docs/architecture.md#the-guard): only a single read passes. The SQL is parsed by
// PostgreSQL's own parser, so comments, dollar quoting and unicode escapes are read exactly as the
// server would read them; the whole tree is then checked, and a LIMIT is added so no result exceeds
// the cap.

export interface GuardOptions {
  maxRows: number;
  /** Allow pg_catalog / information_schema / pg_* relations (schema discovery, not questions). */
  allowSystemCatalogs?: boolean;
  /** Tables never to read: `name` matches it in any schema, `schema.name` only there. */
  deniedRelations?: string[];
  /** Values bound to the statement (a compiled plan's); SQL a model wrote has none, so any
   *  `$n` in it is refused rather than sent to fail at the server. */
  parameters?: number;
}

export interface GuardedSql {
  /** The statement to run: one SELECT, no trailing semicolon, capped at `maxRows + 1` rows. */
  sql: string;
  /** Referenced tables, `schema.name` when written qualified; CTE names are left out. */
  relations: string[];
  /** Functions called, without `pg_catalog.`. */
  functions: string[];
}

export const MAX_SQL_BYTES = 100_000;

let parserReady: Promise<void> | undefined;

type Obj = Record<string, unknown>;
interface ParsedStatement {
  stmt: Obj;
  stmt_location?: number;
  stmt_len?: number;
}

function parseStatements(sql: string): ParsedStatement[] {
  try {
    return parseSync(sql).stmts as unknown as ParsedStatement[];
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw refuse('syntax', `I couldn't read this SQL (${message}), so I didn't run it.`, message);
  }
}

/** The text of one statement; parser offsets count UTF-8 bytes, not characters. */
function statementText(bytes: Buffer, parsed: ParsedStatement): string {
  const start = parsed.stmt_location ?? 0;
  const end = parsed.stmt_len ? start + parsed.stmt_len : bytes.length;
  return bytes.subarray(start, end).toString('utf8').trim();
}

const lower = (s: string) => s.toLowerCase();

function isSystemCatalog(r: RelationRef): boolean {
  const schema = r.schema === undefined ? undefined : lower(r.schema);
  return (
    schema === 'information_schema' || schema?.startsWith('pg_') === true || lower(r.name).startsWith('pg_')
  );
}

function isDenied(r: RelationRef, denied: string[]): boolean {
  return denied.some((entry) => {
    const parts = lower(entry).split('.');
    const name = parts.at(-1);
    const schema = parts.length > 1 ? parts.at(-2) : undefined;
    if (lower(r.name) !== name) return false;
    // An unqualified reference may resolve to the denied table through the search path.
    return schema === undefined || r.schema === undefined || lower(r.schema) === schema;
  });
}

const written = (r: RelationRef) => (r.schema ? `${r.schema}.${r.name}` : r.name);

function checkRelations(found: Inspection, ctes: Set<number>, options: GuardOptions): string[] {
  const denied = options.deniedRelations ?? [];
  const names: string[] = [];
  for (const r of found.relations) {
    // A CTE that borrows a catalog's or denied table's name is refused too: nobody needs one.
    if (!options.allowSystemCatalogs && isSystemCatalog(r)) {
      throw refuse(
        'system_catalog',
        `I don't read the database's internal system tables (${written(r)}); ask about your own data instead.`,
        written(r),
      );
    }
    if (isDenied(r, denied)) {
      throw refuse('denied_relation', `I'm not allowed to read the table ${written(r)}.`, written(r));
    }
    if (!ctes.has(r.location) && !names.includes(written(r))) names.push(written(r));
  }
  return names;
}

/** Checks that `sql` is one safe read and caps its rows; throws UnsafeSql saying why it is not. */
export async function guardSql(sql: string, options: GuardOptions): Promise<GuardedSql> {
  const bytes = Buffer.from(sql, 'utf8');
  if (bytes.length > MAX_SQL_BYTES) {
    throw refuse(
      'too_long',
      `This query is too long for me to check (over ${MAX_SQL_BYTES / 1000} kB).`,
      `${bytes.length} bytes`,
    );
  }
  parserReady ??= loadModule();
  await parserReady;
  const statements = sql.trim() === '' ? [] : parseStatements(sql);
  if (statements.length === 0) throw refuse('empty', 'There is no query to run.', 'no statement');
  if (statements.length > 1) {
    throw refuse(
      'multiple_statements',
      'I only run one query at a time, and this contains several statements.',
      `${statements.length} statements`,
    );
  }
  const [parsed] = statements as [ParsedStatement];
  const [tag, node] = Object.entries(parsed.stmt)[0] as [string, Obj];
  if (tag !== 'SelectStmt') throw statementRefusal(tag, 'at the top level', node);
  const found = inspectSelect(parsed.stmt, { parameters: options.parameters ?? 0 });
  const relations = checkRelations(found, cteReferences(parsed.stmt), options);
  const capped = capRows(statementText(bytes, parsed), node, options.maxRows);
  assertSingleSelect(capped);
  return { sql: capped, relations, functions: found.functions };
}

/** The capped text must still parse as exactly one SELECT; anything else is a bug, never run. */
function assertSingleSelect(sql: string): void {
  const statements = parseStatements(sql);
  if (statements.length !== 1 || !('SelectStmt' in (statements[0]?.stmt ?? {}))) {
    throw refuse(
      'unsupported',
      'I could not limit the rows of this query safely.',
      'capped SQL did not re-parse',
    );
  }
}
