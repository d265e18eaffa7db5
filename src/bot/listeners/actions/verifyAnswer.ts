import type { AllMiddlewareArgs } from '@slack/bolt';
import { userMessageOf } from '../../../errors.ts';
import { verifyAnswer } from '../../../memory/verifiedAnswers.ts';
import { answerOf, recallAnswer, rememberAnswer } from '../../answerStore.ts';
import { answerMessage } from '../../blocks/answer.ts';
import {
  ANSWER_EXPIRED,
  NOTHING_TO_VERIFY,
  ONLY_OWNERS_VERIFY,
  verifiedForWorkspace,
} from '../../blocks/notices.ts';
import type { BotServices } from '../../services.ts';
import { type ButtonArgs, buttonClick, tellClicker } from './buttonClick.ts';

// "Verify" on an answer: a data owner's press makes its SQL the workspace's answer to the
// question (and close paraphrases), stored with who and when and shown on the answer. Anyone
// else is told privately that only owners can, and nothing changes.

export const verifyAnswerCallback =
  (services: BotServices) => async (args: AllMiddlewareArgs & ButtonArgs) => {
    await args.ack();
    const click = buttonClick(args, args.context.teamId);
    const owners = services.pipeline.knowledge?.owners ?? [];
    if (!owners.includes(click.userId)) return tellClicker(args.client, click, ONLY_OWNERS_VERIFY);
    try {
      const stored = await recallAnswer(services.kv, click.answerId);
      if (!stored) return await tellClicker(args.client, click, ANSWER_EXPIRED);
      if (!stored.sql) return await tellClicker(args.client, click, NOTHING_TO_VERIFY);
      const embedder = services.pipeline.memory?.embedder;
      const embedding = embedder ? ((await embedder.embed([stored.question]))[0] ?? null) : null;
      const v = await verifyAnswer(services.memoryDb, {
        teamId: click.teamId,
        question: stored.question,
        sql: stored.sql,
        answerId: stored.id,
        verifiedBy: click.userId,
        embedding,
        embedder: embedder?.id ?? 'none',
      });
      const verified = {
        ...answerOf(stored),
        id: stored.id,
        verified: { by: v.verifiedBy, at: v.verifiedAt },
      };
      await rememberAnswer(services.kv, verified, stored.shown);
      const channel = args.body.channel?.id;
      const ts = args.body.message?.ts;
      if (channel && ts)
        await args.client.chat.update({ channel, ts, ...answerMessage(verified, stored.shown) });
      await tellClicker(args.client, click, verifiedForWorkspace(stored.question));
    } catch (e) {
      services.log.warn({ err: e, answerId: click.answerId }, 'could not verify the answer');
      await tellClicker(args.client, click, userMessageOf(e));
    }
  };
