import type { AnswerAdmission } from '../access/admission.ts';
import type { AccessRules } from '../access/rules.ts';
import type { Db } from '../db/client.ts';
import type { TeamKnowledge } from '../knowledge/teamKnowledge.ts';
import type { Definition } from '../language/hints.ts';
import type { Logger } from '../log.ts';
import type { MemoryServices } from '../memory/memoryServices.ts';
import type { SessionRef } from '../memory/sessions.ts';
import type { CircuitBreaker } from './execute/circuitBreaker.ts';
import type { ModelServices } from './llm/answerWithModel.ts';
import type { SchemaCacheLayer } from './schema/cacheLayers.ts';

// What a question is answered with (the clients, built once by the runtime) and what it is
// asked in (who, which thread, which clock); the stages take both and keep no state of their own.

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
