import type { AddressInfo } from 'node:net';
import { App, webApi } from '@slack/bolt';
import type { Runtime } from '../runtime.ts';
import { boltLogger } from './boltLogger.ts';
import { registerListeners } from './listeners/index.ts';
import { dedupeEvents } from './middleware/dedupeEvents.ts';
import { opsRoutes } from './opsRoutes.ts';
import { type BotOptions, type BotServices, botServices } from './services.ts';
import type { SlackSettings } from './slackSettings.ts';

// Builds the Bolt App: Socket Mode with an app token, else HTTP on PORT at /slack/events
// (Bolt verifies each request's signature and rejects ones older than five minutes). Events
// are acknowledged before any work; answers follow. /healthz and /metrics share the server.

export const EVENTS_PATH = '/slack/events';

export interface SlackAppOptions extends BotOptions {
  settings: SlackSettings;
  /** HTTP port (events, /healthz, /metrics); 0 picks a free one. */
  port: number;
}

export interface SlackApp {
  app: App;
  services: BotServices;
  /** Starts listening; resolves with the HTTP port in use. */
  start(): Promise<{ port: number }>;
  stop(): Promise<void>;
}

export function createSlackApp(runtime: Runtime, options: SlackAppOptions): SlackApp {
  const { settings } = options;
  const services = botServices(runtime, options);
  const common = {
    token: settings.botToken,
    logger: boltLogger(services.log),
    // Quarry keeps its own conversation state (sessions); Bolt's store would be a second copy.
    convoStore: false as const,
    customRoutes: opsRoutes(services.metrics),
    clientOptions: {
      slackApiUrl: settings.apiUrl,
      // On 429 the client waits for Retry-After and tries again instead of failing the reply.
      rejectRateLimitedCalls: false,
      retryConfig: webApi.retryPolicies.fiveRetriesInFiveMinutes,
    },
  };
  const app =
    settings.mode === 'socket'
      ? new App({
          ...common,
          socketMode: true,
          appToken: settings.appToken,
          installerOptions: { port: options.port },
        })
      : new App({
          ...common,
          signingSecret: settings.signingSecret,
          endpoints: EVENTS_PATH,
          // Acknowledge first, answer afterwards: Slack retries events not acknowledged in 3 s.
          processBeforeResponse: false,
        });
  app.use(dedupeEvents(services));
  registerListeners(app, services);
  app.error(async (error) => {
    services.metrics.countError('listener');
    services.log.error({ err: error }, 'a Slack listener failed');
  });
  return {
    app,
    services,
    async start() {
      const started = await app.start(options.port);
      const address =
        settings.mode === 'http' ? (started as { address(): AddressInfo | string | null }).address() : null;
      return { port: address && typeof address === 'object' ? address.port : options.port };
    },
    async stop() {
      await app.stop();
      await services.charts.close();
    },
  };
}
