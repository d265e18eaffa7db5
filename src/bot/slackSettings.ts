import type { Config } from '../config.ts';
import { ConfigError } from '../errors.ts';

// What `quarry serve` needs from the environment. The shapes are checked when the config is
// loaded; this says which variable is missing for the chosen mode and where to find it.

export type SlackSettings =
  | { mode: 'socket'; botToken: string; appToken: string; apiUrl?: string }
  | { mode: 'http'; botToken: string; signingSecret: string; apiUrl?: string };

const APPS_PAGE = 'https://api.slack.com/apps → your app';

const WHERE: Record<'SLACK_BOT_TOKEN' | 'SLACK_SIGNING_SECRET', string> = {
  SLACK_BOT_TOKEN: `the Bot User OAuth Token (xoxb-…) at ${APPS_PAGE} → OAuth & Permissions`,
  SLACK_SIGNING_SECRET: `the Signing Secret at ${APPS_PAGE} → Basic Information → App Credentials (or set SLACK_APP_TOKEN to use Socket Mode instead)`,
};

/** Whether enough is set to run in Slack (a bot token); `quarry` then starts the Slack app. */
export function slackConfigured(config: Config): boolean {
  return Boolean(config.SLACK_BOT_TOKEN);
}

/** The settings for the Slack app, or one ConfigError naming every missing variable. */
export function requireSlackSettings(config: Config): SlackSettings {
  const missing: (keyof typeof WHERE)[] = [];
  if (!config.SLACK_BOT_TOKEN) missing.push('SLACK_BOT_TOKEN');
  if (!config.SLACK_APP_TOKEN && !config.SLACK_SIGNING_SECRET) missing.push('SLACK_SIGNING_SECRET');
  if (missing.length > 0) {
    const lines = missing.map((name) => `${name} is required for serve: set it to ${WHERE[name]}`);
    throw new ConfigError(`${lines.join('; ')}.`);
  }
  const botToken = config.SLACK_BOT_TOKEN!;
  const apiUrl = config.SLACK_API_URL;
  if (config.SLACK_APP_TOKEN) return { mode: 'socket', botToken, appToken: config.SLACK_APP_TOKEN, apiUrl };
  return { mode: 'http', botToken, signingSecret: config.SLACK_SIGNING_SECRET!, apiUrl };
}
