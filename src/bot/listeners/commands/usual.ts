import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { messageText } from '../../../slack/limits.ts';
import { escapeText } from '../../../slack/mrkdwn.ts';
import { parseUsualCommand, type UsualCommand } from '../../../usual/usualCommand.ts';
import { answerInThread } from '../../answerInThread.ts';
import type { BotServices } from '../../services.ts';
import { userSettings } from '../../userSettings.ts';
import { runUsual } from '../../usualReply.ts';

// `/usual [topic]`: a message in the channel, and the person's usual dashboard in its thread.
// `/usual list | pin … | schedule … | stop …` manage it: the reply is for the asker alone.

/** Slack's answer when Quarry may not post in the conversation. */
const CANNOT_POST = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);

const CANNOT_POST_HERE =
  'I can’t post in this conversation. Invite @Quarry to the channel, or use `/usual` in a DM with me.';

export const usualCallback =
  (services: BotServices) =>
  async ({ command, ack, respond, client, context }: AllMiddlewareArgs & SlackCommandMiddlewareArgs) => {
    await ack();
    const receivedAt = Date.now();
    const teamId = context.teamId ?? command.team_id;
    const args = command.text.trim();
    const settings = await userSettings(services, client, teamId, command.user_id);
    const ctx = { teamId, userId: command.user_id, timeZone: settings.timeZone, locale: settings.locale };
    let parsed: UsualCommand | string = args;
    try {
      parsed = parseUsualCommand(args, ctx);
    } catch {
      // Left as text: runUsual reads it again and answers with what is wrong with it.
    }
    if (typeof parsed === 'string' || parsed.kind !== 'show') {
      const reply = await runUsual(services, client, ctx, parsed);
      await respond({ response_type: 'ephemeral', text: messageText(reply.text) });
      return;
    }
    const show = { topic: parsed.topic };
    const shown = args ? `/usual ${args}` : '/usual';
    let rootTs: string | undefined;
    try {
      const root = await client.chat.postMessage({
        channel: command.channel_id,
        text: messageText(`<@${command.user_id}> asked for \`${escapeText(shown)}\``),
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
      teamId,
      channel: command.channel_id,
      threadTs: rootTs,
      userId: command.user_id,
      text: shown,
      receivedAt,
      usual: show,
    });
  };
