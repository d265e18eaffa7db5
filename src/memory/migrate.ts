import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db, DbSession } from '../db/client.ts';
import { MemoryUnavailable } from '../errors.ts';
import { onMemory } from './memoryErrors.ts';

// Applies migrations/NNN_name.sql in order, each once, each in its own transaction. A session
// advisory lock makes replicas that start together take turns: the first applies, the others
// then find nothing left to do.

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** An arbitrary constant naming Quarry's migration lock among the server's advisory locks. */
const MIGRATION_LOCK = 7_104_315_226_401;
const MIGRATION_FILE = /^\d{3,}_[a-z0-9_]+\.sql$/;

async function migrationFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => MIGRATION_FILE.test(f)).sort();
}

function installAdvice(db: Db, serverMajor: string): string {
  if (db.kind === 'pglite')
    return 'Create the embedded database with the vector extension: new PGlite({ extensions: { vector } }) from @electric-sql/pglite-pgvector.';
  return (
    `Install pgvector on the database server (Debian/Ubuntu: apt install postgresql-${serverMajor}-pgvector; ` +
    'macOS: brew install pgvector; Docker: the pgvector/pgvector image), then run `quarry migrate` again.'
  );
}

/** Fails with install instructions before any migration runs when pgvector is missing. */
async function requireVector(db: Db, s: DbSession): Promise<void> {
  const [row] = await s.query<{ installed: boolean; available: boolean; major: string }>(
    `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') AS installed,
            EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS available,
            (current_setting('server_version_num')::int / 10000)::text AS major`,
  );
  if (row?.installed || row?.available) return;
  throw new MemoryUnavailable(
    `Quarry's memory database needs the pgvector extension, which this server does not have. ${installAdvice(db, row?.major ?? '')}`,
    `database ${db.label}: extension "vector" is not available`,
  );
}

async function applyOne(db: Db, s: DbSession, name: string, sql: string): Promise<void> {
  await s.exec('BEGIN');
  try {
    await s.exec(sql);
    await s.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
    await s.exec('COMMIT');
  } catch (e) {
    await s.exec('ROLLBACK').catch(() => {});
    const code = (e as { code?: string }).code;
    if (code === '42501' && name.includes('vector'))
      throw new MemoryUnavailable(
        `Quarry's memory database user may not create the pgvector extension. Ask an administrator to run CREATE EXTENSION vector; in database ${db.label}, then run \`quarry migrate\` again.`,
        `${name}: ${(e as Error).message}`,
      );
    // Name the file in the message: the operator needs to know which migration failed.
    if (e instanceof Error) e.message = `${name}: ${e.message}`;
    throw e;
  }
}

/** Brings the memory database up to date; returns the migrations applied by this call. */
export async function migrate(db: Db, dir: string = MIGRATIONS_DIR): Promise<{ applied: string[] }> {
  const files = await migrationFiles(dir);
  return onMemory(() =>
    db.session(async (s) => {
      await s.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      try {
        await requireVector(db, s);
        await s.exec(
          'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
        );
        const done = new Set(
          (await s.query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name),
        );
        const applied: string[] = [];
        for (const name of files) {
          if (done.has(name)) continue;
          await applyOne(db, s, name, await readFile(join(dir, name), 'utf8'));
          applied.push(name);
        }
        return { applied };
      } finally {
        await s.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
      }
    }),
  );
}
