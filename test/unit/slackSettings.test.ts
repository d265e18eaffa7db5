import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BOT_SCOPES } from '../../src/bot/scopes.ts';
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

describe('installs to many workspaces (OAuth)', () => {
  const oauth = {
    SLACK_CLIENT_ID: '1234567890.0987654321',
    SLACK_CLIENT_SECRET: SECRET,
    SLACK_STATE_SECRET: 'a-long-random-state-secret',
    SLACK_SIGNING_SECRET: SECRET,
  };

  it('runs over HTTP with the client id, secret and state secret, and needs no bot token', () => {
    expect(requireSlackSettings(loadConfig(oauth))).toEqual({
      mode: 'oauth',
      clientId: oauth.SLACK_CLIENT_ID,
      clientSecret: SECRET,
      stateSecret: oauth.SLACK_STATE_SECRET,
      signingSecret: SECRET,
      apiUrl: undefined,
    });
    expect(slackConfigured(loadConfig(oauth))).toBe(true);
  });

  it('names what is missing, and refuses a bot token or an app token beside the client id', () => {
    const message = settingsError({ SLACK_CLIENT_ID: oauth.SLACK_CLIENT_ID });
    expect(message).toContain('SLACK_SIGNING_SECRET is required with SLACK_CLIENT_ID');
    expect(message).toContain('SLACK_CLIENT_SECRET is required with SLACK_CLIENT_ID');
    expect(message).toContain('SLACK_STATE_SECRET is required with SLACK_CLIENT_ID');
    expect(settingsError({ ...oauth, SLACK_BOT_TOKEN: 'xoxb-1' })).toMatch(/do not go together/);
    expect(settingsError({ ...oauth, SLACK_APP_TOKEN: 'xapp-1' })).toMatch(/do not go together/);
  });

  it('checks the shapes of the client id and secrets when the configuration loads', () => {
    expect(() => loadConfig({ SLACK_CLIENT_ID: 'abc' })).toThrow(/SLACK_CLIENT_ID must look like/);
    expect(() => loadConfig({ SLACK_CLIENT_SECRET: 'short' })).toThrow(/SLACK_CLIENT_SECRET must be/);
    expect(() => loadConfig({ SLACK_STATE_SECRET: 'short' })).toThrow(/at least 16 characters/);
  });
});

describe('the scopes an install asks for', () => {
  it('are the bot scopes of manifest.yml', () => {
    const manifest = readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8');
    const bot = /^ {4}bot:\n((?: {6}.*\n)+)/m.exec(manifest)![1]!;
    const scopes = [...bot.matchAll(/^ {6}- (\S+)$/gm)].map((m) => m[1]);
    expect(scopes).toEqual([...BOT_SCOPES]);
  });
});
