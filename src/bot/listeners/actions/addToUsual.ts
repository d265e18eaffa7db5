import type { AllMiddlewareArgs } from '@slack/bolt';
import { userMessageOf } from '../../../errors.ts';
import { pinToUsual } from '../../../memory/usualPins.ts';
import { recallAnswer } from '../../answerStore.ts';
import { ANSWER_EXPIRED, NOTHING_TO_PIN, pinnedToUsual } from '../../blocks/notices.ts';
import type { BotServices } from '../../services.ts';
import { type ButtonArgs, buttonClick, tellClicker } from './buttonClick.ts';

// "Add to my usual": pins the answer's plan as a panel of the clicker's /usual dashboard.

export const addToUsualCallback = (services: BotServices) => async (args: AllMiddlewareArgs & ButtonArgs) => {
  await args.ack();
  const click = buttonClick(args, args.context.teamId);
  const stored = await recallAnswer(services.kv, click.answerId).catch(() => null);
  if (!stored) return tellClicker(args.client, click, ANSWER_EXPIRED);
  if (!stored.plan) return tellClicker(args.client, click, NOTHING_TO_PIN);
  try {
    const pin = await pinToUsual(services.memoryDb, {
      teamId: click.teamId,
      userId: click.userId,
      title: stored.question,
      plan: stored.plan,
    });
    await tellClicker(args.client, click, pinnedToUsual(pin.title));
  } catch (e) {
    services.log.warn({ err: e, answerId: click.answerId }, 'could not pin to usual');
    await tellClicker(args.client, click, userMessageOf(e));
  }
};
