import type { AllMiddlewareArgs } from '@slack/bolt';
import { userMessageOf } from '../../../errors.ts';
import { recordFeedback } from '../../../memory/feedback.ts';
import { ACTION } from '../../blocks/actionIds.ts';
import { feedbackThanks } from '../../blocks/notices.ts';
import type { BotServices } from '../../services.ts';
import { type ButtonArgs, buttonClick, tellClicker } from './buttonClick.ts';

// 👍 / 👎 on an answer: the vote moves the asker's confidence in the pattern behind it.

export const feedbackCallback = (services: BotServices) => async (args: AllMiddlewareArgs & ButtonArgs) => {
  await args.ack();
  const click = buttonClick(args, args.context.teamId);
  const rating = args.action.action_id === ACTION.feedbackUp ? 'up' : 'down';
  try {
    await recordFeedback(services.memoryDb, {
      teamId: click.teamId,
      userId: click.userId,
      answerId: click.answerId,
      rating,
    });
    await tellClicker(args.client, click, feedbackThanks(rating));
  } catch (e) {
    services.log.warn({ err: e, answerId: click.answerId }, 'could not record feedback');
    await tellClicker(args.client, click, userMessageOf(e));
  }
};
