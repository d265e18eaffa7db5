// One Quarry digest replica in a process of its own, for tests that kill it mid-run: the
// digest scheduler over the given databases, Redis queue and Slack Web API, firing every
// schedule on the given cron pattern. Started with its settings as JSON in argv[2]; prints
// "ready" once it takes jobs, then one JSON line per run.

import { postgresDb } from '../../src/db/postgres.ts';
import { createLogger } from '../../src/log.ts';
import { createLearnQueue } from '../../src/memory/learnQueue.ts';
import { localEmbedder } from '../../src/memory/localEmbedder.ts';
import { memoryKv } from '../../src/memory/memoryKv.ts';
import { MEMORY_SESSION_SETTINGS } from '../../src/memory/sessionSettings.ts';
import { memorySchemaLayer } from '../../src/pipeline/schema/cacheLayers.ts';
import { createSlackDigestPoster } from '../../src/usual/digestPoster.ts';
import { startDigestScheduler } from '../../src/usual/digestScheduler.ts';

export interface ReplicaSettings {
  targetUrl: string;
  memoryUrl: string;
  redisUrl: string;
  prefix: string;
  queueName: string;
  slackApiUrl: string;
  pattern: string;
  lockDurationMs: number;
  dataDir: string;
}

const settings = JSON.parse(process.argv[2]!) as ReplicaSettings;
const log = createLogger('silent');
const kv = memoryKv();
const memory = postgresDb(settings.memoryUrl, { settings: MEMORY_SESSION_SETTINGS });
const scheduler = await startDigestScheduler({
  services: {
    target: postgresDb(settings.targetUrl),
    schemaLayers: [memorySchemaLayer()],
    limits: { statementTimeoutMs: 15_000, maxRows: 1000 },
    log,
    memory: {
      db: memory,
      kv,
      embedder: localEmbedder(),
      learnQueue: createLearnQueue({ db: memory, kv, dataDir: settings.dataDir, log }),
    },
  },
  poster: createSlackDigestPoster({ token: 'xoxb-replica', apiUrl: settings.slackApiUrl }),
  log,
  redisUrl: settings.redisUrl,
  prefix: settings.prefix,
  queueName: settings.queueName,
  repeatOf: () => ({ pattern: settings.pattern, tz: 'UTC' }),
  lockDurationMs: settings.lockDurationMs,
});
scheduler.onRun((run) => process.stdout.write(`${JSON.stringify(run)}\n`));
process.stdout.write('ready\n');
