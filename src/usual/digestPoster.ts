import { type InstallationStore, webApi } from '@slack/bolt';
import { fileAltText, fitBlocks, messageText } from '../slack/limits.ts';
import { lineSections } from '../slack/mrkdwn.ts';
import { type ChannelRef, channelLabel } from './channelRef.ts';
import { DigestChannelUnavailable } from './usualErrors.ts';

// Where digests go: a narrow seam over Slack's Web API, so the digest logic never sees a
// client. Slack's answers that mean "this channel is closed to Quarry" become
// DigestChannelUnavailable; anything else is left to the caller's retries.

export interface PostedMessage {
  /** The channel's id (Slack resolves a #name to it). */
  channel: string;
  ts: string;
}

/** Marks a digest message, so a reader of the channel's history can tell which run it was. */
export interface DigestMetadata {
  scheduleId: number;
  /** The run slot, ISO. */
  slot: string;
}

export interface DigestPoster {
  postMessage(channel: string, text: string, metadata?: DigestMetadata): Promise<PostedMessage>;
  uploadImage(
    channel: string,
    png: Buffer,
    options: { title: string; filename: string; altText: string },
  ): Promise<void>;
  /** A direct message from Quarry to one person. */
  dm(userId: string, text: string): Promise<void>;
  /** Whether the digest of this run slot is already in the channel (by its metadata). */
  findDigestPost(channel: string, metadata: DigestMetadata): Promise<boolean>;
  /** The id of a channel Quarry can post in; DigestChannelUnavailable when it cannot. */
  findChannel(ref: ChannelRef): Promise<string>;
}

interface SlackMetadata {
  event_type?: string;
  event_payload?: { schedule_id?: unknown; slot?: unknown };
}

const DIGEST_EVENT = 'quarry_digest';

function isDigestOf(m: SlackMetadata | undefined, wanted: DigestMetadata): boolean {
  return (
    m?.event_type === DIGEST_EVENT &&
    Number(m.event_payload?.schedule_id) === wanted.scheduleId &&
    m.event_payload?.slot === wanted.slot
  );
}

/** Slack's errors for a channel Quarry cannot post in any more. */
const CHANNEL_GONE: Record<string, string> = {
  channel_not_found: "doesn't exist, or I can't see it",
  not_in_channel: "doesn't have me in it",
  is_archived: 'was archived',
};

function slackErrorOf(e: unknown): string | undefined {
  const err = e as { code?: string; data?: { error?: string } };
  return err.code === webApi.ErrorCode.PlatformError ? err.data?.error : undefined;
}

function channelGone(channel: string, code: string): DigestChannelUnavailable {
  return new DigestChannelUnavailable(`The channel ${channel} ${CHANNEL_GONE[code]}.`, code);
}

/** Runs a Slack call, turning "channel gone" answers into DigestChannelUnavailable. */
async function inChannel<T>(label: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    const code = slackErrorOf(e);
    if (code && code in CHANNEL_GONE) throw channelGone(label, code);
    throw e;
  }
}

/** A channel as Slack shows it in a message: a link for an id. */
function labelOf(channel: string): string {
  return /^[CG][A-Z0-9]+$/.test(channel) ? `<#${channel}>` : channel;
}

export function slackDigestPoster(client: webApi.WebClient): DigestPoster {
  return {
    async postMessage(channel, text, metadata) {
      const posted = await inChannel(labelOf(channel), () =>
        client.chat.postMessage({
          channel,
          // A line per section, so long panel titles cut only themselves; the text is the
          // notification's.
          text: messageText(text),
          blocks: fitBlocks(lineSections(text.split('\n'))),
          unfurl_links: false,
          ...(metadata
            ? {
                metadata: {
                  event_type: DIGEST_EVENT,
                  event_payload: { schedule_id: metadata.scheduleId, slot: metadata.slot },
                },
              }
            : {}),
        }),
      );
      return { channel: posted.channel ?? channel, ts: posted.ts ?? '' };
    },
    async uploadImage(channel, png, options) {
      await inChannel(labelOf(channel), () =>
        client.files.uploadV2({
          channel_id: channel,
          file: png,
          filename: options.filename,
          title: options.title,
          alt_text: fileAltText(options.altText),
        }),
      );
    },
    async dm(userId, text) {
      // Posting to a person's id lands in their direct messages with the app.
      await client.chat.postMessage({ channel: userId, text: messageText(text), unfurl_links: false });
    },
    async findDigestPost(channel, metadata) {
      // A slot's digest is posted after the slot's time; older messages need not be read.
      const oldest = String(Math.floor(Date.parse(metadata.slot) / 1000) - 1);
      for await (const page of client.paginate('conversations.history', {
        channel,
        oldest,
        include_all_metadata: true,
        limit: 200,
      })) {
        const messages = (page as { messages?: { metadata?: SlackMetadata }[] }).messages ?? [];
        if (messages.some((m) => isDigestOf(m.metadata, metadata))) return true;
      }
      return false;
    },
    async findChannel(ref) {
      const label = channelLabel(ref);
      if ('id' in ref) {
        const info = await inChannel(label, () => client.conversations.info({ channel: ref.id }));
        if (info.channel?.is_archived) throw channelGone(label, 'is_archived');
        // Slack shows public channels to apps that are not in them; posting there would fail.
        if (info.channel?.is_member === false) throw channelGone(label, 'not_in_channel');
        return ref.id;
      }
      for await (const page of client.paginate('conversations.list', {
        types: 'public_channel,private_channel',
        exclude_archived: true,
        limit: 200,
      })) {
        const channels =
          (page as { channels?: { id?: string; name?: string; is_member?: boolean }[] }).channels ?? [];
        const found = channels.find((c) => c.name === ref.name);
        if (found?.is_member === false) throw channelGone(label, 'not_in_channel');
        if (found?.id) return found.id;
      }
      throw channelGone(label, 'channel_not_found');
    },
  };
}

export interface SlackPosterSettings {
  token: string;
  /** SLACK_API_URL: Slack's own when absent. */
  apiUrl?: string;
}

export function createSlackDigestPoster(settings: SlackPosterSettings): DigestPoster {
  return slackDigestPoster(
    new webApi.WebClient(settings.token, {
      ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
      // A digest that cannot reach Slack fails its job, which is retried by the scheduler.
      retryConfig: { retries: 2, factor: 2, minTimeout: 500 },
    }),
  );
}

/** Posters for Quarry installed in many workspaces: each team posts with its own bot token,
 *  read from its installation; one client per token is kept. */
export function installedDigestPosters(
  installations: InstallationStore,
  apiUrl?: string,
): (teamId: string) => Promise<DigestPoster> {
  const byToken = new Map<string, DigestPoster>();
  return async (teamId) => {
    const installation = await installations.fetchInstallation({
      teamId,
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    const token = installation.bot?.token;
    if (!token) throw new Error(`The Slack installation of team ${teamId} has no bot token.`);
    let poster = byToken.get(token);
    if (!poster) {
      poster = createSlackDigestPoster({ token, apiUrl });
      byToken.set(token, poster);
    }
    return poster;
  };
}
