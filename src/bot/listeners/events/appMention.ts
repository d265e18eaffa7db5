import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { answerInThread } from '../../answerInThread.ts';
import type { BotServices } from '../../services.ts';
import { heardQuestion } from '../heardQuestion.ts';

// "@Quarry <question>" in a channel: answered in that message's thread, which becomes a session.

export const appMentionCallback =
  (services: BotServices) =>
  async ({ event, context, client, body }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_mention'>) => {
    const receivedAt = Date.now();
    // An edited message can mention Quarry again; only the original question is answered.
    if (event.bot_id || event.edited || !event.user) return;
    const thread = {
      teamId: context.teamId ?? body.team_id,
      channel: event.channel,
      threadTs: event.thread_ts ?? event.ts,
    };
    const question = heardQuestion(
      thread,
      { user: event.user, text: event.text },
      { context, body, receivedAt },
    );
    await answerInThread(services, client, question);
  };
