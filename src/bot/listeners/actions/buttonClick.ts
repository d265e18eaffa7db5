import type { BlockAction, ButtonAction, SlackActionMiddlewareArgs, webApi } from '@slack/bolt';
import { messageText } from '../../../slack/limits.ts';

// What the answer buttons share: who clicked, on which answer, in which thread, and a reply
// only the clicker sees.

export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

export interface ButtonClick {
  teamId: string;
  userId: string;
  answerId: string;
  /** The answer's thread; null when the button was not on a message in a conversation. */
  thread: { channel: string; threadTs: string } | null;
}

export function buttonClick({ body, action }: ButtonArgs, contextTeamId: string | undefined): ButtonClick {
  const channel = body.channel?.id;
  const threadTs = body.message?.thread_ts ?? body.message?.ts;
  return {
    teamId: contextTeamId ?? body.team?.id ?? body.user.team_id ?? '',
    userId: body.user.id,
    answerId: action.value ?? '',
    thread: channel && threadTs ? { channel, threadTs } : null,
  };
}

export async function tellClicker(client: webApi.WebClient, click: ButtonClick, text: string): Promise<void> {
  if (!click.thread) return;
  await client.chat.postEphemeral({
    channel: click.thread.channel,
    user: click.userId,
    thread_ts: click.thread.threadTs,
    text: messageText(text),
  });
}
