import type { AccessRules } from '../access/rules.ts';
import type { Db } from '../db/client.ts';
import { ConfigError } from '../errors.ts';
import type { Knowledge } from '../knowledge/knowledgeFile.ts';
import type { TeamKnowledge } from '../knowledge/teamKnowledge.ts';
import type { Logger } from '../log.ts';
import { applyFileDefinitions } from '../memory/knowledgeDefinitions.ts';
import type { MemoryServices } from '../memory/memoryServices.ts';
import { checkKnowledge } from './checkKnowledge.ts';
import { loadSchema, type SchemaCacheLayer } from './schema.ts';

// The knowledge file made ready for the pipeline, once at start: checked against the database
// first, so a problem stops Quarry with one sentence naming the file, the entry and the fix.

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
