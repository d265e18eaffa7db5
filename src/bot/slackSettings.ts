import type { Config } from '../config.ts';
import { ConfigError } from '../errors.ts';

// What `quarry serve` needs from the environment. The shapes are checked when the config is
// loaded; this says which variable is missing for the chosen mode and where to find it.
// Three modes: one workspace over Socket Mode (bot + app token), one workspace over HTTP (bot
// token + signing secret), or any number of workspaces installing Quarry through Slack's
// OAuth flow over HTTP (client id, secret and state secret; each install keeps its own token).

export type SlackSettings =
  | { mode: 'socket'; botToken: string; appToken: string; apiUrl?: string }
  | { mode: 'http'; botToken: string; signingSecret: string; apiUrl?: string }
  | {
      mode: 'oauth';
      signingSecret: string;
      clientId: string;
      clientSecret: string;
      stateSecret: string;
      apiUrl?: string;
    };

const APPS_PAGE = 'https://api.slack.com/apps → your app';

type Needed =
  | 'SLACK_BOT_TOKEN'
  | 'SLACK_SIGNING_SECRET'
  | 'SLACK_CLIENT_SECRET'
  | 'SLACK_STATE_SECRET'
  | 'SLACK_SIGNING_SECRET_OAUTH';

const WHERE: Record<Needed, string> = {
  SLACK_BOT_TOKEN: `SLACK_BOT_TOKEN is required for serve: set it to the Bot User OAuth Token (xoxb-…) at ${APPS_PAGE} → OAuth & Permissions`,
  SLACK_SIGNING_SECRET: `SLACK_SIGNING_SECRET is required for serve: set it to the Signing Secret at ${APPS_PAGE} → Basic Information → App Credentials (or set SLACK_APP_TOKEN to use Socket Mode instead)`,
  SLACK_SIGNING_SECRET_OAUTH: `SLACK_SIGNING_SECRET is required with SLACK_CLIENT_ID: set it to the Signing Secret at ${APPS_PAGE} → Basic Information → App Credentials`,
  SLACK_CLIENT_SECRET: `SLACK_CLIENT_SECRET is required with SLACK_CLIENT_ID: set it to the Client Secret at ${APPS_PAGE} → Basic Information → App Credentials`,
  SLACK_STATE_SECRET:
    'SLACK_STATE_SECRET is required with SLACK_CLIENT_ID: set it to a random string (e.g. `openssl rand -hex 16`), the same on every replica',
};

/** Whether enough is set to run in Slack; `quarry` then starts the Slack app. */
export function slackConfigured(config: Config): boolean {
  return Boolean(config.SLACK_BOT_TOKEN || config.SLACK_CLIENT_ID);
}

function missingError(missing: Needed[]): ConfigError {
  return new ConfigError(`${missing.map((name) => WHERE[name]).join('; ')}.`);
}

function oauthSettings(config: Config): SlackSettings {
  if (config.SLACK_BOT_TOKEN)
    throw new ConfigError(
      'SLACK_BOT_TOKEN and SLACK_CLIENT_ID do not go together: with SLACK_CLIENT_ID each workspace gets its token when it installs Quarry (at /slack/install). Unset SLACK_BOT_TOKEN, or SLACK_CLIENT_ID for one workspace.',
    );
  if (config.SLACK_APP_TOKEN)
    throw new ConfigError(
      'SLACK_APP_TOKEN (Socket Mode) and SLACK_CLIENT_ID (installs over HTTP) do not go together: unset one of them.',
    );
  const missing: Needed[] = [];
  if (!config.SLACK_SIGNING_SECRET) missing.push('SLACK_SIGNING_SECRET_OAUTH');
  if (!config.SLACK_CLIENT_SECRET) missing.push('SLACK_CLIENT_SECRET');
  if (!config.SLACK_STATE_SECRET) missing.push('SLACK_STATE_SECRET');
  if (missing.length > 0) throw missingError(missing);
  return {
    mode: 'oauth',
    signingSecret: config.SLACK_SIGNING_SECRET!,
    clientId: config.SLACK_CLIENT_ID!,
    clientSecret: config.SLACK_CLIENT_SECRET!,
    stateSecret: config.SLACK_STATE_SECRET!,
    apiUrl: config.SLACK_API_URL,
  };
}

/** The settings for the Slack app, or one ConfigError naming every missing variable. */
export function requireSlackSettings(config: Config): SlackSettings {
  if (config.SLACK_CLIENT_ID) return oauthSettings(config);
  const missing: Needed[] = [];
  if (!config.SLACK_BOT_TOKEN) missing.push('SLACK_BOT_TOKEN');
  if (!config.SLACK_APP_TOKEN && !config.SLACK_SIGNING_SECRET) missing.push('SLACK_SIGNING_SECRET');
  if (missing.length > 0) throw missingError(missing);
  const botToken = config.SLACK_BOT_TOKEN!;
  const apiUrl = config.SLACK_API_URL;
  if (config.SLACK_APP_TOKEN) return { mode: 'socket', botToken, appToken: config.SLACK_APP_TOKEN, apiUrl };
  return { mode: 'http', botToken, signingSecret: config.SLACK_SIGNING_SECRET!, apiUrl };
}
