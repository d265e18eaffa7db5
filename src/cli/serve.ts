import { createSlackApp } from '../bot/app.ts';
import { requireSlackSettings, type SlackSettings } from '../bot/slackSettings.ts';
import { verifyBotToken } from '../bot/verifyToken.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../log.ts';
import { openRuntime } from '../runtime.ts';
import { startDigests } from '../usual/startDigests.ts';

// `quarry serve`: the Slack app and the digest scheduler until SIGINT/SIGTERM, then a clean
// shutdown (digests being posted finish; in-flight learning is drained by the runtime's close).

function untilStopped(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

function listening(mode: SlackSettings['mode'], port: number): string {
  switch (mode) {
    case 'socket':
      return `Quarry is connected to Slack (Socket Mode); /healthz and /metrics on port ${port}`;
    case 'http':
      return `Quarry is listening for Slack events on port ${port} at /slack/events`;
    case 'oauth':
      return `Quarry is listening for Slack events on port ${port} at /slack/events; workspaces install it at /slack/install`;
  }
}

export async function serveCommand(): Promise<number> {
  const config = loadConfig();
  const settings = requireSlackSettings(config);
  const log = createLogger(config.LOG_LEVEL);
  // With OAuth each workspace brings its own token when it installs Quarry: none to check yet.
  const { teamId, botUserId } = settings.mode === 'oauth' ? {} : await verifyBotToken(settings);
  const runtime = await openRuntime(config, { log, onProgress: (message) => log.info(message) });
  const digests = await startDigests(runtime).catch(async (e) => {
    await runtime.close();
    throw e;
  });
  const slack = createSlackApp(runtime, {
    settings,
    port: config.PORT,
    digests: digests?.scheduler,
    maxConcurrentAnswers: config.QUARRY_CONCURRENT_ANSWERS,
  });
  try {
    const { port } = await slack.start();
    log.info({ mode: settings.mode, port, teamId, botUserId }, listening(settings.mode, port));
    const signal = await untilStopped();
    log.info({ signal }, 'stopping');
    await slack.stop();
    return 0;
  } finally {
    await digests?.scheduler.close();
    await runtime.close();
  }
}
