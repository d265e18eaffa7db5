// The demo shop and Quarry's memory, each in a database of its own on the shared server, for
// tests and benches that wire the pipeline by hand instead of opening a runtime: they choose
// the short-term store, the model and anything wrapped around the target.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../src/db/client.ts';
import { postgresDb } from '../../src/db/postgres.ts';
import { type DemoCounts, loadDemo } from '../../src/demo/load.ts';
import type { Logger } from '../../src/log.ts';
import type { Kv } from '../../src/memory/kv.ts';
import { createLearnQueue } from '../../src/memory/learnQueue.ts';
import { localEmbedder } from '../../src/memory/localEmbedder.ts';
import { migrate } from '../../src/memory/migrate.ts';
import { MEMORY_SESSION_SETTINGS } from '../../src/memory/sessionSettings.ts';
import type { PipelineServices } from '../../src/pipeline/index.ts';
import { memorySchemaLayer } from '../../src/pipeline/schema/cacheLayers.ts';
import { createTestDatabase } from './services.ts';

export type MemoryPipelineServices = PipelineServices & { memory: NonNullable<PipelineServices['memory']> };

export interface PipelineWiring {
  kv: Kv;
  log: Logger;
  statementTimeoutMs: number;
  /** What the pipeline reads through instead of the demo shop's pool (e.g. a wrapper of it). */
  target?: Db;
}

export interface DemoPipeline {
  /** The demo shop's pool. */
  target: Db;
  /** The migrated memory database's pool. */
  memory: Db;
  /** What loading the demo shop made. */
  loaded: DemoCounts;
  /** Connection strings of the two databases, for processes of their own. */
  urls: { target: string; memory: string };
  /** answer()'s services over these databases: the in-process schema cache only, the local
   *  embedder, and a learn queue journaling in a directory of this pipeline's own. */
  services(wiring: PipelineWiring): MemoryPipelineServices;
  close(): Promise<void>;
}

export async function openDemoPipeline(options: { scale?: number } = {}): Promise<DemoPipeline> {
  const [targetDb, memoryDb] = await Promise.all([
    createTestDatabase(),
    createTestDatabase({ vector: true }),
  ]);
  const target = postgresDb(targetDb.url);
  const memory = postgresDb(memoryDb.url, { settings: MEMORY_SESSION_SETTINGS });
  const dataDir = await mkdtemp(join(tmpdir(), 'quarry-pipeline-'));
  const close = async () => {
    await target.close();
    await memory.close();
    await Promise.all([targetDb.drop(), memoryDb.drop()]);
    await rm(dataDir, { recursive: true, force: true });
  };
  let loaded: DemoCounts;
  try {
    [loaded] = await Promise.all([loadDemo(target, { scale: options.scale ?? 0.05 }), migrate(memory)]);
  } catch (e) {
    await close();
    throw e;
  }
  return {
    target,
    memory,
    loaded,
    urls: { target: targetDb.url, memory: memoryDb.url },
    services: ({ kv, log, statementTimeoutMs, target: readThrough = target }) => ({
      target: readThrough,
      schemaLayers: [memorySchemaLayer()],
      limits: { statementTimeoutMs, maxRows: 1000 },
      log,
      memory: {
        db: memory,
        kv,
        embedder: localEmbedder(),
        learnQueue: createLearnQueue({ db: memory, kv, dataDir, log }),
      },
    }),
    close,
  };
}
