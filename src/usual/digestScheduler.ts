import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { type DigestSchedule, listActiveDigestSchedules } from '../memory/digestSchedules.ts';
import { outageLog, watchRedis } from '../memory/redisOutages.ts';
import { type DigestDeps, type DigestOutcome, runDigest } from './digestRun.ts';
import { type CronSchedule, cronOf, specOf } from './scheduleSpec.ts';

// Fires digests on time across replicas (docs/architecture.md#usual-and-digests). Postgres holds
// the schedules; BullMQ job schedulers in Redis hold the timing, so a restart loses nothing, and
// each slot becomes one job that one worker takes. claimDigestRun in Postgres is the second guard:
// a job run twice (a stalled worker's job retried elsewhere) still posts once.

export interface DigestSchedulerOptions extends DigestDeps {
  redisUrl: string;
  /** BullMQ queue name; replicas that share it share the digests. */
  queueName?: string;
  /** Redis key prefix of the queue. */
  prefix?: string;
  /** Digests one replica builds at once. */
  concurrency?: number;
  /** A schedule's repeat rule: its cadence as cron by default. */
  repeatOf?: (schedule: DigestSchedule) => CronSchedule;
  /** How long a replica holds a running digest without renewing it before others take it
   *  over (BullMQ's lock; the job of a replica that died runs again after it). */
  lockDurationMs?: number;
}

export interface DigestJobData {
  teamId: string;
  scheduleId: number;
}

export interface SyncReport {
  armed: number;
  kept: number;
  removed: number;
}

export interface DigestScheduler {
  /** Starts (or updates) a schedule's timer. */
  arm(schedule: DigestSchedule): Promise<void>;
  /** Stops a schedule's timer; its slots already claimed stay claimed. */
  disarm(scheduleId: number): Promise<void>;
  /** Makes Redis match Postgres: arms every active schedule, removes timers of the others. */
  sync(): Promise<SyncReport>;
  /** Called after each run with what happened (metrics, tests). */
  onRun(listener: (run: DigestJobData & { slot: string; outcome: DigestOutcome }) => void): void;
  /** Stops taking jobs, after the ones running finish. Timers stay in Redis for other replicas. */
  close(): Promise<void>;
}

const JOB_NAME = 'digest';
const DEFAULT_QUEUE = 'quarry-digests';

export function schedulerIdOf(scheduleId: number): string {
  return `digest:${scheduleId}`;
}

function scheduleIdOf(schedulerId: string): number | null {
  const m = /^digest:(\d+)$/.exec(schedulerId);
  return m ? Number(m[1]) : null;
}

const defaultRepeat = (s: DigestSchedule): CronSchedule => cronOf(specOf(s), s.timezone);

export async function startDigestScheduler(options: DigestSchedulerOptions): Promise<DigestScheduler> {
  const queueName = options.queueName ?? DEFAULT_QUEUE;
  const prefix = options.prefix ?? 'bull';
  const repeatOf = options.repeatOf ?? defaultRepeat;
  const db = options.services.memory.db;
  // BullMQ's blocking connections must retry forever rather than fail a command.
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  // The connection, the queue and the worker each report every failed reconnect: one outage
  // log for the three says it once.
  const outages = outageLog(options.log, 'digest queue');
  watchRedis(connection, outages);
  const queue = new Queue<DigestJobData>(queueName, { connection, prefix });
  queue.on('error', (e) => outages.error(e));
  const listeners: ((run: DigestJobData & { slot: string; outcome: DigestOutcome }) => void)[] = [];

  async function arm(schedule: DigestSchedule): Promise<void> {
    const repeat = repeatOf(schedule);
    await queue.upsertJobScheduler(
      schedulerIdOf(schedule.id),
      { pattern: repeat.pattern, tz: repeat.tz, ...(repeat.endDate ? { endDate: repeat.endDate } : {}) },
      {
        name: JOB_NAME,
        data: { teamId: schedule.teamId, scheduleId: schedule.id },
        opts: {
          attempts: 3,
          backoff: { type: 'exponential', delay: 5000 },
          removeOnComplete: { count: 1000 },
          removeOnFail: { count: 1000 },
        },
      },
    );
  }

  async function disarm(scheduleId: number): Promise<void> {
    await queue.removeJobScheduler(schedulerIdOf(scheduleId));
  }

  async function runJob(job: Job<DigestJobData>): Promise<DigestOutcome> {
    // A job scheduler's job carries the time it was due; a late or retried run keeps its slot.
    const slot = new Date(job.opts.prevMillis ?? job.timestamp);
    // The job and its attempt claim the slot: a later attempt of this job (its replica died
    // mid-run) may take the slot over; nothing else may.
    const claimant = {
      job: job.id ?? `${job.data.scheduleId}:${slot.toISOString()}`,
      attempt: job.attemptsStarted,
    };
    const outcome = await runDigest(options, { ...job.data, slot, claimant });
    if (outcome === 'inactive' || outcome === 'paused' || outcome === 'finished')
      await disarm(job.data.scheduleId);
    for (const l of listeners) l({ ...job.data, slot: slot.toISOString(), outcome });
    return outcome;
  }

  async function sync(): Promise<SyncReport> {
    const active = await listActiveDigestSchedules(db);
    const wanted = new Set(active.map((s) => schedulerIdOf(s.id)));
    const existing = await queue.getJobSchedulers(0, -1);
    const byId = new Map(existing.map((s) => [s.key, s]));
    const report: SyncReport = { armed: 0, kept: 0, removed: 0 };
    for (const schedule of active) {
      const current = byId.get(schedulerIdOf(schedule.id));
      const repeat = repeatOf(schedule);
      // An unchanged timer is left alone: re-upserting would replace a slot that fell due while
      // every replica was down, and that digest would be lost.
      if (current && current.pattern === repeat.pattern && (current.tz ?? undefined) === repeat.tz) {
        report.kept++;
        continue;
      }
      await arm(schedule);
      report.armed++;
    }
    for (const s of existing) {
      if (scheduleIdOf(s.key) !== null && !wanted.has(s.key)) {
        await queue.removeJobScheduler(s.key);
        report.removed++;
      }
    }
    return report;
  }

  const worker = new Worker<DigestJobData, DigestOutcome>(queueName, runJob, {
    connection,
    prefix,
    concurrency: options.concurrency ?? 4,
    ...(options.lockDurationMs
      ? { lockDuration: options.lockDurationMs, stalledInterval: options.lockDurationMs }
      : {}),
  });
  worker.on('failed', (job, e) =>
    options.log.warn(
      { err: e, scheduleId: job?.data.scheduleId, attempts: job?.attemptsMade },
      'digest run failed',
    ),
  );
  worker.on('error', (e) => outages.error(e));
  try {
    await sync();
  } catch (e) {
    await worker.close();
    await queue.close();
    connection.disconnect();
    throw e;
  }

  return {
    arm,
    disarm,
    sync,
    onRun: (listener) => listeners.push(listener),
    async close() {
      await worker.close();
      await queue.close();
      connection.disconnect();
    },
  };
}
