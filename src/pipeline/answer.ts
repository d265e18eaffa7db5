import { randomUUID } from 'node:crypto';
import type { AdmissionPass, AnswerAdmission } from '../access/admission.ts';
import { checkAccess } from '../access/checkAccess.ts';
import type { CircuitBreaker } from '../access/circuitBreaker.ts';
import { checkReadDependencies } from '../access/readDependencies.ts';
import { capResultBytes, sizeCapNote } from '../access/resultSize.ts';
import { type AccessRules, deniedRelationNames } from '../access/rules.ts';
import type { Db } from '../db/client.ts';
import { isQuarryError, NotUnderstood } from '../errors.ts';
import { withLabels } from '../knowledge/applyLabels.ts';
import { modelKnowledge, withFileDefinitions } from '../knowledge/fileDefinitions.ts';
import type { TeamKnowledge } from '../knowledge/teamKnowledge.ts';
import { answerVerified, findVerified } from '../knowledge/verifiedAnswer.ts';
import type { Logger } from '../log.ts';
import type { MemoryServices } from '../memory/memoryServices.ts';
import { DEFAULT_PREFERENCES } from '../memory/profiles.ts';
import type { SessionRef } from '../memory/sessions.ts';
import { askedBackTurn, resumeAskedBack } from './askedBack.ts';
import { compilePlan, rowLimit } from './compile.ts';
import { countPlanRows } from './countRows.ts';
import { executeReadOnly } from './execute.ts';
import { qualifyTables } from './guard/qualifyTables.ts';
import { guardSql } from './guard.ts';
import { applyInstruction, readInstruction } from './instructions.ts';
import { learn } from './learn.ts';
import { learnedLimitAssumption } from './learnedAssumptions.ts';
import type { ModelServices } from './llm/answerWithModel.ts';
import { withoutData } from './llm/repairFeedback.ts';
import { lexiconFor, type PlanInput, planQuestion } from './plan.ts';
import type { Definition } from './planner/hints.ts';
import { summarize } from './present.ts';
import { type Recalled, recall } from './recall.ts';
import { loadSchema, type SchemaCacheLayer } from './schema.ts';
import type { Answer, AnswerSource, QueryPlan, SchemaInfo } from './types.ts';

// answer(question, ctx) → Answer: the stages (docs/architecture.md#one-question-stage-by-stage)
// composed, each timed. Nothing here knows Slack; errors become an Answer with a user-facing
// message, never an exception.

export type Stage = 'schema' | 'recall' | 'plan' | 'guard' | 'execute' | 'count' | 'present' | 'learn';

export interface PipelineServices {
  target: Db;
  schemaLayers: SchemaCacheLayer[];
  limits: { statementTimeoutMs: number; maxRows: number; maxResultBytes?: number };
  log: Logger;
  /** Sessions, profiles, patterns and learning; absent, every question stands alone. */
  memory?: MemoryServices;
  /** An OpenAI-compatible model for questions the rules decline; absent, none is asked. */
  model?: ModelServices;
  /** Tables and columns never read (QUARRY_DENY, QUARRY_ALLOW_SCHEMAS); everything when absent. */
  access?: AccessRules;
  /** Pauses one person's reads after their own timeouts in a row; never when absent. */
  timeouts?: CircuitBreaker;
  /** Answers one person may have in flight; unlimited when absent. */
  admission?: AnswerAdmission;
  /** The data team's knowledge file: definitions, synonyms, verified questions, owners. */
  knowledge?: TeamKnowledge;
}

export interface AskContext {
  teamId: string;
  userId: string;
  /** The thread this question belongs to; follow-ups edit its last plan. */
  session?: SessionRef;
  /** Overrides the profile's preferred number of rows for lists. */
  defaultLimit?: number;
  timeZone?: string;
  locale?: string;
  definitions?: Definition[];
  now?: Date;
  /** Called as each stage starts, for "Working… (running query)" progress. */
  onProgress?: (stage: Stage) => void;
  /** The surface's id for this request (a Slack event id), carried by every log line of the
   *  answer; the answer's own id when absent. */
  requestId?: string;
  /** The question replies in a thread that already had answers: when the thread's short-term
   *  memory is gone (Redis flushed or expired), the answer says it stands on its own. */
  threadReply?: boolean;
}

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

