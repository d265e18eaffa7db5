import type { Logger } from '../../log.ts';
import type { Kv } from '../../memory/kv.ts';
import { ModelUnavailable, unavailableNote } from './modelErrors.ts';

// Each person may spend a number of model tokens a day. The count lives in the Kv under a key
// per UTC day that expires at the day's end, so nothing needs resetting. When the Kv is down
// the model is still asked: losing the count for a while is better than losing the answers.

export interface TokenBudget {
  /** Throws ModelUnavailable when today's tokens are spent. */
  check(): Promise<void>;
  spend(tokens: number): Promise<void>;
}

export interface BudgetOwner {
  teamId: string;
  userId: string;
  /** Tokens a day. */
  limit: number;
  now?: Date;
}

export function budgetKey(owner: BudgetOwner): string {
  const day = (owner.now ?? new Date()).toISOString().slice(0, 10);
  return `llm_tokens:${owner.teamId}:${owner.userId}:${day}`;
}

/** Seconds until the next UTC midnight (at least one). */
export function secondsToEndOfDay(now: Date): number {
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((end - now.getTime()) / 1000));
}

export function dailyTokenBudget(kv: Kv, owner: BudgetOwner, log: Logger): TokenBudget {
  const key = budgetKey(owner);
  return {
    async check() {
      const used = await kv.get(key).catch((e: unknown) => {
        log.warn({ err: String(e) }, 'token budget not readable; asking the model anyway');
        return null;
      });
      if (Number(used ?? 0) >= owner.limit)
        throw new ModelUnavailable(
          unavailableNote(`your ${owner.limit.toLocaleString('en')} model tokens for today are used up`),
          `${used} tokens used of ${owner.limit}`,
        );
    },
    async spend(tokens) {
      if (tokens <= 0) return;
      const ttl = secondsToEndOfDay(owner.now ?? new Date());
      await kv.incr(key, ttl, tokens).catch((e: unknown) => {
        log.warn({ err: String(e), tokens }, 'token use not counted');
      });
    },
  };
}
