import type { QueryPlan, SchemaInfo } from '../../domain/types.ts';
import type { Definition } from '../../language/hints.ts';
import type { SchemaLexicon } from './schemaLexicon.ts';

// What the offline planner is given and what it returns; the readers between live in readers/.

export interface OfflineContext {
  schema: SchemaInfo;
  /** Reuse across questions on the same schema; built on demand otherwise. */
  lexicon?: SchemaLexicon;
  now?: Date;
  defaultLimit: number;
  /** Team definitions ("revenue means completed orders only"). */
  definitions?: Definition[];
}

export interface PlanDraft {
  plan: QueryPlan;
  /** 0–1: how much of the question was understood. */
  confidence: number;
  understood: string[];
  assumptions: string[];
}

/** Below this the planner asks back instead of answering. */
export const CONFIDENCE_THRESHOLD = 0.6;
