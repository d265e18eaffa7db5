import type { DbSession } from '../db/client.ts';
import type { SchemaInfo } from '../domain/types.ts';
import { onMemory } from './memoryErrors.ts';

// The durable tier of the schema cache (docs/architecture.md#schema): Postgres `schema_cache`,
// without expiry. The faster tiers (in-process, Redis) are in src/pipeline/schema/cacheLayers.ts.

export async function getCachedSchema(
  db: DbSession,
  teamId: string,
  database: string,
): Promise<SchemaInfo | null> {
  return onMemory(async () => {
    const [row] = await db.query<{ schema: SchemaInfo }>(
      'SELECT schema FROM schema_cache WHERE team_id = $1 AND database = $2',
      [teamId, database],
    );
    return row?.schema ?? null;
  });
}

/** Stores the schema; returns the fingerprint it replaced (null for the first), so the caller
 *  can retire patterns of a schema that changed. */
export async function putCachedSchema(
  db: DbSession,
  teamId: string,
  schema: SchemaInfo,
): Promise<{ previousFingerprint: string | null }> {
  return onMemory(async () => {
    const [row] = await db.query<{ previous: string | null }>(
      `WITH previous AS (SELECT fingerprint FROM schema_cache WHERE team_id = $1 AND database = $2)
       INSERT INTO schema_cache (team_id, database, fingerprint, schema, discovered_at)
       VALUES ($1, $2, $3, $4::jsonb, $5)
       ON CONFLICT (team_id, database) DO UPDATE SET
         fingerprint = EXCLUDED.fingerprint, schema = EXCLUDED.schema, discovered_at = EXCLUDED.discovered_at
       RETURNING (SELECT fingerprint FROM previous) AS previous`,
      [teamId, schema.database, schema.fingerprint, JSON.stringify(schema), schema.discoveredAt],
    );
    return { previousFingerprint: row?.previous ?? null };
  });
}
