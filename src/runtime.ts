import { join } from 'node:path';
import type OpenAI from 'openai';
import { kvAdmission } from './access/admission.ts';
import { configuredAccessRules } from './access/configuredRules.ts';
import { type Config, hasModel } from './config.ts';
import type { Db } from './db/client.ts';
import { postgresDb } from './db/postgres.ts';
import { ConfigError, MemoryUnavailable, TargetUnavailable } from './errors.ts';
import type { Knowledge } from './knowledge/knowledgeFile.ts';
import { readKnowledge } from './knowledge/loadKnowledge.ts';
import { createLogger, type Logger } from './log.ts';
import { chooseEmbedder } from './memory/chooseEmbedder.ts';
import type { Kv } from './memory/kv.ts';
import { createLearnQueue, type LearnQueue } from './memory/learnQueue.ts';
import { memoryKv } from './memory/memoryKv.ts';
import { migrate } from './memory/migrate.ts';
import { retirePatternsOfSchema } from './memory/patterns.ts';
import { getCachedSchema, putCachedSchema } from './memory/schemaCache.ts';
import { MEMORY_SESSION_SETTINGS } from './memory/sessionSettings.ts';
import {
  behindBreaker,
  connectionBreaker,
  kvSchemaLayer,
  memorySchemaLayer,
  type PipelineServices,
  type SchemaCacheLayer,
  startKnowledge,
  timeoutBreaker,
} from './pipeline/index.ts';

// Builds every long-lived client once at start-up (docs/architecture.md#the-layering) and hands
// them out; nothing else reaches for a global. With nothing configured, both databases are embedded
// (PGlite) and the short-term store lives in the process. Clients of services that are not
// configured (PGlite, Redis, the model) are not even loaded: a one-shot `quarry ask` starts faster
// for it.

export interface Runtime {
  config: Config;
  log: Logger;
  target: Db;
  memoryDb: Db;
  kv: Kv;
  learnQueue: LearnQueue;
  pipeline: PipelineServices;
  /** An OpenAI-compatible client when a model endpoint is configured. */
  openai: OpenAI | null;
  /** The data team's knowledge file as read, when there is one. */
  knowledgeFile: Knowledge | null;
  embedded: boolean;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Overrides DATABASE_URL (`--database-url`). */
  databaseUrl?: string;
  /** Overrides MEMORY_DATABASE_URL. */
  memoryDatabaseUrl?: string;
  /** Prefixes every Redis key, so several deployments (or test files) can share one Redis. */
  kvPrefix?: string;
  log?: Logger;
  onProgress?: (message: string) => void;
  /** Leaves the knowledge file unchecked and unused (`quarry knowledge check` reports on it). */
  skipKnowledge?: boolean;
  /** A command that answers and exits (ask, chat, usual): embedded stores start small. */
  oneShot?: boolean;
}

function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'that URL';
  }
}

/** Opens a real PostgreSQL and proves it answers, with one sentence that says what to fix. */
export async function connectPostgres(
  url: string,
  role: 'DATABASE_URL' | 'MEMORY_DATABASE_URL',
  max = 10,
): Promise<Db> {
  if (!/^postgres(ql)?:\/\//.test(url) || !URL.canParse(url)) {
    throw new ConfigError(`${role} must be a PostgreSQL URL like postgres://user:pass@host:5432/dbname.`);
  }
  const db = postgresDb(url, {
    max,
    settings: role === 'MEMORY_DATABASE_URL' ? MEMORY_SESSION_SETTINGS : undefined,
  });
  try {
    await db.query('SELECT 1');
    return db;
  } catch (e) {
    await db.close().catch(() => {});
    const reason = e instanceof Error ? e.message : String(e);
    const Err = role === 'DATABASE_URL' ? TargetUnavailable : MemoryUnavailable;
    throw new Err(`Can't connect to the database at ${describeUrl(url)} (${reason}). Check ${role}.`, reason);
  }
}

async function connectRedis(url: string, prefix: string | undefined, log: Logger): Promise<Kv> {
  const { connectRedisKv } = await import('./memory/redisKv.ts');
  try {
    return await connectRedisKv(url, { prefix, log });
  } catch (e) {
    const reason = e instanceof MemoryUnavailable ? (e.detail ?? e.userMessage) : String(e);
    throw new MemoryUnavailable(
      `Can't reach Redis at ${describeUrl(url).replace(/\/$/, '')} (${reason}). Check REDIS_URL, or unset it to keep sessions in memory.`,
      reason,
    );
  }
}

const STORE_MAX_AGE_MS = 24 * 3600 * 1000;

/** The Postgres `schema_cache` table as the slowest, durable schema cache layer. When the
 *  stored fingerprint changes, patterns built on the old structure are retired. */
function storeSchemaLayer(memory: Db, log: Logger): SchemaCacheLayer {
  const scope = 'deployment';
  return {
    name: 'store',
    // Kept a day: the structure is checked by fingerprint, but sampled values go stale.
    get: async (label) => {
      const schema = await getCachedSchema(memory, scope, label);
      return schema && Date.now() - Date.parse(schema.discoveredAt) < STORE_MAX_AGE_MS ? schema : null;
    },
    async set(label, schema) {
      // Stored under the connection's label, the key `get` is asked with.
      const { previousFingerprint } = await putCachedSchema(memory, scope, { ...schema, database: label });
      if (previousFingerprint && previousFingerprint !== schema.fingerprint) {
        const retired = await retirePatternsOfSchema(memory, previousFingerprint);
        log.info({ retired }, 'schema changed: retired patterns built on the old structure');
      }
    },
  };
}

