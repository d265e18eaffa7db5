import type { types } from '@slack/bolt';
import { SHORTENED, SLACK_LIMITS, shorten } from './limits.ts';

// Slack's text rules for blocks: the three escaped characters, and sections and context lines
// that stay inside Slack's limits (see limits.ts), saying so where they are cut.

export const SECTION_TEXT_LIMIT = SLACK_LIMITS.sectionText;

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
  const marker = `\n${SHORTENED}`;
  const cut = escaped.slice(0, room - marker.length);
  const lineEnd = cut.lastIndexOf('\n');
  return `${FENCE}${lineEnd > 0 ? cut.slice(0, lineEnd) : cut}${marker}${FENCE}`;
}

export function section(text: string): types.SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: shorten(text, SECTION_TEXT_LIMIT) } };
}

/** Bold text in a section, cut inside the bold marks when it is long. */
export function boldSection(text: string): types.SectionBlock {
  return section(`*${shorten(text, SECTION_TEXT_LIMIT - 2)}*`);
}

/** Lines as sections: as many lines to a section as fit, a line too long for one cut and
 *  marked; the message's block limit is kept by fitMessage. */
export function lineSections(lines: string[]): types.SectionBlock[] {
  const sections: types.SectionBlock[] = [];
  let current = '';
  for (const raw of lines) {
    const line = shorten(raw, SECTION_TEXT_LIMIT);
    if (current && current.length + 1 + line.length > SECTION_TEXT_LIMIT) {
      sections.push(section(current));
      current = line;
    } else {
      current = current ? `${current}\n${line}` : line;
    }
  }
  if (current) sections.push(section(current));
  return sections;
}

/** A context block of small grey lines (Slack allows ten elements; more are marked as cut). */
export function context(lines: string[]): types.ContextBlock {
  const max = SLACK_LIMITS.contextElements;
  const kept = lines.length > max ? [...lines.slice(0, max - 1), SHORTENED] : lines;
  return {
    type: 'context',
    elements: kept.map((line) => ({ type: 'mrkdwn', text: shorten(line, SLACK_LIMITS.contextText) })),
  };
}
