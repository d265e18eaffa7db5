import { describe, expect, it } from 'vitest';
import { requireSlackSettings, slackConfigured } from '../../src/bot/slackSettings.ts';
import { loadConfig } from '../../src/config.ts';
import { ConfigError } from '../../src/errors.ts';

const SECRET = '0123456789abcdef0123456789abcdef';

function settingsError(env: Record<string, string>): string {
  try {
    requireSlackSettings(loadConfig(env));
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).userMessage;
  }
  throw new Error('expected a ConfigError');
}

describe('requireSlackSettings', () => {
  it('names each missing variable and where to find it', () => {
    const message = settingsError({});
    expect(message).toContain('SLACK_BOT_TOKEN is required for serve');
    expect(message).toContain('SLACK_SIGNING_SECRET is required for serve');
    expect(message).toContain('https://api.slack.com/apps → your app → OAuth & Permissions');
    expect(message).toContain('Basic Information → App Credentials');
  });

  it('needs no signing secret in Socket Mode', () => {
    expect(settingsError({ SLACK_APP_TOKEN: 'xapp-1' })).not.toContain('SLACK_SIGNING_SECRET');
    expect(
      requireSlackSettings(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })),
    ).toEqual({
      mode: 'socket',
      botToken: 'xoxb-1',
      appToken: 'xapp-1',
      apiUrl: undefined,
    });
  });

  it('uses HTTP with a bot token and a signing secret', () => {
    const settings = requireSlackSettings(
      loadConfig({
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: 'http://127.0.0.1:9/api/',
      }),
    );
    expect(settings).toEqual({
      mode: 'http',
      botToken: 'xoxb-1',
      signingSecret: SECRET,
      apiUrl: 'http://127.0.0.1:9/api/',
    });
  });

  it('reports a malformed token with the page to copy it from', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxp-user-token' })).toThrow(
      /SLACK_BOT_TOKEN must start with xoxb- \(https:\/\/api\.slack\.com\/apps/,
    );
  });

  it('starts the Slack app only when a bot token is set', () => {
    expect(slackConfigured(loadConfig({}))).toBe(false);
    expect(slackConfigured(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' }))).toBe(true);
  });
});
