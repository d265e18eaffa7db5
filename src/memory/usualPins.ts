import type { DbSession } from '../db/client.ts';
import type { QueryPlan } from '../domain/types.ts';
import { onMemory } from './memoryErrors.ts';
import { planKey } from './planKey.ts';
import { camelFields, idOf, isoOf } from './rows.ts';

// Panels a person pinned to their /usual dashboard ("add to my usual" on an answer).

export interface UsualPin {
  id: number;
  title: string;
  plan: QueryPlan;
  planKey: string;
  createdAt: string;
}

interface PinRow {
  id: string;
  title: string;
  plan: QueryPlan;
  plan_key: string;
  created_at: unknown;
}

function pinOf(r: PinRow): UsualPin {
  return {
    id: idOf(r.id),
    ...camelFields(r, ['title', 'plan', 'plan_key']),
    createdAt: isoOf(r.created_at),
  };
}

/** Pins a plan (pinning the same plan again only renames it); returns the pin. */
export async function pinToUsual(
  db: DbSession,
  p: { teamId: string; userId: string; title: string; plan: QueryPlan },
): Promise<UsualPin> {
  return onMemory(async () => {
    const [row] = await db.query<PinRow>(
      `INSERT INTO usual_pins (team_id, user_id, title, plan, plan_key) VALUES ($1, $2, $3, $4::jsonb, $5)
       ON CONFLICT (team_id, user_id, plan_key) DO UPDATE SET title = EXCLUDED.title
       RETURNING id, title, plan, plan_key, created_at`,
      [p.teamId, p.userId, p.title, JSON.stringify(p.plan), planKey(p.plan)],
    );
    return pinOf(row!);
  });
}

export async function listUsualPins(db: DbSession, teamId: string, userId: string): Promise<UsualPin[]> {
  return onMemory(async () => {
    const rows = await db.query<PinRow>(
      `SELECT id, title, plan, plan_key, created_at FROM usual_pins
       WHERE team_id = $1 AND user_id = $2 ORDER BY created_at, id`,
      [teamId, userId],
    );
    return rows.map(pinOf);
  });
}

/** Removes one of the person's pins; false when they have no such pin. */
export async function unpinFromUsual(
  db: DbSession,
  teamId: string,
  userId: string,
  id: number,
): Promise<boolean> {
  return onMemory(async () => {
    const rows = await db.query(
      'DELETE FROM usual_pins WHERE team_id = $1 AND user_id = $2 AND id = $3 RETURNING id',
      [teamId, userId, id],
    );
    return rows.length > 0;
  });
}
