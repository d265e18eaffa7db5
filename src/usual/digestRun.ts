import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.ts';
import {
  claimDigestRun,
  type DigestClaimant,
  type DigestSchedule,
  getDigestSchedule,
  markDigestDelivered,
  releaseDigestRun,
  setDigestPaused,
  stopDigestSchedule,
} from '../memory/digestSchedules.ts';
import type { PipelineServices } from '../pipeline/index.ts';
import { SLACK_LIMITS, shortenEach } from '../slack/limits.ts';
import type { PanelSource } from './choosePanels.ts';
import { runDashboard } from './dashboard.ts';
import { digestText, failureNote } from './digestMessage.ts';
import type { DigestPoster, PostedMessage } from './digestPoster.ts';
import { DigestChannelUnavailable } from './usualErrors.ts';

// One run slot of one digest: build the dashboard, claim the slot (so one replica posts it,
// however many fire), post text and image, record it delivered, and tell the owner when
// something went wrong — a failed query or a channel that is gone — instead of staying silent.
// A replica that dies after claiming leaves the slot to the next attempt of the same job, which
// looks in the channel for the digest before posting it.

export interface DigestDeps {
  /** The target database and Quarry's memory (schedules live in memory.db). */
  services: PipelineServices & { memory: NonNullable<PipelineServices['memory']> };
  /** One workspace's poster, or each workspace's own (Quarry installed in many). */
  poster: DigestPoster | ((teamId: string) => Promise<DigestPoster>);
  log: Logger;
}

export type DigestOutcome =
  /** Posted to the channel. */
  | 'posted'
  /** Another run (or replica) already delivered this slot or a later one. */
  | 'duplicate'
  /** No panel could run: the owner was told, nothing was posted. */
  | 'failed'
  /** The channel is gone: the schedule was paused and the owner told. */
  | 'paused'
  /** The schedule was stopped or paused meanwhile; it should not fire again. */
  | 'inactive'
  /** A one-off digest was delivered and removed. */
  | 'finished';

export interface DigestSlot {
  teamId: string;
  scheduleId: number;
  /** The time this run was scheduled for (not when it started). */
  slot: Date;
  /** The scheduler job and attempt running it; a one-off run of its own when absent. */
  claimant?: DigestClaimant;
}

/** Slot keys sort in time order, as claimDigestRun requires. */
export function runKeyOf(slot: Date): string {
  return slot.toISOString();
}

function sourcesOf(schedule: DigestSchedule): PanelSource[] {
  return schedule.panels.map((p) => ({
    title: p.title,
    question: p.title,
    plan: p.plan,
    successRate: null,
    pinned: true,
    times: 0,
  }));
}

async function tellOwner(
  deps: DigestDeps,
  poster: DigestPoster,
  schedule: DigestSchedule,
  text: string,
): Promise<void> {
  await poster.dm(schedule.ownerUserId, text).catch((e: unknown) => {
    deps.log.warn({ err: e, scheduleId: schedule.id }, 'could not message the digest owner');
  });
}

async function pauseForChannel(
  deps: DigestDeps,
  poster: DigestPoster,
  schedule: DigestSchedule,
  e: DigestChannelUnavailable,
): Promise<DigestOutcome> {
  const db = deps.services.memory.db;
  await setDigestPaused(db, schedule.teamId, schedule.id, true);
  deps.log.warn({ scheduleId: schedule.id, slackError: e.slackError }, 'digest channel unavailable; paused');
  await tellOwner(
    deps,
    poster,
    schedule,
    `I paused your digest #${schedule.id}: ${e.userMessage} Invite me to a channel and run \`/usual resume ${schedule.id}\`, or \`/usual stop ${schedule.id}\` to remove it.`,
  );
  return 'paused';
}

export async function runDigest(deps: DigestDeps, run: DigestSlot): Promise<DigestOutcome> {
  const db = deps.services.memory.db;
  const schedule = await getDigestSchedule(db, run.teamId, run.scheduleId);
  if (!schedule || schedule.paused) return 'inactive';
  const runKey = runKeyOf(run.slot);
  const claimant = run.claimant ?? { job: randomUUID(), attempt: 1 };
  // Cheap check first: a slot already delivered needs no queries. A later attempt may be taking
  // over its own unfinished slot, which the claim decides.
  if (claimant.attempt === 1 && schedule.lastRunKey && schedule.lastRunKey >= runKey) return 'duplicate';
  const dashboard = await runDashboard(deps.services, sourcesOf(schedule), {
    teamId: schedule.teamId,
    userId: schedule.ownerUserId,
    timeZone: schedule.timezone,
  });
  const poster = typeof deps.poster === 'function' ? await deps.poster(schedule.teamId) : deps.poster;
  const claim = await claimDigestRun(db, schedule.teamId, schedule.id, runKey, claimant);
  if (!claim) return 'duplicate';
  const delivered = () => markDigestDelivered(db, schedule.teamId, schedule.id, runKey);
  const metadata = { scheduleId: schedule.id, slot: runKey };
  if (claim.retaken && (await poster.findDigestPost(schedule.channelId, metadata))) {
    // The attempt before posted it and died before recording so.
    await delivered();
    return 'duplicate';
  }
  const channel = `<#${schedule.channelId}>`;
  const failed = dashboard.panels.filter((p) => p.answer.error);
  if (failed.length === dashboard.panels.length) {
    await tellOwner(deps, poster, schedule, failureNote(schedule, dashboard.panels, channel));
    await delivered();
    return 'failed';
  }
  let posted: PostedMessage;
  try {
    const text = digestText({ schedule, panels: dashboard.panels, slot: run.slot });
    posted = await poster.postMessage(schedule.channelId, text, metadata);
  } catch (e) {
    if (e instanceof DigestChannelUnavailable) {
      await delivered();
      return pauseForChannel(deps, poster, schedule, e);
    }
    // Not delivered: give the slot back so the scheduler's retry can post it.
    await releaseDigestRun(db, schedule.teamId, schedule.id, runKey, claimant);
    throw e;
  }
  await delivered();
  // The words are out; an image that fails is logged, never a reason to post them twice.
  if (dashboard.png) {
    await poster
      .uploadImage(posted.channel, dashboard.png, {
        title: 'Usual digest',
        filename: 'usual-digest.png',
        altText: shortenEach(
          dashboard.panels.map((p) => `${p.title}: ${p.headline}`),
          SLACK_LIMITS.fileAltText,
          '; ',
        ),
      })
      .catch((e: unknown) =>
        deps.log.warn({ err: e, scheduleId: schedule.id }, 'could not upload the digest image'),
      );
  }
  if (failed.length)
    await tellOwner(deps, poster, schedule, failureNote(schedule, dashboard.panels, channel));
  if (schedule.cadence === 'once') {
    await stopDigestSchedule(db, schedule.teamId, schedule.id);
    return 'finished';
  }
  return 'posted';
}
