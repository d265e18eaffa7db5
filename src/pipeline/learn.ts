import { planTables } from '../domain/planParts.ts';
import type { Answer, QueryPlan } from '../domain/types.ts';
import type { Logger } from '../log.ts';
import type { AnswerLearning } from '../memory/applyLearning.ts';
import type { LearningInput } from '../memory/learnings.ts';
import type { MemoryServices } from '../memory/memoryServices.ts';
import { planKey } from '../memory/planKey.ts';
import { CHART_COUNTER, forgetCachedProfile, LIMIT_COUNTER, teachesPreferences } from '../memory/profiles.ts';
import { recordTurn, type SessionRef } from '../memory/sessions.ts';
import { sessionContextOf } from './threadSession.ts';

// The learn stage (see docs/architecture.md#learn): after replying, remember. The thread's session
// is written at once (the next reply in the thread needs it); everything durable goes through the
// learn queue, which never delays the answer and never loses a write when the memory database
// blips.

export interface LearnInput {
  teamId: string;
  userId: string;
  session?: SessionRef;
  sessionId?: string;
  answer: Answer;
  embedding: number[] | null;
  fingerprint: string;
  /** The plan the thread had before this answer (for follow-up transitions). */
  previousPlan: QueryPlan | null;
  /** Schema words the planner linked ("sales" → orders.total). */
  vocabulary?: { term: string; target: string }[];
  /** The number of rows lists get by default for this person; a different one was asked for. */
  defaultLimit?: number;
  now?: Date;
}

/** Asked-for row counts below this ("the top 3") say nothing about how long lists should be. */
const MIN_LEARNED_LIMIT = 5;

/** Counters that teach preferences: a number of rows and a chart kind asked for in words. */
function preferenceCounters(input: LearnInput): Record<string, number> {
  const { answer } = input;
  if (answer.error) return {};
  const counters: Record<string, number> = {};
  if (answer.chartRequest && answer.chartRequest !== 'table')
    counters[`${CHART_COUNTER}${answer.chartRequest}`] = 1;
  const limit = answer.plan?.limit;
  if (limit !== undefined && limit >= MIN_LEARNED_LIMIT && limit !== input.defaultLimit)
    counters[`${LIMIT_COUNTER}${limit}`] = 1;
  return counters;
}

/** The shape of a plan in a word, for learning which follow-ups people make. */
export function planShape(plan: QueryPlan): string {
  if (!plan.measures.length) return 'list';
  if (plan.dimensions.some((d) => d.grain)) return 'trend';
  if (plan.dimensions.length) return plan.limit && plan.orderBy ? 'ranking' : 'breakdown';
  return 'total';
}

export function learningOf(input: LearnInput, embedder: string): AnswerLearning {
  const { answer } = input;
  const success = !answer.error;
  const learnings: Omit<LearningInput, 'teamId'>[] = [];
  if (success && answer.plan) {
    learnings.push({
      type: 'successful_pattern',
      data: { plan_key: planKey(answer.plan), shape: planShape(answer.plan) },
    });
    if (answer.source === 'followup' && input.previousPlan) {
      learnings.push({
        type: 'followup_transition',
        data: { from: planShape(input.previousPlan), to: planShape(answer.plan) },
      });
    }
    for (const v of input.vocabulary ?? []) learnings.push({ type: 'term_mapping', data: v });
  }
  const hour = String((input.now ?? new Date()).getUTCHours()).padStart(2, '0');
  const usage: Record<string, number> = {
    questions: 1,
    [`hour:${hour}`]: 1,
    [`source:${answer.source ?? 'none'}`]: 1,
  };
  if (answer.plan) for (const t of planTables(answer.plan)) usage[`table:${t}`] = 1;
  Object.assign(usage, preferenceCounters(input));
  return {
    answerId: answer.id!,
    teamId: input.teamId,
    userId: input.userId,
    query: {
      sessionId: input.sessionId ?? null,
      thread: input.session ? { channelId: input.session.channelId, threadTs: input.session.threadTs } : null,
      question: answer.question,
      plan: answer.plan,
      sql: answer.sql,
      source: answer.source,
      success,
      errorKind: answer.error?.kind ?? null,
      rowCount: success ? answer.rowCount : null,
      timings: answer.timings,
      tokensUsed: answer.tokensUsed,
      askedAt: (input.now ?? new Date()).toISOString(),
    },
    // Only standalone questions that ran a plan become patterns: a follow-up's words ("now by
    // month") mean nothing outside its thread. A verified answer is not copied into a pattern,
    // which would outlive its being set aside.
    pattern:
      answer.plan && input.embedding && answer.source !== 'followup' && answer.source !== 'verified'
        ? {
            question: answer.question,
            embedding: input.embedding,
            embedder,
            plan: answer.plan,
            sqlTemplate: answer.sql,
            schemaFingerprint: input.fingerprint,
            success,
          }
        : undefined,
    learnings,
    usage,
  };
}

/** Saves the thread now; returns the durable learning's promise for callers that wait (tests). */
export async function learn(
  memory: MemoryServices,
  input: LearnInput,
  log: Logger,
): Promise<Promise<unknown>> {
  const { answer } = input;
  if (input.session) {
    await recordTurn(
      memory.kv,
      input.session,
      input.userId,
      {
        question: answer.question,
        answerId: answer.id,
        source: answer.source,
        sql: answer.sql,
        summary: answer.summary,
        success: !answer.error,
        errorKind: answer.error?.kind ?? null,
        ...(answer.error?.readings?.length ? { readings: answer.error.readings } : {}),
        at: (input.now ?? new Date()).toISOString(),
      },
      answer.plan ? sessionContextOf(answer.plan, answer.question) : undefined,
    ).catch((e: unknown) => log.warn({ err: String(e) }, 'session not saved'));
  }
  const learning = learningOf(input, memory.embedder.id);
  const teaches = teachesPreferences(learning.usage ?? {});
  return memory.learnQueue
    .submit(learning)
    .then(async (outcome) => {
      // The profile is cached; a preference this answer may have taught shows from the next one.
      if (teaches && outcome === 'applied') await forgetCachedProfile(memory.kv, input.teamId, input.userId);
      return outcome;
    })
    .catch((e: unknown) => log.error({ err: String(e) }, 'learning not queued'));
}
