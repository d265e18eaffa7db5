import { loadConfig } from '../config.ts';
import { ConfigError } from '../errors.ts';
import { migrate } from '../memory/migrate.ts';
import { connectPostgres } from '../runtime.ts';

export async function migrateCommand(opts: { databaseUrl?: string }): Promise<number> {
  const config = loadConfig();
  const url = opts.databaseUrl ?? config.MEMORY_DATABASE_URL;
  if (!url) {
    throw new ConfigError(
      "Set MEMORY_DATABASE_URL (or pass --database-url) to the PostgreSQL database that holds Quarry's own tables. The embedded default migrates itself.",
    );
  }
  const db = await connectPostgres(url, 'MEMORY_DATABASE_URL', 2);
  try {
    const { applied } = await migrate(db);
    process.stdout.write(
      applied.length
        ? `Applied ${applied.length} migration(s): ${applied.join(', ')}\n`
        : 'Already up to date.\n',
    );
    return 0;
  } finally {
    await db.close();
  }
}
