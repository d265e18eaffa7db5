import type { TeamWord } from '../domain/schemaReading.ts';
import type { TableKey } from '../domain/types.ts';
import type { Definition } from '../language/hints.ts';
import type { DefinedMeasure } from './definedMeasure.ts';

// The knowledge file as the pipeline uses it, built once at start after the file was checked
// against the database (src/pipeline/startKnowledge.ts).

export interface FileVerified {
  question: string;
  sql: string;
  /** The question's embedding by the memory's embedder; null without memory. */
  embedding: number[] | null;
  /** Why it was set aside after failing; never used again in this process. */
  setAside?: string;
}

export interface TeamKnowledge {
  file: string;
  /** Slack users who may verify answers. */
  owners: string[];
  /** Definitions without SQL: the planner reads them like a chat definition. */
  definitions: Definition[];
  /** Definitions with SQL: that exact measure wherever the word appears. */
  measures: DefinedMeasure[];
  /** Every term the file defines; these win over chat definitions of the same word. */
  terms: Set<string>;
  /** Synonyms as words of the offline planner's lexicon. */
  vocabulary: TeamWord[];
  labels: Record<TableKey, string>;
  verified: FileVerified[];
}
