import { parseSync } from 'libpg-query';
import { quoteIdent } from '../compile/quote.ts';
import { cteReferences } from './cteScope.ts';
import { refuse } from './refusals.ts';
import { isObj } from './walk.ts';

// Writes every table of a guarded statement with its schema, so the statement can run with
// only pg_catalog on the search path: then every function, operator and type it names
// unqualified is PostgreSQL's own, never a same-named one a user created in the target.
// Call after the guard, which has loaded the parser and passed the statement.

export interface TableRead {
  schema: string;
  name: string;
}

interface TableRef {
  location: number;
  schema?: string;
  name: string;
}

/** The table references that are not CTEs, last first. */
function tableRefs(tree: unknown): TableRef[] {
  const ctes = cteReferences(tree);
  const found: TableRef[] = [];
  const stack: unknown[] = [tree];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) stack.push(...value);
    else if (isObj(value)) {
      if (typeof value.relname === 'string') {
        const location = typeof value.location === 'number' ? value.location : 0;
        const schema = typeof value.schemaname === 'string' ? value.schemaname : undefined;
        if (!ctes.has(location)) found.push({ location, schema, name: value.relname });
      }
      stack.push(...Object.values(value));
    }
  }
  return found.sort((a, b) => b.location - a.location);
}

/** `sql` with `schema.` written before each unqualified table, and every table it reads;
 *  `schemaOf` says where a name resolves (as the role's search path would), undefined when no
 *  known table has it. */
export function qualifyTables(
  sql: string,
  schemaOf: (table: string) => string | undefined,
): { sql: string; tables: TableRead[] } {
  let bytes = Buffer.from(sql, 'utf8');
  const tables: TableRead[] = [];
  // From the last reference back, so earlier offsets stay right.
  for (const { location, schema: written, name } of tableRefs(parseSync(sql).stmts)) {
    if (written !== undefined) {
      tables.push({ schema: written, name });
      continue;
    }
    const schema = schemaOf(name);
    if (schema === undefined) {
      throw refuse('unknown_table', `I don't know a table called ${name} in this database.`, name);
    }
    const prefix = Buffer.from(`${quoteIdent(schema)}.`, 'utf8');
    bytes = Buffer.concat([bytes.subarray(0, location), prefix, bytes.subarray(location)]);
    tables.push({ schema, name });
  }
  return { sql: bytes.toString('utf8'), tables };
}
