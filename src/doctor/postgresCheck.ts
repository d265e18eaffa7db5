import type { Db } from '../db/client.ts';
import { connectPostgres } from '../runtime.ts';
import { type Check, type CheckResult, reasonOf, whereOf } from './check.ts';

// The target and the memory database are checked alike: one connection, a line saying why when
// it cannot be made or the server cannot be inspected, and the connection closed after.

export interface PostgresToCheck {
  url: string;
  /** The variable that names the server. */
  variable: 'DATABASE_URL' | 'MEMORY_DATABASE_URL';
  /** What to do when no connection can be made. */
  connectFix: string;
}

export async function inspectPostgres(
  c: Check,
  server: PostgresToCheck,
  inspect: (db: Db) => Promise<CheckResult[]>,
): Promise<CheckResult[]> {
  const where = whereOf(server.url);
  let db: Db;
  try {
    db = await connectPostgres(server.url, server.variable, 1);
  } catch (e) {
    return [c.fail(`cannot connect to ${where}: ${reasonOf(e)}`, server.connectFix)];
  }
  try {
    return await inspect(db);
  } catch (e) {
    return [c.fail(`could not inspect ${where}: ${reasonOf(e)}`, `check ${server.variable}`)];
  } finally {
    await db.close();
  }
}
