import type { App } from '@slack/bolt';
import type { BotServices } from '../../services.ts';
import { appMentionCallback } from './appMention.ts';
import { appUninstalledCallback } from './appUninstalled.ts';

export function register(app: App, services: BotServices): void {
  app.event('app_mention', appMentionCallback(services));
  app.event('app_uninstalled', appUninstalledCallback(services));
  app.event('tokens_revoked', appUninstalledCallback(services));
}
