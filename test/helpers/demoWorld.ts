// What the files that ask the demo shop questions through the whole pipeline share: the shop
// and Quarry's memory in databases of their own, a Redis prefix, and answer() wired to them
// with a quiet log. Each file that calls this gets its own, set up before its tests and removed
// after them.

import { afterAll, beforeAll } from 'vitest';
import type { Answer } from '../../src/domain/types.ts';
import { createLogger } from '../../src/log.ts';
import { answer } from '../../src/pipeline/index.ts';
import { type DemoPipeline, type MemoryPipelineServices, openDemoPipeline } from './demoPipeline.ts';
import { createTestRedis, type TestRedis } from './services.ts';

export interface DemoWorld {
  demo: DemoPipeline;
  redis: TestRedis;
  services: MemoryPipelineServices;
  /** A question from `userId`, in the thread `thread` when given (else outside any thread). */
  ask(question: string, who: { userId: string; thread?: string }): Promise<Answer>;
}

/** Registers the file's hooks; the fields are set once `beforeAll` has run. */
export function useDemoWorld(teamId: string): DemoWorld {
  const world = {
    ask: (question, { userId, thread }) =>
      answer(
        question,
        {
          teamId,
          userId,
          ...(thread ? { session: { teamId, channelId: 'C1', threadTs: thread } } : {}),
        },
        world.services,
      ),
  } as DemoWorld;
  beforeAll(async () => {
    [world.demo, world.redis] = await Promise.all([openDemoPipeline(), createTestRedis()]);
    world.services = world.demo.services({
      kv: world.redis.kv,
      log: createLogger('silent'),
      statementTimeoutMs: 15_000,
    });
  }, 120_000);
  afterAll(async () => {
    await world.demo?.close();
    await world.redis?.cleanup();
  });
  return world;
}
