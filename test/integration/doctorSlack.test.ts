// `quarry doctor`'s Slack checks against a Slack Web API speaking the wire protocol: a working
// token with every scope, one missing scopes, a revoked one, and an API it cannot reach.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_SCOPES } from '../../src/bot/scopes.ts';
import { loadConfig } from '../../src/config.ts';
import { checkSlack } from '../../src/doctor/slack.ts';
import { type FakeSlack, startFakeSlack } from '../helpers/fakeSlack.ts';

const SECRET = '0123456789abcdef0123456789abcdef';
let fake: FakeSlack;

function slackWith(token: string, apiUrl = fake.apiUrl) {
  return checkSlack(
    loadConfig({ SLACK_BOT_TOKEN: token, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: apiUrl }),
  );
}

beforeAll(async () => {
  fake = await startFakeSlack();
});

afterAll(async () => {
  await fake?.close();
});

describe('quarry doctor: Slack', () => {
  it('asks Slack whether the token works and has every scope of the manifest', async () => {
    fake.setScopes([...BOT_SCOPES]);
    const results = await slackWith('xoxb-good');
    expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    expect(results[1]!.title).toBe('the bot token works: @quarry in Fake');
    expect(fake.callsOf('auth.test', (_b, c) => c.token === 'xoxb-good')).toHaveLength(1);
  });

  it('names the scopes a token lacks and how to add them', async () => {
    fake.setScopes(BOT_SCOPES.filter((s) => s !== 'files:write' && s !== 'assistant:write'));
    const [, , scopes] = await slackWith('xoxb-narrow');
    expect(scopes!.status).toBe('warn');
    expect(scopes!.title).toBe('the bot token lacks scope(s) files:write, assistant:write');
    expect(scopes!.fix).toContain('OAuth & Permissions');
    fake.setScopes([...BOT_SCOPES]);
  });

  it('fails a revoked token, saying where to get a new one, and never prints it', async () => {
    fake.revokeToken('xoxb-revoked-SECRET');
    const results = await slackWith('xoxb-revoked-SECRET');
    const failed = results.find((r) => r.status === 'fail')!;
    expect(failed.fix).toMatch(/Slack rejected SLACK_BOT_TOKEN \(invalid_auth\)/);
    expect(JSON.stringify(results)).not.toContain('xoxb-revoked-SECRET');
  });

  it('fails when the Slack API cannot be reached', async () => {
    const results = await slackWith('xoxb-good', 'http://127.0.0.1:1/api/');
    expect(results.at(-1)!.status).toBe('fail');
    expect(results.at(-1)!.fix).toMatch(/Can't reach the Slack API at http:\/\/127\.0\.0\.1:1\/api\//);
  });
});