/** The schema an unqualified table name resolves to: the first on the search path having it. */
function schemaOfTable(schema: SchemaInfo, name: string): string | undefined {
  const path = schema.searchPath.length > 0 ? schema.searchPath : ['public'];
  return path.find((s) => schema.tables.some((t) => t.schema === s && t.name === name));
}

/** Compiles, guards and runs a plan, filling the answer's SQL, columns and rows. */
export async function runPlan(
  services: PipelineServices,
  answer: Answer,
  ctx: AskContext,
  schema: SchemaInfo,
  plan: QueryPlan,
  source: AnswerSource,
): Promise<void> {
  const { maxRows, statementTimeoutMs } = services.limits;
  const limits = { defaultLimit: ctx.defaultLimit ?? DEFAULT_PREFERENCES.default_limit, maxRows };
  const compiled = await timed(answer, 'guard', ctx, async () => {
    const c = compilePlan(plan, schema, limits);
    const guarded = await guardSql(c.text, {
      maxRows,
      deniedRelations: services.access && deniedRelationNames(services.access),
      parameters: c.params.length,
    });
    await checkAccess(guarded.sql, services.access, schema);
    // Run with only pg_catalog on the search path (see docs/architecture.md#the-guard): tables
    // carry their schema.
    const qualified = qualifyTables(guarded.sql, (name) => schemaOfTable(schema, name));
    return { ...c, text: qualified.sql, tables: qualified.tables };
  });
  answer.plan = plan;
  answer.source = source;
  answer.sql = compiled.sql;
  const read = () =>
    executeReadOnly(services.target, compiled.text, compiled.params, {
      timeoutMs: statementTimeoutMs,
      maxRows,
      timeZone: ctx.timeZone,
      tablesQualified: true,
      maxBytes: services.limits.maxResultBytes,
      beforeRead: (s) => checkReadDependencies(s, compiled.tables, services.access),
    });
  const result = await timed(answer, 'execute', ctx, () =>
    services.timeouts ? services.timeouts.run(read, `${ctx.teamId}:${ctx.userId}`) : read(),
  );
  const maxBytes = services.limits.maxResultBytes ?? Number.POSITIVE_INFINITY;
  const sized = capResultBytes(result.rows, maxBytes);
  const bySize = sized.cut || result.cutBySize;
  if (bySize) answer.notes.push(sizeCapNote(sized.rows.length, maxBytes));
  answer.columns = result.columns;
  answer.rows = sized.rows;
  answer.rowCount = sized.rows.length;
  answer.truncated = result.truncated || sized.cut;
  if (answer.truncated) answer.truncatedBy = bySize ? 'size' : 'rows';
  const limit = plan.sql ? undefined : rowLimit(plan, limits);
  if (answer.truncated || (limit !== undefined && answer.rowCount >= limit)) {
    answer.totalRows = await timed(answer, 'count', ctx, () =>
      countPlanRows({
        target: services.target,
        schema,
        plan,
        maxRows,
        timeoutMs: statementTimeoutMs,
        access: services.access,
        timeZone: ctx.timeZone,
      }).catch((e: unknown) => {
        // The list is still right; its headline then says only that more may exist.
        services.log.warn({ kind: isQuarryError(e) ? e.kind : 'internal' }, 'rows not counted');
        return null;
      }),
    );
  }
}

const NOTE_THREAD_LOST =
  "I no longer have this thread's earlier questions (my short-term memory was reset), so I answered this one on its own.";

/** Longer questions are refused before any stage reads them (embedding, time phrases, model). */
export const MAX_QUESTION_CHARS = 2000;

/** answer(), within the per-person limits: refused at once when too long or when the person
 *  already has as many answers in flight as allowed. NUL characters are dropped: PostgreSQL
 *  text cannot hold them, so such a question could never be remembered. */
