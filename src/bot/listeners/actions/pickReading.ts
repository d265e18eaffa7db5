import type { AllMiddlewareArgs, types } from '@slack/bolt';
import { messageText } from '../../../slack/limits.ts';
import { context, escapeText } from '../../../slack/mrkdwn.ts';
import { answerInThread } from '../../answerInThread.ts';
import { READINGS_BLOCK } from '../../blocks/answer.ts';
import type { BotServices } from '../../services.ts';
import { type ButtonArgs, buttonClick } from './buttonClick.ts';

// A reading of a question asked back, picked with its button: the buttons give way to what was
// picked (so it is picked once), and the reading is asked in the thread as if it were typed.

export const pickReadingCallback =
  (services: BotServices) => async (args: AllMiddlewareArgs & ButtonArgs) => {
    await args.ack();
    const click = buttonClick(args, args.context.teamId);
    const question = args.action.value;
    if (!click.thread || !question) return;
    const message = args.body.message;
    if (message?.ts) {
      const kept = ((message.blocks ?? []) as types.KnownBlock[]).filter(
        (b) => !b.block_id?.startsWith(READINGS_BLOCK),
      );
      const picked = context([
        `<@${click.userId}> picked: ${escapeText(args.action.text?.text ?? question)}`,
      ]);
      await args.client.chat
        .update({
          channel: click.thread.channel,
          ts: message.ts,
          text: messageText(message.text ?? question),
          blocks: [...kept, picked],
        })
        .catch((e) => services.log.warn({ err: e }, 'could not mark the reading picked'));
    }
    await answerInThread(services, args.client, {
      teamId: click.teamId,
      channel: click.thread.channel,
      threadTs: click.thread.threadTs,
      userId: click.userId,
      text: question,
      receivedAt: Date.now(),
    });
  };
