import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../../log.ts';
import type { Kv } from '../../memory/kv.ts';
import type { BotServices } from '../services.ts';

// Slack re-delivers an event it thinks was not acknowledged in time (same event_id,
// X-Slack-Retry-Num). The first delivery claims the id before any work; later ones stop here.

export const EVENT_MARKER_TTL_SECONDS = 3600;

/** true for the first delivery of an event. When the store is down every delivery counts as
 *  the first: a rare double answer is better than none. */
export async function firstDelivery(kv: Kv, eventId: string, log: Logger): Promise<boolean> {
  try {
    return await kv.setIfAbsent(`event:${eventId}`, '1', EVENT_MARKER_TTL_SECONDS);
  } catch (e) {
    log.warn({ err: e, eventId }, 'could not record the event id; handling the event anyway');
    return true;
  }
}

export function dedupeEvents(services: BotServices): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string' && !(await firstDelivery(services.kv, eventId, services.log))) {
      services.log.debug({ eventId }, 'dropped a repeated delivery of an event');
      return;
    }
    await next();
  };
}
