import type { Db } from '../db/client.ts';
import type { Kv } from '../memory/kv.ts';
import { SESSION_TTL_SECONDS } from '../memory/sessions.ts';
import { threadWasAnswered } from '../memory/threadHistory.ts';

// Threads Quarry answered in: a later reply there is a follow-up even without a mention.
// The marker lives as long as the thread's session. Redis only caches it: the query history
// records every question's thread, so a marker Redis lost (restarted empty, failed over,
// evicted) or cannot give (down) is looked up there, and put back.

export interface ThreadRef {
  teamId: string;
  channel: string;
  threadTs: string;
}

const markerKey = (t: ThreadRef) => `thread:${t.teamId}:${t.channel}:${t.threadTs}`;

export async function markThread(kv: Kv, thread: ThreadRef): Promise<void> {
  await kv.set(markerKey(thread), '1', SESSION_TTL_SECONDS);
}

/** Throws only when neither Redis nor the memory database can tell. */
export async function isQuarryThread(kv: Kv, memoryDb: Db, thread: ThreadRef): Promise<boolean> {
  // Redis being down is an answer of "don't know", which the history settles.
  const marked = await kv.get(markerKey(thread)).then(
    (v) => v !== null,
    () => null,
  );
  if (marked) return true;
  const ref = { teamId: thread.teamId, channelId: thread.channel, threadTs: thread.threadTs };
  const answered = await threadWasAnswered(memoryDb, ref, SESSION_TTL_SECONDS);
  if (answered && marked === false) await markThread(kv, thread).catch(() => {});
  return answered;
}
