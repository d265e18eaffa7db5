import type { Db } from '../db/client.ts';
import type { Embedder } from './embed.ts';
import type { Kv } from './kv.ts';
import type { LearnQueue } from './learnQueue.ts';

/** Quarry's memory as a question's stages are handed it: the memory database, the short-term
 *  store, the embedder and the queue that learns after each answer. */
export interface MemoryServices {
  db: Db;
  kv: Kv;
  embedder: Embedder;
  learnQueue: LearnQueue;
}