/** Only the embedded stores that are missing: someone who brought their own database never
 *  waits for the demo shop, nor gets it on disk. */
async function openEmbeddedStores(
  config: Config,
  missing: { target: boolean; memory: boolean },
  options: RuntimeOptions,
): Promise<{ target?: Db; memory?: Db; close: () => Promise<void> }> {
  const store = {
    dataDir: config.QUARRY_DATA_DIR,
    waitMs: config.QUARRY_EMBEDDED_WAIT_SECONDS * 1000,
    onProgress: options.onProgress,
    oneShot: options.oneShot,
  };
  if (missing.target && missing.memory) {
    const { openEmbedded } = await import('./embedded/embedded.ts');
    return openEmbedded(store);
  }
  if (missing.memory) {
    const { openEmbeddedMemory } = await import('./embedded/memoryStore.ts');
    const memory = await openEmbeddedMemory(store);
    return { memory: memory.db, close: memory.close };
  }
  const { openEmbeddedDemo } = await import('./embedded/demoStore.ts');
  const demo = await openEmbeddedDemo(store);
  return { target: demo.db, close: demo.close };
}

async function modelClient(config: Config): Promise<OpenAI> {
  const { default: OpenAIClient } = await import('openai');
  return new OpenAIClient({
    apiKey: config.OPENAI_API_KEY ?? 'not-needed',
    baseURL: config.OPENAI_BASE_URL,
    maxRetries: 2,
    timeout: 30_000,
  });
}

export async function openRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const log = options.log ?? createLogger(config.LOG_LEVEL);
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const c of closers.reverse()) await c().catch(() => {});
  };
  try {
    const targetUrl = options.databaseUrl ?? config.DATABASE_URL;
    const memoryUrl = options.memoryDatabaseUrl ?? config.MEMORY_DATABASE_URL;
    // The file first: a malformed entry should say so before any connection is made.
    const knowledgeFile = await readKnowledge(config);
    // Redis first: a wrong REDIS_URL should say so before any database work starts.
    const kv = config.REDIS_URL ? await connectRedis(config.REDIS_URL, options.kvPrefix, log) : memoryKv();
    closers.push(() => kv.close());
    let target: Db | undefined;
    let memoryDb: Db | undefined;
    if (targetUrl) {
      target = await connectPostgres(targetUrl, 'DATABASE_URL');
      closers.push(() => target!.close());
    }
    if (memoryUrl) {
      memoryDb = await connectPostgres(memoryUrl, 'MEMORY_DATABASE_URL');
      closers.push(() => memoryDb!.close());
    }
    if (!target || !memoryDb) {
      const embedded = await openEmbeddedStores(config, { target: !target, memory: !memoryDb }, options);
      closers.push(embedded.close);
      target ??= embedded.target!;
      memoryDb ??= embedded.memory!;
    }
    await migrate(memoryDb);
    const openai = hasModel(config) ? await modelClient(config) : null;
    const embedder = chooseEmbedder(config, openai ?? undefined);
    const learnQueue = createLearnQueue({
      db: memoryDb,
      kv,
      dataDir: join(config.QUARRY_DATA_DIR, 'queue'),
      log,
    });
    const stopDraining = learnQueue.startDraining();
    closers.push(async () => stopDraining());
    const breakerOptions = {
      failures: config.QUARRY_BREAKER_FAILURES,
      openMs: config.QUARRY_BREAKER_SECONDS * 1000,
    };
    const pipeline: PipelineServices = {
      target: behindBreaker(target, connectionBreaker(breakerOptions)),
      timeouts: timeoutBreaker(breakerOptions),
      schemaLayers: [memorySchemaLayer(), kvSchemaLayer(kv), storeSchemaLayer(memoryDb, log)],
      limits: {
        statementTimeoutMs: config.QUARRY_STATEMENT_TIMEOUT_MS,
        maxRows: config.QUARRY_MAX_ROWS,
        maxResultBytes: config.QUARRY_MAX_RESULT_BYTES,
      },
      log,
      memory: { db: memoryDb, kv, embedder, learnQueue },
      model: openai
        ? {
            client: openai,
            model: config.QUARRY_MODEL,
            timeoutMs: config.QUARRY_MODEL_TIMEOUT_MS,
            maxTokens: config.QUARRY_MODEL_MAX_TOKENS,
            dailyTokenBudget: config.QUARRY_DAILY_TOKEN_BUDGET,
            kv,
          }
        : undefined,
      access: await configuredAccessRules(
        config,
        { target: targetUrl, memory: memoryUrl },
        knowledgeFile?.hidden,
      ),
      admission: kvAdmission(kv, { maxPerUser: config.QUARRY_MAX_ANSWERS_PER_USER, log }),
    };
    if (knowledgeFile && !options.skipKnowledge)
      pipeline.knowledge = await startKnowledge(knowledgeFile, pipeline);
    return {
      config,
      log,
      target,
      memoryDb,
      kv,
      learnQueue,
      pipeline,
      openai,
      knowledgeFile,
      embedded: !targetUrl,
      close: closeAll,
    };
  } catch (e) {
    await closeAll();
    throw e;
  }
}
