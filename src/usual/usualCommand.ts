import { type ChannelRef, parseChannelRef } from './channelRef.ts';
import { parseScheduleSpec, type ScheduleSpec } from './scheduleSpec.ts';
import { UsualCommandError } from './usualErrors.ts';
import { isTimeZone } from './zonedTime.ts';

// The text after `/usual`, read into one typed command. Bad input throws UsualCommandError
// with the sentence to show; nothing here touches a database or Slack.

export type UsualCommand =
  | { kind: 'show'; topic?: string }
  | { kind: 'help' }
  | { kind: 'pin'; question: string }
  /** `n` is the pin's number in `/usual list`. */
  | { kind: 'unpin'; n: number }
  | { kind: 'list' }
  | { kind: 'schedule'; spec: ScheduleSpec; channel: ChannelRef; timeZone: string }
  | { kind: 'schedules' }
  | { kind: 'stop'; id: number }
  /** Un-pauses a digest paused because its channel was gone. */
  | { kind: 'resume'; id: number };

export interface ParseOptions {
  /** The person's timezone, for schedules; UTC when unknown. */
  timeZone?: string;
  now?: Date;
}

const MAX_QUESTION_CHARS = 2000;

export const USUAL_HELP = [
  '`/usual` — your usual dashboard; `/usual sales` — only the panels about sales',
  '`/usual pin <question>` — always show this question; `/usual unpin <n>`; `/usual list`',
  '`/usual schedule daily 09:00 #channel` (also `weekdays 08:30`, `weekly mon 09:00`, `monthly 1 09:00`, `2026-12-01 09:00`)',
  '`/usual schedules` — the digests of this workspace; `/usual stop <id>`; `/usual resume <id>`',
].join('\n');

function positiveNumber(word: string | undefined, what: string, example: string): number {
  const n = Number((word ?? '').replace(/^#/, ''));
  if (!word || !Number.isInteger(n) || n < 1)
    throw new UsualCommandError(`${what} needs a number, like \`${example}\`.`);
  return n;
}

function noMore(rest: string[], usage: string): void {
  if (rest.length)
    throw new UsualCommandError(`I didn't expect "${rest.join(' ')}" there. Use \`${usage}\`.`);
}

export function parseUsualCommand(text: string, options: ParseOptions = {}): UsualCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [verb, ...rest] = words;
  switch (verb?.toLowerCase()) {
    case undefined:
      return { kind: 'show' };
    case 'help':
      return { kind: 'help' };
    case 'list':
      noMore(rest, '/usual list');
      return { kind: 'list' };
    case 'schedules':
      noMore(rest, '/usual schedules');
      return { kind: 'schedules' };
    case 'pin': {
      const question = rest.join(' ');
      if (!question)
        throw new UsualCommandError('Say what to pin, like `/usual pin total sales last month`.');
      if (question.length > MAX_QUESTION_CHARS)
        throw new UsualCommandError(
          `That question is too long to pin; keep it under ${MAX_QUESTION_CHARS} characters.`,
        );
      return { kind: 'pin', question };
    }
    case 'unpin':
      noMore(rest.slice(1), '/usual unpin <n>');
      return { kind: 'unpin', n: positiveNumber(rest[0], 'Unpinning', '/usual unpin 2') };
    case 'stop':
      noMore(rest.slice(1), '/usual stop <id>');
      return { kind: 'stop', id: positiveNumber(rest[0], 'Stopping a digest', '/usual stop 3') };
    case 'resume':
      noMore(rest.slice(1), '/usual resume <id>');
      return { kind: 'resume', id: positiveNumber(rest[0], 'Resuming a digest', '/usual resume 3') };
    case 'schedule': {
      const timeZone = options.timeZone ?? 'UTC';
      if (!isTimeZone(timeZone))
        throw new UsualCommandError(`Your timezone "${timeZone}" isn't one I know; set a valid one first.`);
      const last = rest.at(-1);
      if (!last || rest.length < 2)
        throw new UsualCommandError('Say when and where, like `/usual schedule daily 09:00 #sales`.');
      const spec = parseScheduleSpec(rest.slice(0, -1), timeZone, options.now);
      return { kind: 'schedule', spec, channel: parseChannelRef(last), timeZone };
    }
    default:
      return { kind: 'show', topic: words.join(' ') };
  }
}
