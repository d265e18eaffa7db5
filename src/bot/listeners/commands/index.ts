import type { App } from '@slack/bolt';
import type { BotServices } from '../../services.ts';
import { usualCallback } from './usual.ts';

export function register(app: App, services: BotServices): void {
  app.command('/usual', usualCallback(services));
}
