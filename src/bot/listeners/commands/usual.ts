import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { answerInThread } from '../../answerInThread.ts';
import { escapeText } from '../../blocks/mrkdwn.ts';
import type { BotServices } from '../../services.ts';

// `/usual [args]`: a message in the channel, and the person's usual dashboard in its thread.
// The pipeline routes "the usual" to the dashboard; this only frames the question.

/** Slack's answer when Quarry may not post in the conversation. */
const CANNOT_POST = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);

const CANNOT_POST_HERE =
  'I can’t post in this conversation. Invite @Quarry to the channel, or use `/usual` in a DM with me.';

export const usualCallback =
  (services: BotServices) =>
  async ({ command, ack, respond, client, context }: AllMiddlewareArgs & SlackCommandMiddlewareArgs) => {
    await ack();
    const receivedAt = Date.now();
    const args = command.text.trim();
    const shown = args ? `/usual ${args}` : '/usual';
    let rootTs: string | undefined;
    try {
      const root = await client.chat.postMessage({
        channel: command.channel_id,
        text: `<@${command.user_id}> asked for \`${escapeText(shown)}\``,
      });
      rootTs = root.ts;
    } catch (e) {
      const code = (e as { data?: { error?: string } }).data?.error;
      if (code && CANNOT_POST.has(code)) {
        await respond({ response_type: 'ephemeral', text: CANNOT_POST_HERE });
        return;
      }
      throw e;
    }
    if (!rootTs) return;
    await answerInThread(services, client, {
      teamId: context.teamId ?? command.team_id,
      channel: command.channel_id,
      threadTs: rootTs,
      userId: command.user_id,
      text: `show me the usual ${args}`.trim(),
      receivedAt,
    });
  };
