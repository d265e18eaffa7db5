import { writeFile } from 'node:fs/promises';
import { LOCAL_TEAM, localRuntime } from '../localRuntime.ts';
import type { Runtime } from '../runtime.ts';
import type { UsualCommand } from '../usual/usualCommand.ts';
import { handleUsual, type UsualReply } from '../usual/usualCommands.ts';

// `quarry usual [words…]`, and "show me the usual" in `quarry chat`: the /usual commands in a
// terminal (dashboard, pins, list), on the embedded demo or any --database-url. The dashboard
// image goes to --image FILE when asked. Digests need Slack, so scheduling says so here.

export interface UsualCliOptions {
  databaseUrl?: string;
  user: string;
  image?: string;
}

export function usualInTerminal(
  runtime: Runtime,
  command: string | UsualCommand,
  user: string,
): Promise<UsualReply> {
  return handleUsual(
    command,
    { teamId: LOCAL_TEAM, userId: user, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone },
    { services: { ...runtime.pipeline, memory: runtime.pipeline.memory! } },
  );
}

export async function usualCommand(words: string[], opts: UsualCliOptions): Promise<number> {
  const runtime = await localRuntime({ ...opts, oneShot: true });
  try {
    const reply = await usualInTerminal(runtime, words.join(' '), opts.user);
    process.stdout.write(`${reply.text}\n`);
    if (opts.image && reply.png) {
      await writeFile(opts.image, reply.png);
      process.stdout.write(`Dashboard image: ${opts.image}\n`);
    }
    return 0;
  } finally {
    await runtime.learnQueue.drain().catch(() => {});
    await runtime.close();
  }
}
