import type { App } from '@slack/bolt';
import type { BotServices } from '../../services.ts';
import { directMessageCallback } from './directMessage.ts';
import { threadReplyCallback } from './threadReply.ts';

export function register(app: App, services: BotServices): void {
  app.message(directMessageCallback(services));
  app.message(threadReplyCallback(services));
}
