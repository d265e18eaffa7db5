import OpenAI from 'openai';
import { QuarryError } from '../../errors.ts';

// What can go wrong with the model, as typed errors. Neither reaches the person as the answer:
// the pipeline falls back to the rules' own reply and adds the user message as a note.

/** The model could not be asked: outage, timeout, rate limit, or the day's token budget.
 *  Its message is the note shown beside the rules' reply. */
export class ModelUnavailable extends QuarryError {
  readonly kind = 'model_unavailable';
}

/** The model answered, but not with anything usable (bad JSON, unknown columns…). `feedback`
 *  is what it is told on the next round. */
export class ModelReplyInvalid extends QuarryError {
  readonly kind = 'model_reply_invalid';
  constructor(
    readonly feedback: string,
    detail?: string,
  ) {
    super("The model's answer could not be used.", detail ?? feedback);
  }
}

/** The note shown with the rules' own reply when the model could not help. */
export function unavailableNote(reason: string): string {
  return `The model is unavailable; ${reason}, so only the built-in planner was used.`;
}

function reasonOf(e: unknown): string {
  if (e instanceof OpenAI.APIConnectionTimeoutError || e instanceof OpenAI.APIUserAbortError)
    return 'it did not answer in time';
  if (e instanceof OpenAI.RateLimitError) return 'it is rate-limited right now';
  if (e instanceof OpenAI.AuthenticationError || e instanceof OpenAI.PermissionDeniedError)
    return 'the API key was refused';
  if (e instanceof OpenAI.NotFoundError) return 'the model was not found (check QUARRY_MODEL)';
  if (e instanceof OpenAI.APIConnectionError) return 'it could not be reached';
  if (e instanceof OpenAI.InternalServerError) return 'its server had an error';
  return 'it failed to answer';
}

/** Any failure of the client → ModelUnavailable whose message says why in plain words. */
export function toModelUnavailable(e: unknown): ModelUnavailable {
  if (e instanceof ModelUnavailable) return e;
  return new ModelUnavailable(unavailableNote(reasonOf(e)), e instanceof Error ? e.message : String(e));
}
