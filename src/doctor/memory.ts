import { readdir } from 'node:fs/promises';
import type { Db } from '../db/client.ts';
import { MIGRATIONS_DIR } from '../memory/migrate.ts';
import { type CheckResult, check, whereOf } from './check.ts';
import { inspectPostgres, type PostgresToCheck } from './postgresCheck.ts';

// Quarry's own database: reachable, pgvector there (or installable), migrations applied.

interface MemoryFacts {
  vector_installed: boolean;
  vector_available: boolean;
  has_ledger: boolean;
}

const FACTS_SQL = `
SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') AS vector_installed,
       EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS vector_available,
       to_regclass('schema_migrations') IS NOT NULL AS has_ledger`;

async function pendingMigrations(db: Db, hasLedger: boolean): Promise<string[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
  if (!hasLedger) return files;
  const done = new Set(
    (await db.query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name),
  );
  return files.filter((f) => !done.has(f));
}

export async function checkMemory(url: string | undefined, sharesTarget: boolean): Promise<CheckResult[]> {
  const c = check('Memory database');
  if (!url) {
    return c.notSet(
      "Quarry's own tables live in an embedded database in QUARRY_DATA_DIR (one machine only)",
      'set MEMORY_DATABASE_URL to a PostgreSQL with pgvector to share memory between replicas',
    );
  }
  const server: PostgresToCheck = {
    url,
    variable: 'MEMORY_DATABASE_URL',
    connectFix: 'check MEMORY_DATABASE_URL',
  };
  return inspectPostgres(c, server, async (db) => {
    const [facts] = (await db.query<MemoryFacts>(FACTS_SQL)) as [MemoryFacts];
    const results = [c.ok(`connects to ${whereOf(url)}`)];
    if (facts.vector_installed) results.push(c.ok('pgvector is installed'));
    else if (facts.vector_available)
      results.push(
        c.warn(
          'pgvector is available but not created yet',
          'run `quarry migrate` as a user allowed to CREATE EXTENSION',
        ),
      );
    else
      results.push(
        c.fail(
          'pgvector is not installed on this server',
          'install it (Debian/Ubuntu: apt install postgresql-15-pgvector; Docker: the pgvector/pgvector image)',
        ),
      );
    const pending = await pendingMigrations(db, facts.has_ledger);
    results.push(
      pending.length
        ? c.warn(`${pending.length} migration(s) not applied: ${pending.join(', ')}`, 'run `quarry migrate`')
        : c.ok('all migrations applied'),
    );
    if (sharesTarget) {
      results.push(c.info("same database as the target: Quarry's own tables are hidden from questions"));
    }
    return results;
  });
}
