import type { types } from '@slack/bolt';

// Slack's text rules in one place: the three escaped characters and the 3,000-character limit
// of a section's text.

export interface SlackMessage {
  /** Notification and screen-reader text. */
  text: string;
  blocks: types.KnownBlock[];
}

export const SECTION_TEXT_LIMIT = 3000;

/** Slack reads &, < and > as markup; everything else is shown as written. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const FENCE = '```';

/** Whether `text` fits one section as a code block without being cut. */
export function fitsCodeBlock(text: string, limit = SECTION_TEXT_LIMIT): boolean {
  return escapeText(text).length <= limit - 2 * FENCE.length;
}

/** A monospace block; text beyond the limit is cut at a line end and marked. */
export function codeBlock(text: string, limit = SECTION_TEXT_LIMIT): string {
  const escaped = escapeText(text);
  const room = limit - 2 * FENCE.length;
  if (escaped.length <= room) return `${FENCE}${escaped}${FENCE}`;
  const marker = '\n… (shortened)';
  const cut = escaped.slice(0, room - marker.length);
  const lineEnd = cut.lastIndexOf('\n');
  return `${FENCE}${lineEnd > 0 ? cut.slice(0, lineEnd) : cut}${marker}${FENCE}`;
}

export function section(text: string): types.SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: text.slice(0, SECTION_TEXT_LIMIT) } };
}

/** A context block of small grey lines (Slack allows ten elements). */
export function context(lines: string[]): types.ContextBlock {
  return {
    type: 'context',
    elements: lines.slice(0, 10).map((line) => ({ type: 'mrkdwn', text: line.slice(0, SECTION_TEXT_LIMIT) })),
  };
}
