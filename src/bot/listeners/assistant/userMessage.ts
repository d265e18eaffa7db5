import type { AssistantUserMessageMiddleware } from '@slack/bolt';
import { answerInThread } from '../../answerInThread.ts';
import { questionOf } from '../../questionText.ts';
import type { BotServices } from '../../services.ts';
import { isQuarryThread } from '../../threads.ts';
import { humanMessage } from '../messages/humanMessage.ts';

// A message in a thread of Quarry's DMs (the assistant panel): a question, or a follow-up in
// the thread's session. Progress shows as the panel's status; the first question names the
// thread in the panel's history.

const TITLE_CHARS = 100;

export const assistantUserMessage =
  (services: BotServices): AssistantUserMessageMiddleware =>
  async ({ message, context, client, body, setStatus, setTitle }) => {
    const receivedAt = Date.now();
    const m = humanMessage(message);
    if (!m?.threadTs) return;
    const thread = { teamId: context.teamId ?? body.team_id, channel: m.channel, threadTs: m.threadTs };
    const text = questionOf(m.text, context.botUserId);
    const started = await isQuarryThread(services.kv, services.memoryDb, thread).catch(() => true);
    if (!started && text) {
      await setTitle(text.slice(0, TITLE_CHARS)).catch((e) =>
        services.log.debug({ err: e }, 'could not title the assistant thread'),
      );
    }
    await answerInThread(services, client, {
      ...thread,
      userId: m.user,
      text,
      receivedAt,
      requestId: body.event_id,
      setStatus: (status) => setStatus(status),
    });
  };
