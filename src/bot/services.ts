import type { InstallationStore } from '@slack/bolt';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Db } from '../db/client.ts';
import type { Logger } from '../log.ts';
import type { Kv } from '../memory/kv.ts';
import type { PipelineServices } from '../pipeline/index.ts';
import type { Runtime } from '../runtime.ts';
import type { DigestScheduler } from '../usual/digestScheduler.ts';
import { type ChartRenderer, threadedChartRenderer } from './charts/chartThreads.ts';
import { type BotMetrics, createMetrics } from './metrics.ts';

// Everything a listener may use, built once at start-up and handed to every callback.

export interface RateLimits {
  /** Questions one person may ask per minute. */
  perUser: number;
  /** Questions one workspace may ask per minute. */
  perTeam: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perUser: 20, perTeam: 200 };

/** Answers one replica works on at once (QUARRY_CONCURRENT_ANSWERS sets it for `quarry serve`). */
export const DEFAULT_CONCURRENT_ANSWERS = 4;

export interface BotOptions {
  rateLimits?: RateLimits;
  /** Questions answered at the same time; more wait their turn. */
  maxConcurrentAnswers?: number;
  /** Worker threads drawing charts. */
  chartThreads?: number;
  /** Arms digest timers as `/usual schedule` creates them; without it digests are off. */
  digests?: DigestScheduler;
  installations?: InstallationStore;
}

export interface BotServices {
  pipeline: PipelineServices;
  /** Quarry's own tables: feedback, profiles, pins. */
  memoryDb: Db;
  kv: Kv;
  log: Logger;
  metrics: BotMetrics;
  rateLimits: RateLimits;
  charts: ChartRenderer;
  /** Runs an answer when a slot is free. A burst of questions is answered a few at a time, so
   *  the event loop stays free to acknowledge Slack's requests within its 3 seconds. */
  answerSlots: LimitFunction;
  digests?: DigestScheduler;
  /** Workspaces that installed Quarry through OAuth; absent with a single bot token. */
  installations?: InstallationStore;
}

export function botServices(runtime: Runtime, options: BotOptions = {}): BotServices {
  return {
    pipeline: runtime.pipeline,
    memoryDb: runtime.memoryDb,
    kv: runtime.kv,
    log: runtime.log.child({ surface: 'slack' }),
    metrics: createMetrics(),
    rateLimits: options.rateLimits ?? DEFAULT_RATE_LIMITS,
    charts: threadedChartRenderer(options.chartThreads),
    answerSlots: pLimit(options.maxConcurrentAnswers ?? DEFAULT_CONCURRENT_ANSWERS),
    digests: options.digests,
    installations: options.installations,
  };
}
