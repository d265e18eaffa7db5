import type { App } from '@slack/bolt';
import type { BotServices } from '../../services.ts';
import { appMentionCallback } from './appMention.ts';

export function register(app: App, services: BotServices): void {
  app.event('app_mention', appMentionCallback(services));
}
