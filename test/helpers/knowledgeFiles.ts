// Knowledge files for the demo shop, written to a directory of the test's own.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BIG_TICKET_QUESTION = 'How many big-ticket orders did we have?';
export const BIG_TICKET_SQL =
  "SELECT COUNT(*) AS big_ticket_orders FROM orders WHERE total > 500 AND status <> 'cancelled'";
export const DATA_OWNER = 'U0DATAOWNER';

/** Revenue is completed orders only; one verified question; e-mail hidden; one owner. */
export const DEMO_KNOWLEDGE = `definitions:
  - term: revenue
    means: the total of completed orders only
    sql: SUM(orders.total) FILTER (WHERE orders.status = 'completed')
synonyms: { patrons: customers }
labels: { customers: name }
verified:
  - question: ${BIG_TICKET_QUESTION}
    sql: ${BIG_TICKET_SQL}
hidden: [customers.email]
owners: [${DATA_OWNER}]
`;

/** The same file with revenue defined on a column the shop does not have. */
export const MISSING_COLUMN_KNOWLEDGE = DEMO_KNOWLEDGE.replace(
  'SUM(orders.total)',
  'SUM(orders.grand_total)',
);

export interface KnowledgeDir {
  /** Writes `text` as a file of that name in the directory; returns its path. */
  write(name: string, text: string): Promise<string>;
  remove(): Promise<void>;
}

export async function knowledgeDir(): Promise<KnowledgeDir> {
  const dir = await mkdtemp(join(tmpdir(), 'quarry-knowledge-'));
  return {
    async write(name, text) {
      const file = join(dir, name);
      await writeFile(file, text);
      return file;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
