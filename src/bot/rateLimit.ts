import type { Logger } from '../log.ts';
import type { Kv } from '../memory/kv.ts';
import type { RateLimits } from './services.ts';

// Questions per minute, per person and per workspace, counted in fixed one-minute windows.

const WINDOW_SECONDS = 60;

export type RateDecision =
  | { allowed: true }
  /** `explain`: the person's first refused question in this window; later ones get no reply,
   *  so a burst of questions is not met with a burst of refusals. */
  | { allowed: false; explain: boolean };

/** Counts one question. When the store is down, questions are allowed. */
export async function countQuestion(
  kv: Kv,
  limits: RateLimits,
  who: { teamId: string; userId: string },
  log: Logger,
): Promise<RateDecision> {
  try {
    const byUser = await kv.incr(`rate:user:${who.teamId}:${who.userId}`, WINDOW_SECONDS);
    const byTeam = byUser > limits.perUser ? 0 : await kv.incr(`rate:team:${who.teamId}`, WINDOW_SECONDS);
    if (byUser <= limits.perUser && byTeam <= limits.perTeam) return { allowed: true };
    const explain = await kv.setIfAbsent(`rate:told:${who.teamId}:${who.userId}`, '1', WINDOW_SECONDS);
    return { allowed: false, explain };
  } catch (e) {
    log.warn({ err: e }, 'rate limit counters unavailable; allowing the question');
    return { allowed: true };
  }
}
