import { webApi } from '@slack/bolt';
import { ConfigError } from '../errors.ts';

// Asks Slack whether the bot token works before listening, so a wrong or revoked token stops
// `quarry serve` with a sentence instead of failing every event later.

export interface BotIdentity {
  teamId?: string;
  team?: string;
  botUserId?: string;
  botName?: string;
  /** The scopes the token was granted (Slack's x-oauth-scopes). */
  scopes: string[];
}

export async function verifyBotToken(settings: { botToken: string; apiUrl?: string }): Promise<BotIdentity> {
  const client = new webApi.WebClient(settings.botToken, {
    slackApiUrl: settings.apiUrl,
    retryConfig: { retries: 1 },
  });
  try {
    const result = await client.auth.test();
    return {
      teamId: result.team_id,
      team: result.team,
      botUserId: result.user_id,
      botName: result.user,
      scopes: result.response_metadata?.scopes ?? [],
    };
  } catch (e) {
    const code = (e as { data?: { error?: string } }).data?.error;
    if (code)
      throw new ConfigError(
        `Slack rejected SLACK_BOT_TOKEN (${code}). Copy the Bot User OAuth Token from https://api.slack.com/apps → your app → OAuth & Permissions, and reinstall the app if it was revoked.`,
      );
    throw new ConfigError(
      `Can't reach the Slack API${settings.apiUrl ? ` at ${settings.apiUrl}` : ''} (${e instanceof Error ? e.message : String(e)}). Check the network or SLACK_API_URL.`,
    );
  }
}
