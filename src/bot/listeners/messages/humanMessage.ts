import type { KnownEventFromType } from '@slack/bolt';

// The messages Quarry reads: typed by a person. Edits, deletions, joins, bot posts (Quarry's
// own included) and file shares arrive as message events too, with a subtype or a bot_id.

export interface HumanMessage {
  user: string;
  text: string;
  channel: string;
  channelType: string;
  ts: string;
  threadTs?: string;
}

export function humanMessage(message: KnownEventFromType<'message'>): HumanMessage | null {
  if (message.subtype !== undefined || message.bot_id || !message.user) return null;
  return {
    user: message.user,
    text: message.text ?? '',
    channel: message.channel,
    channelType: message.channel_type,
    ts: message.ts,
    threadTs: message.thread_ts,
  };
}
