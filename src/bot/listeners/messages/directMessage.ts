import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { answerInThread } from '../../answerInThread.ts';
import type { BotServices } from '../../services.ts';
import { heardQuestion } from '../heardQuestion.ts';
import { humanMessage } from './humanMessage.ts';

// A DM to Quarry: answered in a thread under the message (or in the thread it was sent in).

export const directMessageCallback =
  (services: BotServices) =>
  async ({ message, context, client, body }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'message'>) => {
    const receivedAt = Date.now();
    const m = humanMessage(message);
    if (m?.channelType !== 'im') return;
    const thread = {
      teamId: context.teamId ?? body.team_id,
      channel: m.channel,
      threadTs: m.threadTs ?? m.ts,
    };
    await answerInThread(services, client, heardQuestion(thread, m, { context, body, receivedAt }));
  };
