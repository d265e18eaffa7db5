import type { Kv } from '../memory/kv.ts';
import { SESSION_TTL_SECONDS } from '../memory/sessions.ts';

// Threads Quarry answered in: a later reply there is a follow-up even without a mention.
// The marker lives as long as the thread's session.

export interface ThreadRef {
  teamId: string;
  channel: string;
  threadTs: string;
}

const markerKey = (t: ThreadRef) => `thread:${t.teamId}:${t.channel}:${t.threadTs}`;

export async function markThread(kv: Kv, thread: ThreadRef): Promise<void> {
  await kv.set(markerKey(thread), '1', SESSION_TTL_SECONDS);
}

export async function isQuarryThread(kv: Kv, thread: ThreadRef): Promise<boolean> {
  return (await kv.get(markerKey(thread))) !== null;
}
