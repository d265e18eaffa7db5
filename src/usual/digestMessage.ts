import type { DigestSchedule } from '../memory/digestSchedules.ts';
import { arrowPct } from './headline.ts';
import { panelLine } from './panelText.ts';
import type { UsualPanel } from './runPanels.ts';
import { describeSpec, specOf } from './scheduleSpec.ts';

// The words of a scheduled digest: who and when, what moved most against the period before,
// then one line per panel. The image follows as its own upload.

/** Panels named in the "What changed" line, biggest move first. */
const MAX_MOVES = 3;

export interface DigestTextInput {
  schedule: DigestSchedule;
  panels: UsualPanel[];
  /** The run slot the digest is for. */
  slot: Date;
  locale?: string;
}

function slotLabel(slot: Date, timeZone: string, locale = 'en-US'): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(slot);
}

/** The panels whose value moved most, for the digest's "What changed" line. */
export function biggestMoves(panels: UsualPanel[], max = MAX_MOVES): UsualPanel[] {
  return panels
    .filter(
      (p) => !p.answer.error && p.change && p.change.pct !== null && Math.round(p.change.pct * 10) !== 0,
    )
    .sort((a, b) => Math.abs(b.change!.pct!) - Math.abs(a.change!.pct!))
    .slice(0, max);
}

export function digestText(input: DigestTextInput): string {
  const { schedule, panels, locale } = input;
  const options = { locale, timeZone: schedule.timezone };
  const when = describeSpec(specOf(schedule));
  const lines = [
    `*Usual digest* for <@${schedule.ownerUserId}> · ${slotLabel(input.slot, schedule.timezone, locale)} (${when}, ${schedule.timezone})`,
  ];
  const moves = biggestMoves(panels);
  if (moves.length) {
    const described = moves.map((p) => `${p.title} ${arrowPct(p.change!.pct!)}`);
    lines.push(`*What changed* vs the period before: ${described.join(' · ')}`);
  }
  lines.push(...panels.map((p) => panelLine(p, options)));
  const failed = panels.filter((p) => p.answer.error).length;
  if (failed) {
    lines.push(
      `_${failed} of ${panels.length} panels could not be run this time; <@${schedule.ownerUserId}> has the details._`,
    );
  }
  return lines.join('\n');
}

/** The note to the owner when some or all of a digest's queries failed. */
export function failureNote(schedule: DigestSchedule, panels: UsualPanel[], channel: string): string {
  const failed = panels.filter((p) => p.answer.error);
  const all = failed.length === panels.length;
  const head = all
    ? `Your digest #${schedule.id} to ${channel} was not posted: none of its panels could be run.`
    : `Your digest #${schedule.id} to ${channel} went out without ${failed.length} of its ${panels.length} panels.`;
  const reasons = failed.map((p) => `• ${p.title}: ${p.answer.error!.message}`);
  return [head, ...reasons, 'I will try again at the next scheduled time.'].join('\n');
}
