import type { Context } from '@slack/bolt';
import type { ThreadQuestion } from '../answerInThread.ts';
import { questionOf } from '../questionText.ts';
import type { ThreadRef } from '../threads.ts';

// A person's message, heard by a listener, as the question answerInThread answers in its thread:
// Slack's markup removed, timed from when the event arrived, logged under the event's id.

export interface Heard {
  context: Context;
  body: { event_id?: string };
  /** When the event reached Quarry (epoch ms). */
  receivedAt: number;
}

export function heardQuestion(
  thread: ThreadRef,
  message: { user: string; text?: string },
  { context, body, receivedAt }: Heard,
): ThreadQuestion {
  return {
    ...thread,
    userId: message.user,
    text: questionOf(message.text, context.botUserId),
    receivedAt,
    requestId: body.event_id,
  };
}
