// Quarry installed in many workspaces through Slack's OAuth flow: the install link, the
// redirect that stores the workspace's token in the memory database, events answered with that
// workspace's own token, and removal. Slack's side (oauth.v2.access, the Web API) is the fake.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_SCOPES } from '../../src/bot/scopes.ts';
import { createDigestSchedule, getDigestSchedule } from '../../src/memory/digestSchedules.ts';
import { FAKE_BOT_USER_ID } from '../helpers/fakeSlack.ts';
import { OAUTH_CLIENT_ID, type SlackHarness, startSlackHarness } from '../helpers/slackHarness.ts';

const ACME = 'T_ACME';
const ACME_TOKEN = 'xoxb-acme-token';
const ADMIN = 'U_ACME_ADMIN';

let h: SlackHarness;

interface Installed {
  team_id: string;
  bot_user_id: string;
  installation: { bot?: { token?: string } };
}

function installations(teamId: string): Promise<Installed[]> {
  return h.runtime.memoryDb.query<Installed>(
    'SELECT team_id, bot_user_id, installation FROM slack_installations WHERE team_id = $1',
    [teamId],
  );
}

/** The install link as a browser follows it: Slack's authorize URL and the state cookie. */
async function startInstall(): Promise<{ authorize: URL; cookie: string }> {
  const res = await fetch(`${h.baseUrl}/slack/install`, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { authorize: new URL(res.headers.get('location')!), cookie };
}

function redirect(query: string, cookie?: string): Promise<Response> {
  return fetch(`${h.baseUrl}/slack/oauth_redirect?${query}`, {
    redirect: 'manual',
    headers: cookie ? { cookie } : {},
  });
}

function mentionIn(teamId: string, text: string) {
  const ts = h.newTs();
  const body = JSON.stringify({
    type: 'event_callback',
    team_id: teamId,
    api_app_id: 'A_QUARRY',
    event_id: `Ev_${teamId}_${ts}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: teamId, user_id: FAKE_BOT_USER_ID, is_bot: true }],
    event: {
      type: 'app_mention',
      user: ADMIN,
      text: `<@${FAKE_BOT_USER_ID}> ${text}`,
      ts,
      channel: 'C_ACME',
      event_ts: ts,
    },
  });
  return { ts, send: () => h.post(body, 'application/json') };
}

beforeAll(async () => {
  h = await startSlackHarness({ oauth: true });
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('installing Quarry through OAuth', () => {
  it('sends the installer to Slack with the manifest’s scopes and a state bound to their browser', async () => {
    const { authorize, cookie } = await startInstall();
    expect(authorize.origin + authorize.pathname).toBe('https://slack.com/oauth/v2/authorize');
    expect(authorize.searchParams.get('client_id')).toBe(OAUTH_CLIENT_ID);
    expect(authorize.searchParams.get('scope')!.split(',')).toEqual([...BOT_SCOPES]);
    expect(cookie).toBe(`slack-app-oauth-state=${authorize.searchParams.get('state')}`);
  });

  it('refuses a redirect whose state was not issued to that browser, storing nothing', async () => {
    h.fake.grantInstall('code-forged', { teamId: 'T_EVIL', botToken: 'xoxb-evil', installerId: 'U_EVIL' });
    const { authorize } = await startInstall();
    const res = await redirect(`code=code-forged&state=${authorize.searchParams.get('state')}`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await installations('T_EVIL')).toEqual([]);
    expect(h.fake.callsOf('oauth.v2.access', (b) => b.code === 'code-forged')).toHaveLength(0);
  });

  it('stores the workspace’s token when Slack sends the installer back', async () => {
    h.fake.grantInstall('code-acme', { teamId: ACME, botToken: ACME_TOKEN, installerId: ADMIN });
    const { authorize, cookie } = await startInstall();
    const res = await redirect(`code=code-acme&state=${authorize.searchParams.get('state')}`, cookie);
    expect(res.status).toBe(200);
    const [exchange] = h.fake.callsOf('oauth.v2.access', (b) => b.code === 'code-acme');
    expect(exchange!.body.client_id).toBe(OAUTH_CLIENT_ID);
    const [row] = await installations(ACME);
    expect(row!.bot_user_id).toBe(FAKE_BOT_USER_ID);
    expect(row!.installation.bot?.token).toBe(ACME_TOKEN);
  });

  it('answers an installed workspace with its own token, and nobody else', async () => {
    const acme = mentionIn(ACME, 'How many customers do we have?');
    expect((await acme.send()).status).toBe(200);
    const working = await h.fake.waitForCall('chat.postMessage', (b) => b.thread_ts === acme.ts);
    const answered = await h.fake.waitForCall(
      'chat.update',
      (b) => b.ts === working.response.ts && !String(b.text).startsWith('Working…'),
      30_000,
    );
    expect(working.token).toBe(ACME_TOKEN);
    expect(answered.token).toBe(ACME_TOKEN);

    const stranger = mentionIn('T_NOT_INSTALLED', 'How many customers do we have?');
    expect((await stranger.send()).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1000));
    expect(h.fake.callsOf('chat.postMessage', (b) => b.thread_ts === stranger.ts)).toHaveLength(0);
  });

  it('forgets the workspace and pauses its digests when it removes Quarry', async () => {
    const digest = await createDigestSchedule(h.runtime.memoryDb, {
      teamId: ACME,
      ownerUserId: ADMIN,
      channelId: 'C_ACME',
      cadence: 'daily',
      timeOfDay: '09:00',
      timezone: 'UTC',
      panels: [],
    });
    const body = JSON.stringify({
      type: 'event_callback',
      team_id: ACME,
      api_app_id: 'A_QUARRY',
      event_id: `Ev_uninstall_${Date.now()}`,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_uninstalled', event_ts: h.newTs() },
    });
    expect((await h.post(body, 'application/json')).status).toBe(200);
    const deadline = Date.now() + 10_000;
    while ((await installations(ACME)).length > 0) {
      if (Date.now() > deadline) throw new Error('the installation was not removed');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await getDigestSchedule(h.runtime.memoryDb, ACME, digest.id))?.paused).toBe(true);
  });
});
