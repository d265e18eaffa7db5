import { randomUUID } from 'node:crypto';
import { QuarryError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Kv } from '../memory/kv.ts';

// At most N answers in flight per person, across every replica: one person pasting twenty
// questions at once must not take the whole database pool from their team. Each answer holds
// one of the person's N slot keys (SET NX with an expiry) and deletes it when done, so a
// replica that dies mid-answer frees its slot when the key expires rather than never.

/** The person already has the most answers running that they may. */
export class TooManyInFlight extends QuarryError {
  readonly kind = 'busy';
}

export interface AdmissionPass {
  leave(): Promise<void>;
}

export interface AnswerAdmission {
  /** A pass for one more answer, or TooManyInFlight when the person has `maxPerUser` running. */
  enter(teamId: string, userId: string): Promise<AdmissionPass>;
}

export interface AdmissionOptions {
  maxPerUser: number;
  /** How long a slot outlives a replica that died holding it. */
  slotTtlSeconds?: number;
  log: Logger;
}

const DEFAULT_SLOT_TTL_SECONDS = 180;
const FREE_PASS: AdmissionPass = { leave: async () => {} };

export function kvAdmission(kv: Kv, options: AdmissionOptions): AnswerAdmission {
  const ttl = options.slotTtlSeconds ?? DEFAULT_SLOT_TTL_SECONDS;
  return {
    async enter(teamId, userId) {
      const owner = randomUUID();
      try {
        for (let i = 0; i < options.maxPerUser; i++) {
          const key = `inflight:${teamId}:${userId}:${i}`;
          if (await kv.setIfAbsent(key, owner, ttl)) {
            return {
              leave: () =>
                kv.delIfEquals(key, owner).then(
                  () => {},
                  () => {},
                ),
            };
          }
        }
      } catch (e) {
        // Without the store the limit cannot be counted; answering beats refusing everyone.
        options.log.warn({ err: e }, 'answer slots unavailable; admitting the question');
        return FREE_PASS;
      }
      throw new TooManyInFlight(
        `You already have ${options.maxPerUser} questions being answered. Please wait for one of them to finish, then ask again.`,
        `${teamId}/${userId}: ${options.maxPerUser} answers in flight`,
      );
    },
  };
}
