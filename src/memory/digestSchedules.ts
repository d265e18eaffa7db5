import type { DbSession } from '../db/client.ts';
import type { QueryPlan } from '../pipeline/types.ts';
import { asMemoryError } from './memoryErrors.ts';
import { idOf, isoOf } from './rows.ts';

// Scheduled channel digests of a dashboard (`/usual schedule daily 09:00 #channel`). The
// schedules live here; the job scheduler that fires them claims each run slot through
// claimDigestRun, so however many replicas fire, one posts.

export type Cadence = 'daily' | 'weekdays' | 'weekly' | 'monthly' | 'once';

export interface DigestPanel {
  title: string;
  plan: QueryPlan;
}

export interface DigestSchedule {
  id: number;
  teamId: string;
  ownerUserId: string;
  channelId: string;
  cadence: Cadence;
  /** "HH:MM" in `timezone`. */
  timeOfDay: string;
  timezone: string;
  /** Weekly: 0 = Sunday … 6 = Saturday. */
  dayOfWeek: number | null;
  /** Monthly: 1–28. */
  dayOfMonth: number | null;
  /** Once: the local date ("2026-12-01"). */
  runOn: string | null;
  panels: DigestPanel[];
  paused: boolean;
  lastRunKey: string | null;
  lastRunAt: string | null;
  createdAt: string;
}

interface ScheduleRow {
  id: string;
  team_id: string;
  owner_user_id: string;
  channel_id: string;
  cadence: Cadence;
  time_of_day: string;
  timezone: string;
  day_of_week: number | null;
  day_of_month: number | null;
  run_on: string | null;
  panels: DigestPanel[];
  paused: boolean;
  last_run_key: string | null;
  last_run_at: unknown;
  created_at: unknown;
}

const COLUMNS =
  'id, team_id, owner_user_id, channel_id, cadence, time_of_day, timezone, day_of_week, day_of_month, run_on::text AS run_on, panels, paused, last_run_key, last_run_at, created_at';

function scheduleOf(r: ScheduleRow): DigestSchedule {
  return {
    id: idOf(r.id),
    teamId: r.team_id,
    ownerUserId: r.owner_user_id,
    channelId: r.channel_id,
    cadence: r.cadence,
    timeOfDay: r.time_of_day,
    timezone: r.timezone,
    dayOfWeek: r.day_of_week,
    dayOfMonth: r.day_of_month,
    runOn: r.run_on,
    panels: r.panels,
    paused: r.paused,
    lastRunKey: r.last_run_key,
    lastRunAt: r.last_run_at === null ? null : isoOf(r.last_run_at),
    createdAt: isoOf(r.created_at),
  };
}

async function rowsOf(db: DbSession, sql: string, params: unknown[]): Promise<DigestSchedule[]> {
  try {
    return (await db.query<ScheduleRow>(sql, params)).map(scheduleOf);
  } catch (e) {
    throw asMemoryError(e);
  }
}

export async function createDigestSchedule(
  db: DbSession,
  s: {
    teamId: string;
    ownerUserId: string;
    channelId: string;
    cadence: Cadence;
    timeOfDay: string;
    timezone: string;
    panels: DigestPanel[];
    dayOfWeek?: number | null;
    dayOfMonth?: number | null;
    runOn?: string | null;
  },
): Promise<DigestSchedule> {
  const [created] = await rowsOf(
    db,
    `INSERT INTO digest_schedules (team_id, owner_user_id, channel_id, cadence, time_of_day, timezone, panels,
       day_of_week, day_of_month, run_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10) RETURNING ${COLUMNS}`,
    [
      s.teamId,
      s.ownerUserId,
      s.channelId,
      s.cadence,
      s.timeOfDay,
      s.timezone,
      JSON.stringify(s.panels),
      s.dayOfWeek ?? null,
      s.dayOfMonth ?? null,
      s.runOn ?? null,
    ],
  );
  return created!;
}

/** One schedule of the team, or null. */
export async function getDigestSchedule(
  db: DbSession,
  teamId: string,
  id: number,
): Promise<DigestSchedule | null> {
  const [found] = await rowsOf(db, `SELECT ${COLUMNS} FROM digest_schedules WHERE team_id = $1 AND id = $2`, [
    teamId,
    id,
  ]);
  return found ?? null;
}

/** The team's schedules (`/usual list`), optionally only one person's. */
export function listDigestSchedules(
  db: DbSession,
  teamId: string,
  ownerUserId?: string,
): Promise<DigestSchedule[]> {
  return rowsOf(
    db,
    `SELECT ${COLUMNS} FROM digest_schedules
     WHERE team_id = $1 AND ($2::text IS NULL OR owner_user_id = $2) ORDER BY id`,
    [teamId, ownerUserId ?? null],
  );
}

/** Every team's running schedules: what the job scheduler arms at start-up. The one read
 *  across teams, made by the system itself and never on a person's behalf. */
export function listActiveDigestSchedules(db: DbSession): Promise<DigestSchedule[]> {
  return rowsOf(db, `SELECT ${COLUMNS} FROM digest_schedules WHERE NOT paused ORDER BY id`, []);
}

/** Deletes a schedule of the team (`/usual stop <id>`); false when there is none. */
export async function stopDigestSchedule(db: DbSession, teamId: string, id: number): Promise<boolean> {
  const rows = await rowsOf(
    db,
    `DELETE FROM digest_schedules WHERE team_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
    [teamId, id],
  );
  return rows.length > 0;
}

export async function setDigestPaused(
  db: DbSession,
  teamId: string,
  id: number,
  paused: boolean,
): Promise<boolean> {
  const rows = await rowsOf(
    db,
    `UPDATE digest_schedules SET paused = $3 WHERE team_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
    [teamId, id, paused],
  );
  return rows.length > 0;
}

/** Claims the run slot `runKey` of a schedule: true for exactly one caller per slot, however
 *  many replicas ask at once. Keys must sort in time order ("2025-06-02T09:00"), so a late
 *  replica can never claim a slot older than one already delivered. */
export async function claimDigestRun(
  db: DbSession,
  teamId: string,
  id: number,
  runKey: string,
): Promise<boolean> {
  const rows = await rowsOf(
    db,
    `UPDATE digest_schedules SET last_run_key = $3, last_run_at = now()
     WHERE team_id = $1 AND id = $2 AND NOT paused AND (last_run_key IS NULL OR last_run_key < $3)
     RETURNING ${COLUMNS}`,
    [teamId, id, runKey],
  );
  return rows.length > 0;
}

/** Gives back a claimed slot whose digest could not be posted, so a retry may claim it again:
 *  the schedule's last delivered slot becomes `previousKey` again, unless a later slot has been
 *  claimed meanwhile. */
export async function releaseDigestRun(
  db: DbSession,
  teamId: string,
  id: number,
  runKey: string,
  previousKey: string | null,
): Promise<boolean> {
  const rows = await rowsOf(
    db,
    `UPDATE digest_schedules SET last_run_key = $4
     WHERE team_id = $1 AND id = $2 AND last_run_key = $3
     RETURNING ${COLUMNS}`,
    [teamId, id, runKey, previousKey],
  );
  return rows.length > 0;
}
