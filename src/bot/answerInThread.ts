import { randomUUID } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import type { Answer } from '../domain/types.ts';
import { userMessageOf } from '../errors.ts';
import type { Logger } from '../log.ts';
import { answer } from '../pipeline/index.ts';
import { messageText } from '../slack/limits.ts';
import { isUsualRequest } from '../usual/usualRequest.ts';
import { rememberAnswer } from './answerStore.ts';
import { EMPTY_QUESTION, RATE_LIMITED, verifiedSetAside } from './blocks/notices.ts';
import { stageLabel, workingMessage } from './blocks/working.ts';
import { postAnswer, postReply } from './postReply.ts';
import { progressReporter } from './progress.ts';
import { countQuestion } from './rateLimit.ts';
import type { BotServices } from './services.ts';
import { markThread, type ThreadRef } from './threads.ts';
import { type UserSettings, userSettings } from './userSettings.ts';
import { runUsual, usualImage, usualMessage } from './usualReply.ts';

/** Whoever vouched for a verified answer hears, in a DM, that it failed and was set aside. */
async function tellSetAside(client: webApi.WebClient, s: NonNullable<Answer['setAside']>, log: Logger) {
  for (const user of s.notify)
    await client.chat
      .postMessage({ channel: user, text: messageText(verifiedSetAside(s.question, s.reason)) })
      .catch((e) => log.warn({ err: e }, 'could not tell the owner of a verified answer that failed'));
}

// One question in one Slack thread, from "Working…" to the answer: every surface (mention,
// DM, follow-up, /usual) ends here. The thread is the session, so follow-ups edit its last plan.

export interface ThreadQuestion extends ThreadRef {
  userId: string;
  /** The question with Slack's markup removed. */
  text: string;
  /** When the event reached Quarry (epoch ms), for the reply-latency metric. */
  receivedAt: number;
  /** The usual dashboard is asked for (`/usual`); otherwise the text decides ("show me the usual"). */
  usual?: { topic?: string };
  /** Shows progress as the assistant panel's status line ("is running query…") instead of a
   *  "Working…" message; the reply is then a new message in the thread. */
  setStatus?: (status: string) => Promise<unknown>;
  /** Slack's id for the event (event_id), carried by every log line of this answer. */
  requestId?: string;
}

const USUAL_LABEL = 'building your usual dashboard';

async function chartFor(services: BotServices, log: Logger, a: Answer, settings: UserSettings) {
  if (a.error) return null;
  try {
    return await services.charts.render(a, { locale: settings.locale, timeZone: settings.timeZone });
  } catch (e) {
    services.metrics.countError('chart');
    log.warn({ err: e, answerId: a.id }, 'could not draw the chart; answering without it');
    return null;
  }
}

/** Answers when one of the answer slots is free (see BotServices.answerSlots). */
export async function answerInThread(
  services: BotServices,
  client: webApi.WebClient,
  q: ThreadQuestion,
): Promise<void> {
  const requestId = q.requestId ?? randomUUID();
  const log = services.log.child({ requestId });
  // Marked before waiting for a slot, so a reply sent meanwhile is a follow-up too.
  await markThread(services.kv, q).catch((e) =>
    log.warn({ err: e }, 'could not mark the thread as answered'),
  );
  return services.answerSlots(() => answerNow(services, client, { ...q, requestId }, log));
}

/** Where progress shows: a "Working…" message the reply replaces, or the assistant status line. */
async function startProgress(client: webApi.WebClient, q: ThreadQuestion, firstLabel: string, log: Logger) {
  const { setStatus } = q;
  if (setStatus) {
    const status = (label: string) => setStatus(`is ${label}…`);
    await status(firstLabel).catch((e) => log.debug({ err: e }, 'could not set the assistant status'));
    return { workingTs: undefined, show: status };
  }
  const working = await client.chat.postMessage({
    channel: q.channel,
    thread_ts: q.threadTs,
    ...workingMessage(firstLabel),
  });
  const workingTs = working.ts;
  const show = (label: string) =>
    workingTs
      ? client.chat.update({ channel: q.channel, ts: workingTs, ...workingMessage(label) })
      : Promise.resolve();
  return { workingTs, show };
}

async function answerNow(
  services: BotServices,
  client: webApi.WebClient,
  q: ThreadQuestion,
  log: Logger,
): Promise<void> {
  const { kv, metrics } = services;
  const say = (text: string) =>
    client.chat.postMessage({ channel: q.channel, thread_ts: q.threadTs, text: messageText(text) });
  if (!q.text) {
    await say(EMPTY_QUESTION);
    return;
  }
  const rate = await countQuestion(kv, services.rateLimits, q, log);
  if (!rate.allowed) {
    if (rate.explain) await say(RATE_LIMITED);
    return;
  }
  const settings = await userSettings(services, client, q.teamId, q.userId);
  const usual = q.usual ?? isUsualRequest(q.text);
  const firstLabel = usual ? USUAL_LABEL : stageLabel('schema')!;
  const { workingTs, show } = await startProgress(client, q, firstLabel, log);
  const progress = progressReporter(show, {
    shown: firstLabel,
    onError: (e) => log.debug({ err: e }, 'progress update failed'),
  });
  const place = { channel: q.channel, threadTs: q.threadTs, replaceTs: workingTs };
  const onImageError = (e: unknown) => {
    metrics.countError('slack_api');
    log.warn({ err: e }, 'could not upload the image');
  };
  try {
    if (usual) {
      const who = {
        teamId: q.teamId,
        userId: q.userId,
        timeZone: settings.timeZone,
        locale: settings.locale,
      };
      const reply = await runUsual(services, client, who, { kind: 'show', topic: usual.topic });
      await progress.finish();
      await postReply(client, place, usualMessage(reply), usualImage(reply), { onImageError });
      return;
    }
    const a = await answer(
      q.text,
      {
        teamId: q.teamId,
        userId: q.userId,
        session: { teamId: q.teamId, channelId: q.channel, threadTs: q.threadTs },
        timeZone: settings.timeZone,
        locale: settings.locale,
        onProgress: progress.stage,
        requestId: q.requestId,
      },
      services.pipeline,
    );
    await progress.finish();
    const chart = await chartFor(services, log, a, settings);
    const shown = {
      locale: settings.locale,
      timeZone: settings.timeZone,
      chartNote: chart?.note ?? null,
      verifiable: Boolean(services.pipeline.knowledge?.owners.length),
    };
    if (a.id && !a.error) {
      await rememberAnswer(kv, { ...a, id: a.id }, shown).catch((e) =>
        log.warn({ err: e }, 'could not keep the answer for its buttons'),
      );
    }
    await postAnswer(client, place, a, chart, { ...shown, onImageError });
    metrics.observeAnswer(a, (Date.now() - q.receivedAt) / 1000);
    if (a.setAside) await tellSetAside(client, a.setAside, log);
  } catch (e) {
    await progress.finish();
    metrics.countError('reply');
    log.error({ err: e }, 'could not answer in the thread');
    const text = messageText(userMessageOf(e));
    await (workingTs
      ? client.chat.update({ channel: q.channel, ts: workingTs, text, blocks: [] })
      : say(text)
    ).catch(() => {});
  }
}
