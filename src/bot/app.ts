import type { AddressInfo } from 'node:net';
import { App, webApi } from '@slack/bolt';
import { cachedInstallationStore, installationStore } from '../memory/slackInstallations.ts';
import type { Runtime } from '../runtime.ts';
import { boltLogger } from './boltLogger.ts';
import { registerListeners } from './listeners/index.ts';
import { dedupeEvents } from './middleware/dedupeEvents.ts';
import { opsRoutes } from './opsRoutes.ts';
import { BOT_SCOPES } from './scopes.ts';
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

function buildApp(settings: SlackSettings, options: SlackAppOptions, services: BotServices): App {
  const common = {
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
  // Acknowledge first, answer afterwards: Slack retries events not acknowledged in 3 s.
  const http = { endpoints: EVENTS_PATH, processBeforeResponse: false };
  switch (settings.mode) {
    case 'socket':
      return new App({
        ...common,
        token: settings.botToken,
        socketMode: true,
        appToken: settings.appToken,
        installerOptions: { port: options.port },
      });
    case 'http':
      return new App({ ...common, ...http, token: settings.botToken, signingSecret: settings.signingSecret });
    case 'oauth':
      // /slack/install starts Slack's OAuth flow and /slack/oauth_redirect finishes it; each
      // event is then answered with its workspace's own token from the installation store.
      return new App({
        ...common,
        ...http,
        signingSecret: settings.signingSecret,
        clientId: settings.clientId,
        clientSecret: settings.clientSecret,
        stateSecret: settings.stateSecret,
        scopes: [...BOT_SCOPES],
        installationStore: services.installations,
        installerOptions: { directInstall: true, clientOptions: { slackApiUrl: settings.apiUrl } },
      });
  }
}

export function createSlackApp(runtime: Runtime, options: SlackAppOptions): SlackApp {
  const { settings } = options;
  const installations =
    settings.mode === 'oauth' ? cachedInstallationStore(installationStore(runtime.memoryDb)) : undefined;
  const services = botServices(runtime, { ...options, installations });
  const app = buildApp(settings, options, services);
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
        settings.mode !== 'socket' ? (started as { address(): AddressInfo | string | null }).address() : null;
      return { port: address && typeof address === 'object' ? address.port : options.port };
    },
    async stop() {
      await app.stop();
      await services.charts.close();
    },
  };
}
