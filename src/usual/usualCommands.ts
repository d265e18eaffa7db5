import { isQuarryError, userMessageOf } from '../errors.ts';
import {
  createDigestSchedule,
  type DigestSchedule,
  getDigestSchedule,
  listDigestSchedules,
  setDigestPaused,
  stopDigestSchedule,
} from '../memory/digestSchedules.ts';
import { listUsualPins, pinToUsual, unpinFromUsual } from '../memory/usualPins.ts';
import { answer, type PipelineServices } from '../pipeline/index.ts';
import { channelLabel } from './channelRef.ts';
import { choosePanels, MAX_PANELS } from './choosePanels.ts';
import { buildUsualDashboard } from './dashboard.ts';
import type { DigestPoster } from './digestPoster.ts';
import type { DigestScheduler } from './digestScheduler.ts';
import { panelTitle } from './panelTitle.ts';
import { columnsOf, describeSpec, specOf } from './scheduleSpec.ts';
import { type ParseOptions, parseUsualCommand, USUAL_HELP, type UsualCommand } from './usualCommand.ts';
import { UsualCommandError } from './usualErrors.ts';

// What each `/usual …` command does, as a reply (text, and an image for the dashboard). The
// Slack listener and the terminal both call this; neither knows how a command works.

export interface UsualReply {
  text: string;
  png?: Buffer | null;
}

export interface UsualCommandContext extends ParseOptions {
  teamId: string;
  userId: string;
  locale?: string;
}

export interface UsualCommandDeps {
  services: PipelineServices & { memory: NonNullable<PipelineServices['memory']> };
  /** Checks a digest's channel when it is scheduled; digests cannot be scheduled without it. */
  poster?: DigestPoster;
  /** Arms and disarms digest timers; without it schedules are stored and armed at next start. */
  scheduler?: DigestScheduler;
}

function describeSchedule(s: DigestSchedule): string {
  const state = s.paused ? ' · paused' : '';
  return `#${s.id} · ${describeSpec(specOf(s))} (${s.timezone}) → <#${s.channelId}> · by <@${s.ownerUserId}>${state}`;
}

async function pin(deps: UsualCommandDeps, ctx: UsualCommandContext, question: string): Promise<UsualReply> {
  // Run once to prove it answers, without memory: pinning is not asking, so it stays out of the
  // history (an unpinned panel must not linger as a "usual" one).
  const asked = await answer(
    question,
    { teamId: ctx.teamId, userId: ctx.userId, timeZone: ctx.timeZone, locale: ctx.locale, now: ctx.now },
    { ...deps.services, memory: undefined },
  );
  if (asked.error || !asked.plan) {
    return { text: `I couldn't pin that: ${asked.error?.message ?? 'it did not run a query.'}` };
  }
  const pinned = await pinToUsual(deps.services.memory.db, {
    teamId: ctx.teamId,
    userId: ctx.userId,
    title: panelTitle(question),
    plan: asked.plan,
  });
  return { text: `Pinned “${pinned.title}” to your usual dashboard.` };
}

async function unpin(deps: UsualCommandDeps, ctx: UsualCommandContext, n: number): Promise<UsualReply> {
  const db = deps.services.memory.db;
  const pins = await listUsualPins(db, ctx.teamId, ctx.userId);
  const target = pins[n - 1];
  if (!target) {
    const have = pins.length ? `You have ${pins.length} (see \`/usual list\`).` : 'You have no pins yet.';
    throw new UsualCommandError(`There is no pin number ${n}. ${have}`);
  }
  await unpinFromUsual(db, ctx.teamId, ctx.userId, target.id);
  return { text: `Unpinned “${target.title}”.` };
}

async function list(deps: UsualCommandDeps, ctx: UsualCommandContext): Promise<UsualReply> {
  const db = deps.services.memory.db;
  const [pins, choice, digests] = await Promise.all([
    listUsualPins(db, ctx.teamId, ctx.userId),
    choosePanels(db, { teamId: ctx.teamId, userId: ctx.userId, now: ctx.now }),
    listDigestSchedules(db, ctx.teamId, ctx.userId),
  ]);
  const lines = pins.length
    ? ['Pinned (`/usual unpin <n>` to remove):', ...pins.map((p, i) => `${i + 1}. ${p.title}`)]
    : ['Nothing pinned yet (`/usual pin <question>`).'];
  const learned = choice.panels.filter((p) => !p.pinned);
  if (learned.length) {
    lines.push(
      'From your questions of the last 30 days:',
      ...learned.map((p) => `• ${p.title} (asked ${p.times}×)`),
    );
  }
  if (digests.length)
    lines.push('Your digests (`/usual stop <id>` to stop one):', ...digests.map(describeSchedule));
  return { text: lines.join('\n') };
}

