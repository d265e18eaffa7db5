import { randomUUID } from 'node:crypto';
import type { AdmissionPass } from '../access/admission.ts';
import type { Answer } from '../domain/types.ts';
import { NotUnderstood } from '../errors.ts';
import { routeQuestion } from './route.ts';
import type { AskContext, PipelineServices } from './services.ts';
import { emptyAnswer, failed } from './stages.ts';

// answer(question, ctx) → Answer: the stages (docs/architecture.md#one-question-stage-by-stage)
// composed, each timed. Nothing here knows Slack; errors become an Answer with a user-facing
// message, never an exception. This file admits the question; route.ts answers it.

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
    return await routeQuestion(id, question, ctx, services);
  } finally {
    await pass?.leave();
  }
}
