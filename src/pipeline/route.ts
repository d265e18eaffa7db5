import type { Answer, AnswerSource, QueryPlan } from '../domain/types.ts';
import { NotUnderstood } from '../errors.ts';
import { modelKnowledge, withFileDefinitions } from '../knowledge/fileDefinitions.ts';
import { DEFAULT_PREFERENCES } from '../memory/profiles.ts';
import { askedBackTurn, resumeAskedBack } from './askedBack.ts';
import { applyInstruction, readInstruction } from './instructions.ts';
import { learn } from './learn.ts';
import { learnedLimitAssumption } from './learnedAssumptions.ts';
import { lexiconFor, type PlanInput, planQuestion } from './plan.ts';
import { summarize } from './present.ts';
import { type Recalled, recall } from './recall.ts';
import { runPlan } from './runPlan.ts';
import type { AskContext, PipelineServices } from './services.ts';
import { emptyAnswer, failed, schemaStage, timed } from './stages.ts';
import { answerVerified, findVerified } from './verifiedAnswer.ts';

// The router (docs/architecture.md#one-question-stage-by-stage): which way a question is
// answered, decided in order, each way handing its plan to the runner (runPlan.ts).

const NOTE_THREAD_LOST =
  "I no longer have this thread's earlier questions (my short-term memory was reset), so I answered this one on its own.";

/** Answers a question already admitted and within length: recall, then the first route that
 *  takes it — an instruction, "why?", a reply to a question asked back, a verified question,
 *  a follow-up, a remembered pattern or the rules (planQuestion), else the model — run, worded
 *  and learnt from. */
export async function routeQuestion(
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
        // From the rules or from memory alike, a learned list length the question did not ask
        // for is said.
        if (
          (planned.source === 'rules' || planned.source === 'memory') &&
          ctx.defaultLimit === undefined &&
          prefs
        ) {
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
