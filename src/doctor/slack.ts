import { requireSlackSettings } from '../bot/slackSettings.ts';
import type { Config } from '../config.ts';
import { ConfigError } from '../errors.ts';
import { type CheckResult, check } from './check.ts';

// Token shapes are checked when the configuration loads; this says whether the set of Slack
// variables is complete for a mode. Token values are never printed, only their kind.

export function checkSlack(config: Config): CheckResult[] {
  const c = check('Slack');
  const anySet =
    config.SLACK_BOT_TOKEN || config.SLACK_SIGNING_SECRET || config.SLACK_APP_TOKEN || config.SLACK_CLIENT_ID;
  if (!anySet)
    return [
      c.info(
        'not configured: Quarry runs in the terminal',
        'set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN) for Slack',
      ),
    ];
  try {
    const settings = requireSlackSettings(config);
    switch (settings.mode) {
      case 'socket':
        return [c.ok('bot token xoxb-… has the right shape; Socket Mode (SLACK_APP_TOKEN xapp-…)')];
      case 'http':
        return [
          c.ok(
            `bot token xoxb-… has the right shape; HTTP events on port ${config.PORT} at /slack/events (SLACK_SIGNING_SECRET set)`,
          ),
        ];
      case 'oauth':
        return [
          c.ok(
            `installs to many workspaces: OAuth at /slack/install on port ${config.PORT}, tokens kept in the memory database`,
          ),
        ];
    }
  } catch (e) {
    if (e instanceof ConfigError) return [c.fail('incomplete Slack settings', e.userMessage)];
    throw e;
  }
}
