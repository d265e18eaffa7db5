import type { webApi } from '@slack/bolt';
import { getJson, setJson } from '../memory/kv.ts';
import { updateProfile } from '../memory/profiles.ts';
import type { BotServices } from './services.ts';

// A person's timezone and locale from their Slack profile: they shape "last month" and how
// numbers read. Looked up once an hour (cached in the Kv) and copied into their Quarry profile.

export const USER_SETTINGS_TTL_SECONDS = 3600;

export interface UserSettings {
  timeZone?: string;
  locale?: string;
}

const settingsKey = (teamId: string, userId: string) => `slack_user:${teamId}:${userId}`;

/** Settings for the person; empty when Slack or the stores cannot say (answers go on in UTC). */
export async function userSettings(
  services: BotServices,
  client: webApi.WebClient,
  teamId: string,
  userId: string,
): Promise<UserSettings> {
  const { kv, log } = services;
  const cached = await getJson<UserSettings>(kv, settingsKey(teamId, userId)).catch(() => null);
  if (cached) return cached;
  let settings: UserSettings;
  try {
    const { user } = await client.users.info({ user: userId, include_locale: true });
    settings = { timeZone: user?.tz || undefined, locale: user?.locale || undefined };
  } catch (e) {
    log.warn({ err: e, userId }, 'users.info failed; answering without the person’s timezone');
    return {};
  }
  await setJson(kv, settingsKey(teamId, userId), settings, USER_SETTINGS_TTL_SECONDS).catch(() => {});
  if (settings.timeZone || settings.locale) {
    await updateProfile({ db: services.memoryDb, kv }, teamId, userId, {
      preferences: settings.timeZone ? { timezone: settings.timeZone } : undefined,
      locale: settings.locale,
    }).catch((e) => log.warn({ err: e, userId }, 'could not store the timezone in the profile'));
  }
  return settings;
}
