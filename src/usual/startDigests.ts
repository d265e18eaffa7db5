import { installationStore } from '../memory/slackInstallations.ts';
import type { Runtime } from '../runtime.ts';
import { createSlackDigestPoster, installedDigestPosters } from './digestPoster.ts';
import type { DigestScheduler, DigestSchedulerOptions } from './digestScheduler.ts';

// Digests in a running Quarry (`quarry serve`): one scheduler per replica, sharing Redis and the
// memory database with the others. They need Redis (the timers) and Slack (the posting); without
// either, /usual works and digests are off, and the log says why.

export interface Digests {
  scheduler: DigestScheduler;
}

/** Where the scheduler keeps its queue in Redis; deployments sharing one Redis keep apart by it. */
export type DigestQueuePlace = Partial<Pick<DigestSchedulerOptions, 'queueName' | 'prefix'>>;

export async function startDigests(runtime: Runtime, place: DigestQueuePlace = {}): Promise<Digests | null> {
  const { config, log } = runtime;
  const slack = config.SLACK_CLIENT_ID || config.SLACK_BOT_TOKEN;
  if (!config.REDIS_URL || !slack) {
    log.info('scheduled digests are off: they need REDIS_URL and Slack (SLACK_BOT_TOKEN or SLACK_CLIENT_ID)');
    return null;
  }
  const apiUrl = config.SLACK_API_URL;
  // Installed in many workspaces, each digest posts with its own workspace's token.
  const poster = config.SLACK_CLIENT_ID
    ? installedDigestPosters(installationStore(runtime.memoryDb), apiUrl)
    : createSlackDigestPoster({ token: config.SLACK_BOT_TOKEN!, apiUrl });
  // BullMQ loads only when digests are on.
  const { startDigestScheduler } = await import('./digestScheduler.ts');
  const scheduler = await startDigestScheduler({
    services: { ...runtime.pipeline, memory: runtime.pipeline.memory! },
    poster,
    log: log.child({ surface: 'digests' }),
    redisUrl: config.REDIS_URL,
    ...place,
  });
  return { scheduler };
}
