import { BOT_SCOPES } from '../bot/scopes.ts';
import { requireSlackSettings } from '../bot/slackSettings.ts';
import { verifyBotToken } from '../bot/verifyToken.ts';
import type { Config } from '../config.ts';
import { ConfigError } from '../errors.ts';
import { type CheckResult, check } from './check.ts';

// Token shapes are checked when the configuration loads; this says whether the set of Slack
// variables is complete for a mode, then asks Slack whether the bot token works and carries
// the scopes of manifest.yml. Token values are never printed, only their kind.

const c = check('Slack');

async function checkBotToken(settings: { botToken: string; apiUrl?: string }): Promise<CheckResult[]> {
  let identity: Awaited<ReturnType<typeof verifyBotToken>>;
  try {
    identity = await verifyBotToken(settings);
  } catch (e) {
    if (e instanceof ConfigError) return [c.fail('the bot token does not work', e.userMessage)];
    throw e;
  }
  const missing = BOT_SCOPES.filter((s) => !identity.scopes.includes(s));
  return [
    c.ok(`the bot token works: @${identity.botName ?? '?'} in ${identity.team ?? identity.teamId ?? '?'}`),
    missing.length
      ? c.warn(
          `the bot token lacks scope(s) ${missing.join(', ')}`,
          'add them under https://api.slack.com/apps → your app → OAuth & Permissions (or update the app from manifest.yml), then reinstall it',
        )
      : c.ok('the bot token has every scope manifest.yml asks for'),
  ];
}

export async function checkSlack(config: Config): Promise<CheckResult[]> {
  const anySet =
    config.SLACK_BOT_TOKEN || config.SLACK_SIGNING_SECRET || config.SLACK_APP_TOKEN || config.SLACK_CLIENT_ID;
  if (!anySet)
    return [
      c.info(
        'not configured: Quarry runs in the terminal',
        'set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN) for Slack',
      ),
    ];
  let settings: ReturnType<typeof requireSlackSettings>;
  try {
    settings = requireSlackSettings(config);
  } catch (e) {
    if (e instanceof ConfigError) return [c.fail('incomplete Slack settings', e.userMessage)];
    throw e;
  }
  switch (settings.mode) {
    case 'socket':
      return [c.ok('Socket Mode (SLACK_APP_TOKEN xapp-…)'), ...(await checkBotToken(settings))];
    case 'http':
      return [
        c.ok(`HTTP events on port ${config.PORT} at /slack/events (SLACK_SIGNING_SECRET set)`),
        ...(await checkBotToken(settings)),
      ];
    case 'oauth':
      return [
        c.ok(
          `installs to many workspaces: OAuth at /slack/install on port ${config.PORT}, tokens kept in the memory database`,
        ),
      ];
  }
}
