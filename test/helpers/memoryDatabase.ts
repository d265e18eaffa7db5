// Quarry's memory tables in a PostgreSQL database of one test file's own (or a bench's), for
// tests of the memory code that need no target and no runtime.
import type { Db } from '../../src/db/client.ts';
import { postgresDb } from '../../src/db/postgres.ts';
import { migrate } from '../../src/memory/migrate.ts';
import { MEMORY_SESSION_SETTINGS } from '../../src/memory/sessionSettings.ts';
import { createTestDatabase } from './services.ts';

/** A pool on a new, migrated memory database; closing the pool also drops the database. */
export async function openMemoryTestDb(options: { max?: number } = {}): Promise<Db> {
  const database = await createTestDatabase({ vector: true });
  const db = postgresDb(database.url, { max: options.max, settings: MEMORY_SESSION_SETTINGS });
  const close = async () => {
    await db.close();
    await database.drop();
  };
  try {
    await migrate(db);
  } catch (e) {
    await close();
    throw e;
  }
  return { ...db, close };
}
