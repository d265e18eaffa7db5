import type { Db } from '../db/client.ts';
import type { Logger } from '../log.ts';
import type { Kv } from '../memory/kv.ts';
import type { PipelineServices } from '../pipeline/answer.ts';
import type { Runtime } from '../runtime.ts';
import { type BotMetrics, createMetrics } from './metrics.ts';

// Everything a listener may use, built once at start-up and handed to every callback.

export interface RateLimits {
  /** Questions one person may ask per minute. */
  perUser: number;
  /** Questions one workspace may ask per minute. */
  perTeam: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perUser: 20, perTeam: 200 };

export interface BotServices {
  pipeline: PipelineServices;
  /** Quarry's own tables: feedback, profiles, pins. */
  memoryDb: Db;
  kv: Kv;
  log: Logger;
  metrics: BotMetrics;
  rateLimits: RateLimits;
}

export function botServices(runtime: Runtime, rateLimits: RateLimits = DEFAULT_RATE_LIMITS): BotServices {
  return {
    pipeline: runtime.pipeline,
    memoryDb: runtime.memoryDb,
    kv: runtime.kv,
    log: runtime.log.child({ surface: 'slack' }),
    metrics: createMetrics(),
    rateLimits,
  };
}
