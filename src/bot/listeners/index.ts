import type { App } from '@slack/bolt';
import type { BotServices } from '../services.ts';
import * as actions from './actions/index.ts';
import * as assistant from './assistant/index.ts';
import * as commands from './commands/index.ts';
import * as events from './events/index.ts';
import * as messages from './messages/index.ts';

export function registerListeners(app: App, services: BotServices): void {
  // Before the message listeners: thread messages in Quarry's DMs belong to the assistant.
  assistant.register(app, services);
  events.register(app, services);
  messages.register(app, services);
  commands.register(app, services);
  actions.register(app, services);
}
