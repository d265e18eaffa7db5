import { writeFile } from 'node:fs/promises';
import { handleUsual } from '../usual/usualCommands.ts';
import { CLI_TEAM, cliRuntime } from './context.ts';

// `quarry usual [words…]`: the /usual commands in a terminal (dashboard, pins, list), on the
// embedded demo or any --database-url. The dashboard image goes to --image FILE when asked.

export interface UsualCliOptions {
  databaseUrl?: string;
  user: string;
  image?: string;
}

export async function usualCommand(words: string[], opts: UsualCliOptions): Promise<number> {
  const runtime = await cliRuntime(opts);
  try {
    const memory = runtime.pipeline.memory!;
    const reply = await handleUsual(
      words.join(' '),
      { teamId: CLI_TEAM, userId: opts.user, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone },
      { services: { ...runtime.pipeline, memory } },
    );
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