async function schedule(
  deps: UsualCommandDeps,
  ctx: UsualCommandContext,
  command: Extract<UsualCommand, { kind: 'schedule' }>,
): Promise<UsualReply> {
  if (!deps.poster)
    throw new UsualCommandError(
      'Scheduled digests are off here: they need Quarry running in Slack (`quarry serve`) with Redis (REDIS_URL).',
    );
  const db = deps.services.memory.db;
  const choice = await choosePanels(db, {
    teamId: ctx.teamId,
    userId: ctx.userId,
    now: ctx.now,
    limit: MAX_PANELS,
  });
  if (!choice.panels.length)
    throw new UsualCommandError(
      'Your usual dashboard is empty, so a digest would have nothing in it. Ask a few questions (or `/usual pin` one) first.',
    );
  const channelId = await deps.poster.findChannel(command.channel);
  const created = await createDigestSchedule(db, {
    teamId: ctx.teamId,
    ownerUserId: ctx.userId,
    channelId,
    timezone: command.timeZone,
    panels: choice.panels.map((p) => ({ title: p.title, plan: p.plan })),
    ...columnsOf(command.spec),
  });
  await deps.scheduler?.arm(created);
  return {
    text: `Scheduled digest #${created.id}: ${describeSpec(command.spec)} (${command.timeZone}) to ${channelLabel(command.channel)}, with ${choice.panels.length} panel${choice.panels.length === 1 ? '' : 's'}. \`/usual stop ${created.id}\` stops it.`,
  };
}

async function resume(deps: UsualCommandDeps, ctx: UsualCommandContext, id: number): Promise<UsualReply> {
  const db = deps.services.memory.db;
  const found = await getDigestSchedule(db, ctx.teamId, id);
  if (!found)
    throw new UsualCommandError(`There is no digest #${id} in this workspace (see \`/usual schedules\`).`);
  if (!found.paused) return { text: `Digest #${id} is already running.` };
  if (deps.poster) await deps.poster.findChannel({ id: found.channelId });
  await setDigestPaused(db, ctx.teamId, id, false);
  await deps.scheduler?.arm({ ...found, paused: false });
  return { text: `Resumed digest #${id}: ${describeSpec(specOf(found))} to <#${found.channelId}>.` };
}

export async function runUsualCommand(
  command: UsualCommand,
  ctx: UsualCommandContext,
  deps: UsualCommandDeps,
): Promise<UsualReply> {
  const db = deps.services.memory.db;
  switch (command.kind) {
    case 'show': {
      const d = await buildUsualDashboard(deps.services, { ...ctx, topic: command.topic });
      return { text: d.text, png: d.png };
    }
    case 'help':
      return { text: USUAL_HELP };
    case 'pin':
      return pin(deps, ctx, command.question);
    case 'unpin':
      return unpin(deps, ctx, command.n);
    case 'list':
      return list(deps, ctx);
    case 'schedule':
      return schedule(deps, ctx, command);
    case 'schedules': {
      const all = await listDigestSchedules(db, ctx.teamId);
      return {
        text: all.length
          ? ['Digests in this workspace:', ...all.map(describeSchedule)].join('\n')
          : 'No digests yet. `/usual schedule daily 09:00 #channel` posts your usual there every morning.',
      };
    }
    case 'stop': {
      if (!(await stopDigestSchedule(db, ctx.teamId, command.id)))
        throw new UsualCommandError(
          `There is no digest #${command.id} in this workspace (see \`/usual schedules\`).`,
        );
      await deps.scheduler?.disarm(command.id);
      return { text: `Stopped digest #${command.id}.` };
    }
    case 'resume':
      return resume(deps, ctx, command.id);
  }
}

/** The text after `/usual` (or a command already read from it), run; a problem becomes the
 *  reply's sentence. */
export async function handleUsual(
  command: string | UsualCommand,
  ctx: UsualCommandContext,
  deps: UsualCommandDeps,
): Promise<UsualReply> {
  try {
    const parsed = typeof command === 'string' ? parseUsualCommand(command, ctx) : command;
    return await runUsualCommand(parsed, ctx, deps);
  } catch (e) {
    if (!isQuarryError(e)) deps.services.log.error({ err: e }, '/usual failed');
    return { text: userMessageOf(e) };
  }
}