export async function answer(asked: string, ctx: AskContext, given: PipelineServices): Promise<Answer> {
  const id = randomUUID();
  const services = { ...given, log: given.log.child({ requestId: ctx.requestId ?? id }) };
  const question = asked.replaceAll('\u0000', '');
  const length = question.trim().length;
  if (length > MAX_QUESTION_CHARS) {
    const tooLong = new NotUnderstood(
      `That question is ${length} characters long; please keep it under ${MAX_QUESTION_CHARS}.`,
    );
    return failed({ ...emptyAnswer(question), id }, tooLong, services.log);
  }
  let pass: AdmissionPass | undefined;
  try {
    pass = await services.admission?.enter(ctx.teamId, ctx.userId);
  } catch (e) {
    return failed({ ...emptyAnswer(question), id }, e, services.log);
  }
  try {
    return await answerAdmitted(id, question, ctx, services);
  } finally {
    await pass?.leave();
  }
}

async function answerAdmitted(
  id: string,
  question: string,
  ctx: AskContext,
  services: PipelineServices,
): Promise<Answer> {
  const out = emptyAnswer(question);
  out.id = id;
  const memory = services.memory;
  let recalled: Recalled | null = null;
  let fingerprint = '';
  let defaultLimit: number | undefined;
  try {
    const schema = await schemaStage(services, out, ctx);
    fingerprint = schema.fingerprint;
    if (memory) {
      recalled = await timed(out, 'recall', ctx, () =>
        recall(
          memory,
          { teamId: ctx.teamId, userId: ctx.userId, question, session: ctx.session },
          services.log,
        ),
      );
      out.notes.push(...recalled.notes);
      if (ctx.threadReply && recalled.session?.conversation_history.length === 0)
        out.notes.push(NOTE_THREAD_LOST);
      out.sessionId = recalled.session?.session_id;
    }
    const instruction = memory ? readInstruction(question) : null;
    if (memory && instruction) {
      const lastAnswerId = recalled?.session?.conversation_history.findLast((t) => t.answerId)?.answerId;
      out.summary = await applyInstruction(memory, instruction, {
        teamId: ctx.teamId,
        userId: ctx.userId,
        lexicon: lexiconFor(schema),
        lastAnswerId,
      });
      return out;
    }
    const prefs = recalled?.preferences;
    defaultLimit = ctx.defaultLimit ?? prefs?.default_limit ?? DEFAULT_PREFERENCES.default_limit;
    out.preferredCharts = prefs?.preferred_charts;
    const timeZone = ctx.timeZone ?? prefs?.timezone;
    const run = (source: AnswerSource) => (plan: QueryPlan) =>
      runPlan(services, out, { ...ctx, defaultLimit, timeZone }, schema, plan, source);
    const knowledge = services.knowledge;
    const lastPlan = recalled?.session?.current_context.last_plan ?? null;
    const planInput: PlanInput = {
      question,
      schema,
      defaultLimit,
      maxRows: services.limits.maxRows,
      now: ctx.now,
      definitions: withFileDefinitions(knowledge, [
        ...(recalled?.definitions ?? []),
        ...(ctx.definitions ?? []),
      ]),
      lastPlan,
      patterns: recalled?.patterns,
      measures: knowledge?.measures,
      vocabulary: knowledge?.vocabulary,
    };
    // A reply to a question asked back stands for the reading it picks, or is read with the
    // question it answers; the answer is then about that question.
    const askedBack = askedBackTurn(recalled?.session);
    const resumed = askedBack
      ? resumeAskedBack(question, askedBack, (q, standalone) =>
          planQuestion({
            ...planInput,
            question: q,
            ...(standalone ? { lastPlan: null, patterns: [] } : {}),
          }),
        )
      : null;
    if (resumed) {
      planInput.question = out.question = resumed.question;
      if (resumed.askedAgain) throw resumed.askedAgain;
      if (resumed.note) out.notes.push(resumed.note);
    }
    const verifiedSources = { knowledge, memory, log: services.log };
    const planned = await timed(out, 'plan', ctx, async () => {
      if (resumed?.planned) return resumed.planned;
      // Questions the data team verified come first, answered with the team's SQL.
      const match = await findVerified(verifiedSources, {
        teamId: ctx.teamId,
        question: planInput.question,
        embedding: resumed ? null : (recalled?.embedding ?? null),
        lexicon: lexiconFor(schema, knowledge?.vocabulary),
        now: ctx.now,
      });
      if (match && (await answerVerified(match, out, run('verified'), verifiedSources)))
        return { kind: 'verified' as const };
      return planQuestion(planInput);
    }).catch((e: unknown) => {
      if (e instanceof NotUnderstood && services.model)
        return { kind: 'model' as const, model: services.model, declined: e };
      throw e;
    });
    if (planned.kind === 'explain') return explainLast(out, recalled);
    if (planned.kind === 'model') {
      // ---- The LLM planner (docs/architecture.md#the-model-planner): asked only when
      // follow-ups, memory and the rules declined; it runs (and repairs) its own plan, or
      // throws the reason there is none.
      // Loaded here, not at the top: without a model configured, neither it nor the model
      // client is ever needed, and a one-shot command starts faster.
      const { answerWithModel } = await import('./llm/answerWithModel.ts');
      // The thread as the model sees it: questions and SQL, never an answer's values.
      const thread = (recalled?.session?.conversation_history ?? []).map((t) => ({
        question: t.question,
        sql: t.success ? t.sql : null,
        askedBack: !t.success && t.errorKind === 'not_understood' ? t.summary : null,
      }));
      await answerWithModel(
        planned.model,
        {
          ...planInput,
          teamId: ctx.teamId,
          userId: ctx.userId,
          timeZone,
          thread,
          declined: planned.declined,
          ...modelKnowledge(knowledge, planInput.definitions),
          run: run('llm'),
        },
        out,
        services.log,
      );
      // ---- end of the LLM planner
    } else if (planned.kind !== 'verified') {
      const plan = planned.kind === 'chart' ? lastPlan : planned.plan;
      if (!plan)
        throw new NotUnderstood(
          'There is no earlier answer in this thread to change. Ask a full question first.',
        );
      if (planned.kind === 'chart') out.chartRequest = planned.chart;
      else {
        out.assumptions = planned.assumptions;
        out.chartRequest = planned.chart;
        if (planned.source === 'rules' && ctx.defaultLimit === undefined && prefs) {
          const learned = learnedLimitAssumption(question, plan, prefs.default_limit, ctx.now);
          if (learned) out.assumptions.push(learned);
        }
      }
      await runPlan(
        services,
        out,
        { ...ctx, defaultLimit, timeZone },
        schema,
        plan,
        planned.kind === 'chart' ? 'followup' : planned.source,
      );
    }
    await timed(out, 'present', ctx, () => {
      out.summary = summarize(out, { locale: ctx.locale, timeZone, now: ctx.now });
    });
  } catch (e) {
    failed(out, e, services.log);
  }
  if (memory) {
    await timed(out, 'learn', ctx, () =>
      learn(
        memory,
        {
          teamId: ctx.teamId,
          userId: ctx.userId,
          session: ctx.session,
          sessionId: out.sessionId,
          answer: out,
          // The embedding is of the words sent ("2"), not of the question they stand for.
          embedding: out.question === question ? (recalled?.embedding ?? null) : null,
          fingerprint,
          previousPlan: recalled?.session?.current_context.last_plan ?? null,
          defaultLimit,
          now: ctx.now,
        },
        services.log,
      ),
    );
  }
  return out;
}

/** "Why?" / "show the SQL": the thread's last answer explained, without running anything. */
function explainLast(out: Answer, recalled: Recalled | null): Answer {
  const last = [...(recalled?.session?.conversation_history ?? [])].reverse().find((t) => t.success && t.sql);
  if (!last) {
    out.summary = 'There is no earlier answer in this thread to explain yet.';
    return out;
  }
  out.sql = last.sql;
  out.source = 'followup';
  out.plan = recalled?.session?.current_context.last_plan ?? null;
  out.summary = `That answer ("${last.question}") came from this SQL, run read-only on your database.`;
  return out;
}
