import type { Answer, SchemaInfo } from '../domain/types.ts';
import { isQuarryError, NotUnderstood } from '../errors.ts';
import { withLabels } from '../knowledge/applyLabels.ts';
import type { Logger } from '../log.ts';
import { withoutData } from './llm/repairFeedback.ts';
import { loadSchema } from './schema.ts';
import type { AskContext, PipelineServices, Stage } from './services.ts';

// What every way of answering shares: the empty answer the stages fill, each stage timed, a
// failure turned into the answer's error (never an exception), and the schema stage.

export function emptyAnswer(question: string): Answer {
  return {
    question,
    sql: null,
    columns: [],
    rows: [],
    rowCount: 0,
    truncated: false,
    source: null,
    plan: null,
    summary: '',
    assumptions: [],
    timings: {},
    error: null,
    notes: [],
  };
}

/** Runs `fn` as a timed stage, recording milliseconds on the answer. */
export async function timed<T>(
  answer: Answer,
  stage: Stage,
  ctx: AskContext,
  fn: () => Promise<T> | T,
): Promise<T> {
  ctx.onProgress?.(stage);
  const start = performance.now();
  try {
    return await fn();
  } finally {
    answer.timings[stage] = Math.round((performance.now() - start) * 100) / 100;
  }
}

export function failed(answer: Answer, e: unknown, log: Logger): Answer {
  if (isQuarryError(e)) {
    answer.error = { kind: e.kind, message: e.userMessage };
    if (e instanceof NotUnderstood && e.readings.length) answer.error.readings = e.readings;
    // The database quotes the value it tripped over; logs keep the error, never the data.
    const detail = e.detail && withoutData(e.detail, answer.sql ?? '');
    if (!(e instanceof NotUnderstood)) log.warn({ kind: e.kind, detail }, 'question failed');
  } else {
    answer.error = { kind: 'internal', message: 'Something went wrong on my side. Please try again.' };
    log.error({ err: e }, 'unexpected error in the pipeline');
  }
  answer.summary = answer.error.message;
  return answer;
}

export async function schemaStage(
  services: PipelineServices,
  answer: Answer,
  ctx: AskContext,
): Promise<SchemaInfo> {
  return timed(answer, 'schema', ctx, async () =>
    withLabels(
      (await loadSchema(services.target, services.schemaLayers, { access: services.access })).schema,
      services.knowledge?.labels,
    ),
  );
}
