// Loads the demo shop into an empty database through a pool of its own, closed afterwards, for
// setups that hand the database to a runtime rather than query it themselves.
import { postgresDb } from '../../src/db/postgres.ts';
import { loadDemo } from '../../src/demo/load.ts';

export async function loadDemoShop(url: string, scale: number): Promise<void> {
  // loadDemo works in one session, so one connection is all it needs.
  const db = postgresDb(url, { max: 1 });
  try {
    await loadDemo(db, { scale });
  } finally {
    await db.close();
  }
}
