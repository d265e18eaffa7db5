import type { Db, DbSession } from '../db/client.ts';

/** Runs `fn` in a transaction on one connection: COMMIT when it returns, ROLLBACK when it
 *  throws. `setup` statements (SET LOCAL …) run right after BEGIN in the same round trip. */
export async function inTransaction<T>(db: Db, fn: (s: DbSession) => Promise<T>, setup = ''): Promise<T> {
  return db.session(async (s) => {
    await s.exec(`BEGIN;${setup}`);
    try {
      const result = await fn(s);
      await s.exec('COMMIT');
      return result;
    } catch (e) {
      await s.exec('ROLLBACK').catch(() => {});
      throw e;
    }
  });
}
