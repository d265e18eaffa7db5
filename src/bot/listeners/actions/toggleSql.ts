import type { AllMiddlewareArgs } from '@slack/bolt';
import { answerOf, recallAnswer } from '../../answerStore.ts';
import { ACTION } from '../../blocks/actionIds.ts';
import { answerMessage } from '../../blocks/answer.ts';
import { ANSWER_EXPIRED } from '../../blocks/notices.ts';
import type { BotServices } from '../../services.ts';
import { type ButtonArgs, buttonClick, tellClicker } from './buttonClick.ts';

// "Show SQL" / "Hide SQL": the answer's message redrawn in place from the stored answer.

export const toggleSqlCallback = (services: BotServices) => async (args: AllMiddlewareArgs & ButtonArgs) => {
  await args.ack();
  const click = buttonClick(args, args.context.teamId);
  const stored = await recallAnswer(services.kv, click.answerId).catch(() => null);
  if (!stored) return tellClicker(args.client, click, ANSWER_EXPIRED);
  const channel = args.body.channel?.id;
  const ts = args.body.message?.ts;
  if (!channel || !ts) return;
  const showSql = args.action.action_id === ACTION.showSql;
  await args.client.chat.update({
    channel,
    ts,
    ...answerMessage(answerOf(stored), { ...stored.shown, showSql }),
  });
};
