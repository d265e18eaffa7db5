import type { Logger } from '../log.ts';
import type { Kv } from '../memory/kv.ts';

// Slack re-delivers an event it thinks was not acknowledged in time (same event_id,
// X-Slack-Retry-Num). The first delivery claims the id; later ones are dropped.

export const EVENT_MARKER_TTL_SECONDS = 3600;

/** true for the first delivery of an event. When the store is down every delivery counts as
 *  the first: a rare double answer is better than none. */
export async function firstDelivery(kv: Kv, eventId: string, log: Logger): Promise<boolean> {
  try {
    return await kv.setIfAbsent(`event:${eventId}`, '1', EVENT_MARKER_TTL_SECONDS);
  } catch (e) {
    log.warn({ err: e, eventId }, 'could not record the event id; handling it anyway');
    return true;
  }
}
