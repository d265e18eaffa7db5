import { createHash } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { onMemory } from './memoryErrors.ts';
import { retirePatternsMentioning } from './patterns.ts';
import { inTransaction } from './transaction.ts';

// The knowledge file's definitions as last applied. When a term is added, changed or removed
// in the file, every workspace's patterns mentioning it are retired, as a chat definition does.

export interface FileDefinition {
  term: string;
  means: string;
  sql?: string;
}

const digestOf = (d: FileDefinition) =>
  createHash('sha256')
    .update(JSON.stringify([d.means, d.sql ?? null]))
    .digest('hex');

/** Records the file's definitions; returns the terms whose patterns were retired. */
export async function applyFileDefinitions(db: Db, definitions: FileDefinition[]): Promise<string[]> {
  return onMemory(async () => {
    return await inTransaction(
      db,
      async (s) => {
        const rows = await s.query<{ term: string; digest: string }>(
          'SELECT term, digest FROM knowledge_definitions',
        );
        const before = new Map(rows.map((r) => [r.term, r.digest]));
        const now = new Map(definitions.map((d) => [d.term, digestOf(d)]));
        const changed = [
          ...[...now].filter(([term, digest]) => before.get(term) !== digest).map(([term]) => term),
          ...[...before.keys()].filter((term) => !now.has(term)),
        ];
        for (const term of changed) {
          await retirePatternsMentioning(s, null, term);
          const digest = now.get(term);
          if (digest)
            await s.query(
              `INSERT INTO knowledge_definitions (term, digest) VALUES ($1, $2)
             ON CONFLICT (term) DO UPDATE SET digest = EXCLUDED.digest, applied_at = now()`,
              [term, digest],
            );
          else await s.query('DELETE FROM knowledge_definitions WHERE term = $1', [term]);
        }
        return changed;
      },
      // Replicas starting together apply the file once.
      'LOCK TABLE knowledge_definitions IN SHARE ROW EXCLUSIVE MODE;',
    );
  });
}
