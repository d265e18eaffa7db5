import type { AccessRules } from '../access/rules.ts';
import type { Db } from '../db/client.ts';
import type { TableKey } from '../domain/types.ts';
import { ConfigError } from '../errors.ts';
import type { Definition } from '../language/hints.ts';
import type { Logger } from '../log.ts';
import { applyFileDefinitions } from '../memory/knowledgeDefinitions.ts';
import type { MemoryServices } from '../memory/memoryServices.ts';
import type { TeamWord } from '../pipeline/planner/schemaLexicon.ts';
import { loadSchema, type SchemaCacheLayer } from '../pipeline/schema.ts';
import { checkKnowledge } from './checkKnowledge.ts';
import type { DefinedMeasure } from './definedMeasure.ts';
import type { Knowledge } from './knowledgeFile.ts';

// The knowledge file as the pipeline uses it, built once at start after the file was checked
// against the database: a problem stops Quarry with one sentence naming the file, the entry
// and the fix.

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

export interface KnowledgeStart {
  target: Db;
  schemaLayers: SchemaCacheLayer[];
  access?: AccessRules;
  limits: { statementTimeoutMs: number; maxRows: number };
  memory?: MemoryServices;
  log: Logger;
}

export async function startKnowledge(k: Knowledge, env: KnowledgeStart): Promise<TeamKnowledge> {
  const { schema } = await loadSchema(env.target, env.schemaLayers, { access: env.access });
  const { findings, resolved } = await checkKnowledge(k, { ...env, schema }, { full: false });
  const bad = findings.find((f) => !f.ok);
  if (bad) throw new ConfigError(`${k.file}: ${bad.entry}: ${bad.result}; ${bad.fix}.`);
  const embeddings = env.memory
    ? await env.memory.embedder.embed(k.verified.map((v) => v.question))
    : k.verified.map(() => null);
  if (env.memory) {
    const retired = await applyFileDefinitions(env.memory.db, k.definitions);
    if (retired.length)
      env.log.info({ terms: retired }, 'knowledge file definitions changed: retired their patterns');
  }
  return {
    file: k.file,
    owners: k.owners,
    definitions: k.definitions
      .filter((d) => !d.sql)
      .map((d) => ({ term: d.term, meaning: d.means, source: 'team' as const })),
    measures: resolved.measures,
    terms: new Set(k.definitions.map((d) => d.term)),
    vocabulary: resolved.vocabulary,
    labels: resolved.labels,
    verified: k.verified.map((v, i) => ({ ...v, embedding: embeddings[i] ?? null })),
  };
}
