import type { types } from '@slack/bolt';

// Slack's documented limits, in one place, and the cuts that keep every message inside them:
// Slack refuses a message over any limit (msg_too_long, invalid_blocks, alt_txt_too_large), so
// a reply that is a little long would be no reply at all. Text that is cut says so.

export const SLACK_LIMITS = {
  /** Top-level `text` of a message: chat.update refuses more (msg_too_long); Slack asks
   *  chat.postMessage to keep under it too (it truncates at 40,000). */
  messageText: 4000,
  /** Blocks in one message. */
  blocks: 50,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  contextText: 3000,
  headerText: 150,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  blockId: 255,
  actionId: 255,
  /** `alt_text` of an image block. */
  imageAltText: 2000,
  /** `alt_txt` of an uploaded file (files.getUploadURLExternal: alt_txt_too_large). */
  fileAltText: 1000,
} as const;

/** What a cut text ends with. */
export const SHORTENED = '… (shortened)';

/** Where `text` may be cut at or before `end` without splitting a surrogate pair, an escaped
 *  entity (`&amp;`) or a link / mention (`<@U1>`), which Slack would show broken. */
function safeEnd(text: string, end: number): number {
  let at = end;
  const code = text.charCodeAt(at - 1);
  if (code >= 0xd800 && code <= 0xdbff) at--;
  const head = text.slice(0, at);
  // Links and mentions are short; a lone `<` far back is plain text.
  const open = head.lastIndexOf('<');
  if (open > head.lastIndexOf('>') && at - open < 200) at = open;
  const amp = head.lastIndexOf('&', at - 1);
  if (amp >= 0 && amp > at - 8 && !head.slice(amp, at).includes(';')) at = amp;
  return at;
}

/** `text` within `limit` characters; a longer one is cut (at a line end or a space when one is
 *  near) and ends with "… (shortened)". An open code fence is closed again. */
export function shorten(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const marker = limit > SHORTENED.length + 1 ? SHORTENED : '…';
  const fence = '```';
  let room = Math.max(0, limit - marker.length - 1 - fence.length);
  room = safeEnd(text, room);
  let cut = text.slice(0, room);
  const line = cut.lastIndexOf('\n');
  const space = cut.lastIndexOf(' ');
  if (line > room * 0.8) cut = cut.slice(0, line);
  else if (space > room * 0.9) cut = cut.slice(0, space);
  cut = cut.trimEnd();
  const fences = cut.split(fence).length - 1;
  const close = fences % 2 === 1 ? `\n${fence}` : '';
  const joiner = close || cut === '' ? '' : ' ';
  return `${cut}${close}${joiner}${marker}`.slice(0, limit);
}

/** Items joined by `separator` within `limit`: when they do not fit, each long item is cut to
 *  a fair share (short ones keep theirs and leave the rest to the others), so every item shows. */
export function shortenEach(items: string[], limit: number, separator: string): string {
  const joined = items.join(separator);
  if (joined.length <= limit || items.length === 0) return shorten(joined, limit);
  let room = limit - separator.length * (items.length - 1);
  const share = new Map<number, number>();
  let open = items.map((_, i) => i);
  // Water filling: items under the even share keep their length; the rest split what is left.
  for (;;) {
    const even = Math.floor(room / Math.max(1, open.length));
    const short = open.filter((i) => items[i]!.length <= even);
    if (short.length === 0) {
      for (const i of open) share.set(i, even);
      break;
    }
    for (const i of short) {
      share.set(i, items[i]!.length);
      room -= items[i]!.length;
    }
    open = open.filter((i) => !short.includes(i));
    if (open.length === 0) break;
  }
  return shorten(items.map((item, i) => shorten(item, share.get(i) ?? 0)).join(separator), limit);
}

/** Alt text of an uploaded image. */
export function fileAltText(text: string): string {
  return shorten(text, SLACK_LIMITS.fileAltText);
}

/** Top-level text of a message. */
export function messageText(text: string): string {
  return shorten(text, SLACK_LIMITS.messageText);
}

type Text = { type: 'mrkdwn' | 'plain_text'; text: string };

function fitTextObject<T extends Text | undefined>(t: T, limit: number): T {
  return t && t.text.length > limit ? { ...t, text: shorten(t.text, limit) } : t;
}

function fitElement(e: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...e };
  if (e.type === 'button') {
    out.text = fitTextObject(e.text as Text, SLACK_LIMITS.buttonText);
  } else if (e.type === 'image' && typeof e.alt_text === 'string') {
    out.alt_text = shorten(e.alt_text, SLACK_LIMITS.imageAltText);
  } else if ((e.type === 'mrkdwn' || e.type === 'plain_text') && typeof e.text === 'string') {
    out.text = shorten(e.text, SLACK_LIMITS.contextText);
  }
  return out;
}

/** One block inside its limits: texts cut with the mark, lists cut to their counts. */
export function fitBlock(block: types.KnownBlock): types.KnownBlock {
  switch (block.type) {
    case 'section':
      return {
        ...block,
        ...(block.text ? { text: fitTextObject(block.text, SLACK_LIMITS.sectionText) } : {}),
        ...(block.fields
          ? {
              fields: block.fields
                .slice(0, SLACK_LIMITS.sectionFields)
                .map((f) => fitTextObject(f, SLACK_LIMITS.fieldText)),
            }
          : {}),
      };
    case 'context': {
      const elements = block.elements as unknown as Record<string, unknown>[];
      const max = SLACK_LIMITS.contextElements;
      const kept =
        elements.length > max
          ? [...elements.slice(0, max - 1), { type: 'mrkdwn', text: SHORTENED }]
          : elements;
      return { ...block, elements: kept.map(fitElement) } as unknown as types.ContextBlock;
    }
    case 'header':
      return { ...block, text: fitTextObject(block.text, SLACK_LIMITS.headerText) };
    case 'actions':
      return {
        ...block,
        elements: (block.elements as unknown as Record<string, unknown>[])
          .slice(0, SLACK_LIMITS.actionsElements)
          .map(fitElement),
      } as unknown as types.ActionsBlock;
    case 'image':
      return { ...block, alt_text: shorten(block.alt_text, SLACK_LIMITS.imageAltText) };
    default:
      return block;
  }
}

/** At most 50 blocks: the ones past the limit give way to a "shortened" line, and the buttons
 *  at the end stay. */
export function fitBlocks(blocks: types.KnownBlock[]): types.KnownBlock[] {
  let kept = blocks;
  const max = SLACK_LIMITS.blocks;
  if (blocks.length > max) {
    const last = blocks[blocks.length - 1]!;
    const tail = last.type === 'actions' ? [last] : [];
    const mark: types.ContextBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: SHORTENED }] };
    kept = [...blocks.slice(0, max - 1 - tail.length), mark, ...tail];
  }
  return kept.map(fitBlock);
}

export interface SlackMessage {
  /** Notification and screen-reader text. */
  text: string;
  blocks: types.KnownBlock[];
}

/** A message Slack accepts: every text and count within its limits. */
export function fitMessage(message: SlackMessage): SlackMessage {
  return { text: messageText(message.text), blocks: fitBlocks(message.blocks) };
}
