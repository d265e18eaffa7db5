import type { BlockAction, ButtonAction, SlackActionMiddlewareArgs, webApi } from '@slack/bolt';

// What the answer buttons share: who clicked, on which answer, in which thread, and a reply
// only the clicker sees.

export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

export interface ButtonClick {
  teamId: string;
  userId: string;
  answerId: string;
  channel: string | undefined;
  threadTs: string | undefined;
}

export function buttonClick({ body, action }: ButtonArgs, contextTeamId: string | undefined): ButtonClick {
  return {
    teamId: contextTeamId ?? body.team?.id ?? body.user.team_id ?? '',
    userId: body.user.id,
    answerId: action.value ?? '',
    channel: body.channel?.id,
    threadTs: body.message?.thread_ts ?? body.message?.ts,
  };
}

export async function tellClicker(client: webApi.WebClient, click: ButtonClick, text: string): Promise<void> {
  if (!click.channel) return;
  await client.chat.postEphemeral({ channel: click.channel, user: click.userId, thread_ts: click.threadTs, text });
}
