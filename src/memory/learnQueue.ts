import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Db } from '../db/client.ts';
import type { Logger } from '../log.ts';
import { type AnswerLearning, applyLearning } from './applyLearning.ts';
import { jsonlJournal } from './jsonlJournal.ts';
import type { Kv } from './kv.ts';
import { isConnectionError } from './memoryErrors.ts';

// Learning never delays an answer and is never lost
// (docs/architecture.md#learning-that-is-never-lost). A learning that cannot be written because the
// memory database is down waits in a durable queue — a Redis list when Redis is there, else (or
// when Redis is down too) a JSON-lines journal in the data directory — and drain() applies it
// later. Each learning carries its answer's uuid, so one applied twice (a drain that died between
// writing and dequeuing) is recognised and skipped.
// A learning the database rejects for another reason is set aside in a second journal and
// logged as an error: retrying would not help, and dropping it silently would hide a bug.

export interface LearnQueueOptions {
  db: Db;
  /** Used for the queue only when durable (Redis). */
  kv?: Kv;
  /** Holds `learn-queue.jsonl` and `learn-failed.jsonl`. */
  dataDir: string;
  log?: Logger;
  /** Kv key of the pending list. */
  listKey?: string;
}

export type SubmitOutcome = 'applied' | 'duplicate' | 'queued' | 'failed';

export interface DrainReport {
  applied: number;
  duplicates: number;
  failed: number;
  /** Learnings still waiting (the database is still unreachable). */
  remaining: number;
}

export interface LearnQueue {
  /** Writes the learning now, or queues it when the memory database is unreachable. */
  submit(learning: AnswerLearning): Promise<SubmitOutcome>;
  /** Applies queued learnings until the queue is empty or the database fails again. */
  drain(): Promise<DrainReport>;
  pending(): Promise<number>;
  /** Drains every `intervalMs` until the returned function is called. */
  startDraining(intervalMs?: number): () => void;
}

const LOCK_TTL_SECONDS = 60;

type Outcome = 'applied' | 'duplicate' | 'retry' | 'failed';

function tally(report: DrainReport, outcome: Exclude<Outcome, 'retry'>): void {
  if (outcome === 'applied') report.applied++;
  else if (outcome === 'duplicate') report.duplicates++;
  else report.failed++;
}

export function createLearnQueue(options: LearnQueueOptions): LearnQueue {
  const { db, log } = options;
  const kv = options.kv?.durable ? options.kv : undefined;
  const listKey = options.listKey ?? 'learn:pending';
  const lockKey = `${listKey}:drain-lock`;
  const journal = jsonlJournal(join(options.dataDir, 'learn-queue.jsonl'));
  const failedJournal = jsonlJournal(join(options.dataDir, 'learn-failed.jsonl'));
  let draining: Promise<DrainReport> | undefined;

  async function attempt(line: string): Promise<Outcome> {
    let learning: AnswerLearning;
    try {
      learning = JSON.parse(line) as AnswerLearning;
    } catch {
      await setAside(line, new Error('not valid JSON'));
      return 'failed';
    }
    try {
      return (await applyLearning(db, learning)) ? 'applied' : 'duplicate';
    } catch (e) {
      if (isConnectionError(e)) return 'retry';
      await setAside(line, e);
      return 'failed';
    }
  }

  async function setAside(line: string, e: unknown): Promise<void> {
    log?.error(
      { err: e, journal: failedJournal.path },
      'a learning was rejected by the memory database; set aside',
    );
    await failedJournal.append([line]);
  }

  async function enqueue(line: string): Promise<void> {
    if (kv) {
      try {
        await kv.listPush(listKey, line);
        return;
      } catch (e) {
        log?.warn({ err: e }, 'learning queue: Redis unavailable, writing to the journal');
      }
    }
    await journal.append([line]);
  }

  async function drainJournal(report: DrainReport): Promise<void> {
    const batch = await journal.take();
    const rest: string[] = [];
    for (const line of batch.lines) {
      const outcome = rest.length > 0 ? 'retry' : await attempt(line);
      if (outcome === 'retry') rest.push(line);
      else tally(report, outcome);
    }
    await batch.done(rest);
  }

  /** Head first, dequeued only once handled: a drain that dies re-reads its last item, which
   *  the idempotency key then skips. The lock keeps two replicas from dequeuing each other's. */
  async function drainList(q: Kv, report: DrainReport): Promise<void> {
    const owner = randomUUID();
    if (!(await q.setIfAbsent(lockKey, owner, LOCK_TTL_SECONDS))) return;
    try {
      for (let line = await q.listHead(listKey); line !== null; line = await q.listHead(listKey)) {
        const outcome = await attempt(line);
        if (outcome === 'retry') return;
        await q.listShift(listKey);
        tally(report, outcome);
        await q.expire(lockKey, LOCK_TTL_SECONDS);
      }
    } finally {
      await q.delIfEquals(lockKey, owner).catch(() => {});
    }
  }

  async function pending(): Promise<number> {
    const inList = kv ? await kv.listLength(listKey).catch(() => 0) : 0;
    return inList + (await journal.count());
  }

  async function drainOnce(): Promise<DrainReport> {
    const report: DrainReport = { applied: 0, duplicates: 0, failed: 0, remaining: 0 };
    await drainJournal(report);
    if (kv)
      await drainList(kv, report).catch((e) => log?.debug({ err: e }, 'learning queue: Redis unavailable'));
    report.remaining = await pending();
    if (report.applied + report.failed > 0) log?.info(report, 'learning queue drained');
    return report;
  }

  function drain(): Promise<DrainReport> {
    // One drain at a time in this process; callers during a drain share its report.
    draining ??= drainOnce().finally(() => {
      draining = undefined;
    });
    return draining;
  }

  return {
    async submit(learning) {
      const line = JSON.stringify({
        ...learning,
        // A replay must keep the time the question was asked, not the time it was applied.
        query: { ...learning.query, askedAt: learning.query.askedAt ?? new Date().toISOString() },
      });
      const outcome = await attempt(line);
      if (outcome !== 'retry') return outcome;
      await enqueue(line);
      return 'queued';
    },
    drain,
    pending,
    startDraining(intervalMs = 30_000) {
      const timer = setInterval(() => {
        drain().catch((e) => log?.warn({ err: e }, 'learning queue: drain failed'));
      }, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
