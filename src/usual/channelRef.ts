import { UsualCommandError } from './usualErrors.ts';

// The channel of `/usual schedule … #channel`. Slack escapes a picked channel as
// `<#C024BE91L|sales>` (or `<#C024BE91L>`); people also type `#sales` or paste an id.

export type ChannelRef = { id: string; name?: string } | { name: string };

const ESCAPED = /^<#([CG][A-Z0-9]{2,})(?:\|([^>]*))?>$/;
const CHANNEL_ID = /^[CG][A-Z0-9]{8,}$/;
/** Slack channel names: lower case letters, digits, hyphens and underscores, up to 80. */
const CHANNEL_NAME = /^#([a-z0-9][a-z0-9_-]{0,79})$/;

export function parseChannelRef(text: string): ChannelRef {
  const escaped = ESCAPED.exec(text);
  if (escaped) return escaped[2] ? { id: escaped[1]!, name: escaped[2] } : { id: escaped[1]! };
  if (CHANNEL_ID.test(text)) return { id: text };
  const named = CHANNEL_NAME.exec(text.toLowerCase());
  if (named) return { name: named[1]! };
  const hint = /^<@/.test(text) || text.startsWith('@') ? ' That looks like a person, not a channel.' : '';
  throw new UsualCommandError(
    `"${text}" isn't a channel I can post to.${hint} End the command with a channel, like #sales (type # and pick it).`,
  );
}

export function channelLabel(ref: ChannelRef): string {
  if ('id' in ref) return ref.name ? `#${ref.name}` : `<#${ref.id}>`;
  return `#${ref.name}`;
}
