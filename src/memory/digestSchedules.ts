import type { DbSession } from '../db/client.ts';
import type { QueryPlan } from '../domain/types.ts';
import { onMemory } from './memoryErrors.ts';
import { camelFields, idOf, isoOf } from './rows.ts';

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
    ...camelFields(r, [
      'team_id',
      'owner_user_id',
      'channel_id',
      'cadence',
      'time_of_day',
      'timezone',
      'day_of_week',
      'day_of_month',
      'run_on',
      'panels',
      'paused',
      'last_run_key',
    ]),
    lastRunAt: r.last_run_at === null ? null : isoOf(r.last_run_at),
    createdAt: isoOf(r.created_at),
  };
}

async function queried<R>(db: DbSession, sql: string, params: unknown[]): Promise<R[]> {
  return onMemory(() => db.query<R>(sql, params));
}

async function rowsOf(db: DbSession, sql: string, params: unknown[]): Promise<DigestSchedule[]> {
  return (await queried<ScheduleRow>(db, sql, params)).map(scheduleOf);
}

export async function createDigestSchedule(
  db: DbSession,
  s: Pick<
    DigestSchedule,
    'teamId' | 'ownerUserId' | 'channelId' | 'cadence' | 'timeOfDay' | 'timezone' | 'panels'
  > &
    Partial<Pick<DigestSchedule, 'dayOfWeek' | 'dayOfMonth' | 'runOn'>>,
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

/** Who claims a run slot: the scheduler job firing it, and which attempt of that job. */
export interface DigestClaimant {
  job: string;
  attempt: number;
}

/** Claims the run slot `runKey` of a schedule before posting it: null when the slot (or a later
 *  one) was delivered, or another run holds it. A later attempt of the job that holds it takes it
 *  over (`retaken`), even after later slots went out: the attempt before died between claiming
 *  and recording delivery, so the digest may or may not be in the channel already. */
export async function claimDigestRun(
  db: DbSession,
  teamId: string,
  id: number,
  runKey: string,
  by: DigestClaimant,
): Promise<{ retaken: boolean } | null> {
  // The schedule's row lock puts claims of one schedule in line.
  const [row] = await queried<{ retaken: boolean }>(
    db,
    `WITH s AS (
       SELECT id, last_run_key FROM digest_schedules WHERE team_id = $1 AND id = $2 AND NOT paused FOR UPDATE)
     INSERT INTO digest_runs (schedule_id, run_key, claimed_by, attempt)
     SELECT s.id, $3, $4, $5 FROM s
     WHERE s.last_run_key IS NULL OR s.last_run_key < $3
        OR EXISTS (SELECT 1 FROM digest_runs r WHERE r.schedule_id = s.id AND r.run_key = $3)
     ON CONFLICT (schedule_id, run_key) DO UPDATE SET attempt = EXCLUDED.attempt, claimed_at = now()
       WHERE digest_runs.delivered_at IS NULL AND digest_runs.claimed_by = EXCLUDED.claimed_by
         AND digest_runs.attempt < EXCLUDED.attempt
     RETURNING (xmax <> 0) AS retaken`,
    [teamId, id, runKey, by.job, by.attempt],
  );
  return row ? { retaken: row.retaken } : null;
}

/** Runs older than this are forgotten when a later one is delivered. */
const KEEP_RUNS = '30 days';

/** Records the slot as delivered (posted, or handled by telling the owner). */
export async function markDigestDelivered(
  db: DbSession,
  teamId: string,
  id: number,
  runKey: string,
): Promise<void> {
  // The schedule's row is locked first, as claimDigestRun locks it: the other order deadlocks
  // against a claim of the same schedule.
  await queried(
    db,
    `WITH s AS (
       SELECT id FROM digest_schedules WHERE team_id = $1 AND id = $2 FOR UPDATE),
     delivered AS (
       UPDATE digest_runs SET delivered_at = now()
       WHERE schedule_id = (SELECT id FROM s) AND run_key = $3
       RETURNING schedule_id),
     forgotten AS (
       DELETE FROM digest_runs WHERE schedule_id IN (SELECT schedule_id FROM delivered)
         AND claimed_at < now() - interval '${KEEP_RUNS}')
     UPDATE digest_schedules SET last_run_key = greatest(last_run_key, $3), last_run_at = now()
     WHERE id IN (SELECT schedule_id FROM delivered)`,
    [teamId, id, runKey],
  );
}

/** Gives back a claim whose digest could not be posted, so a retry may claim the slot again. */
export async function releaseDigestRun(
  db: DbSession,
  teamId: string,
  id: number,
  runKey: string,
  by: DigestClaimant,
): Promise<void> {
  await queried(
    db,
    `DELETE FROM digest_runs
     WHERE schedule_id = (SELECT id FROM digest_schedules WHERE team_id = $1 AND id = $2) AND run_key = $3
       AND claimed_by = $4 AND attempt = $5 AND delivered_at IS NULL`,
    [teamId, id, runKey, by.job, by.attempt],
  );
}
