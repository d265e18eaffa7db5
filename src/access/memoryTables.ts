import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MIGRATIONS_DIR } from '../memory/migrate.ts';

// Quarry's own tables hold other people's questions, other teams' patterns and Slack tokens.
// When the memory and target databases are one, these tables are denied like any other, so a
// question can never read them. Their names come from the migrations, so a new table is
// covered the day it is added.

const CREATE_TABLE =
  /create\s+table\s+(?:if\s+not\s+exists\s+)?(?:[a-z_][a-z0-9_]*\.)?"?([a-z_][a-z0-9_]*)"?/gi;

/** Tables the migrations create, plus the migration ledger itself. */
export async function memoryTableNames(dir: string = MIGRATIONS_DIR): Promise<string[]> {
  const names = new Set(['schema_migrations']);
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.sql'))) {
    const sql = await readFile(join(dir, file), 'utf8');
    for (const m of sql.matchAll(CREATE_TABLE)) names.add(m[1]!.toLowerCase());
  }
  return [...names].sort();
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

function place(url: string): string | null {
  try {
    const u = new URL(url);
    const host = LOOPBACK.has(u.hostname) ? 'loopback' : u.hostname.toLowerCase();
    const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || decodeURIComponent(u.username);
    return `${host}:${u.port || '5432'}/${database}`;
  } catch {
    return null;
  }
}

/** Whether two connection strings name the same database (host, port and database name). */
export function sameDatabase(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const pa = place(a);
  return pa !== null && pa === place(b);
}
