import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Answer } from '../domain/types.ts';

// What `/metrics` shows: answers by source and error kind, time per pipeline stage and to the
// posted reply, how often memory answered, and failures of the Slack side. One registry per
// app, never prom-client's global one, so two apps in one process (tests) stay apart.

export interface BotMetrics {
  registry: Registry;
  /** Counts one posted answer and its stage timings. */
  observeAnswer(answer: Answer, replySeconds: number): void;
  /** Counts a failure outside the pipeline ("listener", "slack_api", "chart"). */
  countError(where: string): void;
}

const STAGE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createMetrics(): BotMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const answers = new Counter({
    name: 'quarry_answers_total',
    help: 'Answers posted, by plan source and error kind ("none" when answered).',
    labelNames: ['source', 'error_kind'] as const,
    registers: [registry],
  });
  const stageSeconds = new Histogram({
    name: 'quarry_stage_duration_seconds',
    help: 'Time spent in each pipeline stage.',
    labelNames: ['stage'] as const,
    buckets: STAGE_BUCKETS,
    registers: [registry],
  });
  const replySeconds = new Histogram({
    name: 'quarry_reply_duration_seconds',
    help: 'From the Slack event to the answer posted in the thread.',
    buckets: STAGE_BUCKETS,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'quarry_errors_total',
    help: 'Failures outside the pipeline, by where they happened.',
    labelNames: ['where'] as const,
    registers: [registry],
  });
  let answered = 0;
  let fromMemory = 0;
  new Gauge({
    name: 'quarry_memory_hit_ratio',
    help: 'Share of answered questions planned from a remembered pattern, since start.',
    registers: [registry],
    collect() {
      this.set(answered === 0 ? 0 : fromMemory / answered);
    },
  });
  return {
    registry,
    observeAnswer(answer, seconds) {
      answers.inc({ source: answer.source ?? 'none', error_kind: answer.error?.kind ?? 'none' });
      for (const [stage, ms] of Object.entries(answer.timings)) stageSeconds.observe({ stage }, ms / 1000);
      replySeconds.observe(seconds);
      if (!answer.error) {
        answered++;
        if (answer.source === 'memory') fromMemory++;
      }
    },
    countError(where) {
      errors.inc({ where });
    },
  };
}
