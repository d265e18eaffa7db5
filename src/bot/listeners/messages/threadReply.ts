import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { answerInThread } from '../../answerInThread.ts';
import { mentionsBot } from '../../questionText.ts';
import type { BotServices } from '../../services.ts';
import { isQuarryThread } from '../../threads.ts';
import { heardQuestion } from '../heardQuestion.ts';
import { humanMessage } from './humanMessage.ts';

// A reply, without a mention, in a channel thread Quarry answered: a follow-up in the same
// session ("now by category"). Replies in other threads are conversations among people.

export const threadReplyCallback =
  (services: BotServices) =>
  async ({ message, context, client, body }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'message'>) => {
    const receivedAt = Date.now();
    const m = humanMessage(message);
    if (!m || m.channelType === 'im' || !m.threadTs || m.threadTs === m.ts) return;
    // A reply that mentions Quarry also arrives as an app_mention, which answers it.
    if (mentionsBot(m.text, context.botUserId)) return;
    const thread = { teamId: context.teamId ?? body.team_id, channel: m.channel, threadTs: m.threadTs };
    const ours = await isQuarryThread(services.kv, services.memoryDb, thread).catch((e) => {
      services.log.warn({ err: e }, 'could not tell whether Quarry answered this thread');
      return false;
    });
    if (!ours) return;
    await answerInThread(services, client, heardQuestion(thread, m, { context, body, receivedAt }));
  };
