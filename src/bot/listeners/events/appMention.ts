import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { answerInThread } from '../../answerInThread.ts';
import { questionOf } from '../../questionText.ts';
import type { BotServices } from '../../services.ts';

// "@Quarry <question>" in a channel: answered in that message's thread, which becomes a session.

export const appMentionCallback =
  (services: BotServices) =>
  async ({ event, context, client, body }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_mention'>) => {
    const receivedAt = Date.now();
    // An edited message can mention Quarry again; only the original question is answered.
    if (event.bot_id || event.edited || !event.user) return;
    await answerInThread(services, client, {
      teamId: context.teamId ?? body.team_id,
      channel: event.channel,
      threadTs: event.thread_ts ?? event.ts,
      userId: event.user,
      text: questionOf(event.text, context.botUserId),
      receivedAt,
      requestId: body.event_id,
    });
  };
