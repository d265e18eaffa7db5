import type { DbSession } from '../db/client.ts';
import type { Kv } from './kv.ts';
import { getJson, setJson } from './kv.ts';
import { onMemory } from './memoryErrors.ts';
import { isoOf } from './rows.ts';

// A person's profile (docs/architecture.md#the-memory-tables): preferences that shape answers and
// counters of how they use Quarry. The row lives in Postgres; a copy is cached in the Kv for an
// hour. The cache is a convenience: when the Kv is down, profiles come from Postgres alone.

export const PROFILE_TTL_SECONDS = 3600;

export interface Preferences {
  default_limit: number;
  preferred_charts: string[];
  timezone: string;
  date_format: string;
}

/** The same defaults as the column default in migrations/002_user_profiles.sql. */
export const DEFAULT_PREFERENCES: Preferences = {
  default_limit: 100,
  preferred_charts: ['table'],
  timezone: 'UTC',
  date_format: 'YYYY-MM-DD',
};

export type ExpertiseLevel = 'beginner' | 'intermediate' | 'expert';

export interface Profile {
  teamId: string;
  userId: string;
  preferences: Preferences;
  /** Flat counters ("hour:09", "table:public.orders", "chart:bar"); may lag up to an hour in
   *  the cached copy. */
  usagePatterns: Record<string, number>;
  expertiseLevel: ExpertiseLevel;
  locale: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ProfileStores {
  db: DbSession;
  kv: Kv;
}

interface ProfileRow {
  team_id: string;
  user_id: string;
  preferences: Preferences;
  usage_patterns: Record<string, number>;
  expertise_level: ExpertiseLevel;
  locale: string | null;
  created_at: unknown;
  updated_at: unknown;
}

const COLUMNS =
  'team_id, user_id, preferences, usage_patterns, expertise_level, locale, created_at, updated_at';

function profileOf(r: ProfileRow): Profile {
  return {
    teamId: r.team_id,
    userId: r.user_id,
    // Keys added to the defaults later still reach rows written before.
    preferences: { ...DEFAULT_PREFERENCES, ...r.preferences },
    usagePatterns: r.usage_patterns,
    expertiseLevel: r.expertise_level,
    locale: r.locale,
    createdAt: isoOf(r.created_at),
    updatedAt: isoOf(r.updated_at),
  };
}

export function profileKey(teamId: string, userId: string): string {
  return `profile:${teamId}:${userId}`;
}

/** Cache writes are best-effort: a Kv outage must not fail a profile read or update. */
async function cache(kv: Kv, profile: Profile): Promise<void> {
  await setJson(kv, profileKey(profile.teamId, profile.userId), profile, PROFILE_TTL_SECONDS).catch(() => {});
}

/** The person's profile, created with the defaults on first use. */
export async function getProfile(stores: ProfileStores, teamId: string, userId: string): Promise<Profile> {
  const cached = await getJson<Profile>(stores.kv, profileKey(teamId, userId)).catch(() => null);
  if (cached) return cached;
  return onMemory(async () => {
    // DO UPDATE (a no-op write) rather than DO NOTHING so the row comes back in one round trip.
    const [row] = await stores.db.query<ProfileRow>(
      `INSERT INTO user_profiles (team_id, user_id) VALUES ($1, $2)
       ON CONFLICT (team_id, user_id) DO UPDATE SET team_id = EXCLUDED.team_id
       RETURNING ${COLUMNS}`,
      [teamId, userId],
    );
    const profile = profileOf(row!);
    await cache(stores.kv, profile);
    return profile;
  });
}

export interface ProfileChanges {
  /** Merged into the stored preferences (timezone and locale from Slack, a learned limit…). */
  preferences?: Partial<Preferences>;
  locale?: string | null;
  expertiseLevel?: ExpertiseLevel;
}

/** Applies changes (creating the profile if needed) and refreshes the cached copy. */
export async function updateProfile(
  stores: ProfileStores,
  teamId: string,
  userId: string,
  changes: ProfileChanges,
): Promise<Profile> {
  return onMemory(async () => {
    const [row] = await stores.db.query<ProfileRow>(
      `INSERT INTO user_profiles AS p (team_id, user_id, preferences, locale, expertise_level)
       VALUES ($1, $2, $3::jsonb || $4::jsonb, $6, coalesce($7, 'beginner'))
       ON CONFLICT (team_id, user_id) DO UPDATE SET
         preferences = p.preferences || $4::jsonb,
         locale = CASE WHEN $5::boolean THEN $6 ELSE p.locale END,
         expertise_level = coalesce($7, p.expertise_level),
         updated_at = now()
       RETURNING ${COLUMNS}`,
      [
        teamId,
        userId,
        JSON.stringify(DEFAULT_PREFERENCES),
        JSON.stringify(changes.preferences ?? {}),
        changes.locale !== undefined,
        changes.locale ?? null,
        changes.expertiseLevel ?? null,
      ],
    );
    const profile = profileOf(row!);
    await cache(stores.kv, profile);
    return profile;
  });
}

/** Adds to the person's usage counters (one statement; runs inside the learn transaction) and
 *  answers the counters as they are now. */
export async function recordUsage(
  db: DbSession,
  teamId: string,
  userId: string,
  counters: Record<string, number>,
): Promise<Record<string, number>> {
  if (Object.keys(counters).length === 0) return {};
  const [row] = await db.query<{ usage_patterns: Record<string, number> }>(
    `INSERT INTO user_profiles AS p (team_id, user_id, usage_patterns) VALUES ($1, $2, $3::jsonb)
     ON CONFLICT (team_id, user_id) DO UPDATE SET
       usage_patterns = p.usage_patterns || (
         SELECT jsonb_object_agg(n.key, coalesce((p.usage_patterns ->> n.key)::bigint, 0) + n.value::bigint)
         FROM jsonb_each_text($3::jsonb) AS n),
       updated_at = now()
     RETURNING usage_patterns`,
    [teamId, userId, JSON.stringify(counters)],
  );
  return row?.usage_patterns ?? {};
}

/** Usage counters that teach preferences: `limit:20` (rows asked for), `chart:bar`. */
export const LIMIT_COUNTER = 'limit:';
export const CHART_COUNTER = 'chart:';

/** Whether usage counters include any that teach a preference. */
export function teachesPreferences(counters: Record<string, number>): boolean {
  return Object.keys(counters).some((k) => k.startsWith(LIMIT_COUNTER) || k.startsWith(CHART_COUNTER));
}

/** A number of rows becomes the default once asked for explicitly this many times. */
export const LIMIT_LEARNED_AFTER = 3;
/** A chart kind becomes a favourite once asked for this many times. */
export const CHART_LEARNED_AFTER = 2;

function countsOf(usage: Record<string, number>, prefix: string, atLeast: number): [string, number][] {
  return Object.entries(usage)
    .filter(([k, n]) => k.startsWith(prefix) && Number(n) >= atLeast)
    .map(([k, n]): [string, number] => [k.slice(prefix.length), Number(n)])
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** What a person's questions say they prefer: the number of rows they keep asking for ("top 20")
 *  and the chart kinds they keep asking for ("as a bar chart"), most asked first. */
export function learnedPreferences(usage: Record<string, number>): Partial<Preferences> {
  const learned: Partial<Preferences> = {};
  const [limit] = countsOf(usage, LIMIT_COUNTER, LIMIT_LEARNED_AFTER);
  if (limit) learned.default_limit = Number(limit[0]);
  const charts = countsOf(usage, CHART_COUNTER, CHART_LEARNED_AFTER).map(([kind]) => kind);
  if (charts.length) learned.preferred_charts = charts;
  return learned;
}

/** Writes what the usage counters teach into the preferences (inside the learn transaction);
 *  true when something changed. */
export async function learnPreferences(
  db: DbSession,
  teamId: string,
  userId: string,
  usage: Record<string, number>,
): Promise<boolean> {
  const learned = learnedPreferences(usage);
  if (Object.keys(learned).length === 0) return false;
  const rows = await db.query(
    `UPDATE user_profiles SET preferences = preferences || $3::jsonb, updated_at = now()
     WHERE team_id = $1 AND user_id = $2 AND NOT preferences @> $3::jsonb
     RETURNING user_id`,
    [teamId, userId, JSON.stringify(learned)],
  );
  return rows.length > 0;
}

/** Drops the cached copy, so the next read sees preferences just learned. */
export async function forgetCachedProfile(kv: Kv, teamId: string, userId: string): Promise<void> {
  await kv.del(profileKey(teamId, userId)).catch(() => {});
}
