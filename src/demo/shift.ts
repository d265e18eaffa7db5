// Keeps a stored demo shop current: its dates are relative to the day it was generated, so
// on a later day every timestamp moves forward by the whole days since, and "last month"
// still means the same slice of the shop.

import type { Db } from '../db/client.ts';

/** Moves the shop `days` forward; rows that would then lie after `now` are removed. */
export async function shiftDemoDates(db: Db, days: number, now: Date): Promise<void> {
  if (days === 0) return;
  await db.session(async (s) => {
    await s.exec('BEGIN');
    try {
      for (const table of ['customers', 'products', 'orders']) {
        await s.query(`UPDATE ${table} SET created_at = created_at + $1::int * interval '1 day'`, [days]);
      }
      // The generating day was filled only up to its hour; moved onto today, its later hours
      // would lie ahead of now. They go (lines, orders, then sign-ups), as if not yet happened.
      const at = [now.toISOString()];
      await s.query(
        'DELETE FROM order_items WHERE order_id IN (SELECT id FROM orders WHERE created_at > $1::timestamptz)',
        at,
      );
      await s.query('DELETE FROM orders WHERE created_at > $1::timestamptz', at);
      await s.query('DELETE FROM customers WHERE created_at > $1::timestamptz', at);
      await s.exec('COMMIT');
    } catch (e) {
      await s.exec('ROLLBACK');
      throw e;
    }
  });
  // An UPDATE leaves a dead copy of every row and the embedded database has no autovacuum.
  await db.exec('VACUUM ANALYZE customers, products, orders, order_items');
}
