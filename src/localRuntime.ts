import { loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { openRuntime, type Runtime } from './runtime.ts';

// What a process run on one machine shares, the terminal commands and the MCP server alike:
// validated config, a quiet logger (stderr stays clean for people unless LOG_LEVEL asks for more)
// and the runtime.

/** The one team a local process answers for (Slack brings its own team ids). */
export const LOCAL_TEAM = 'local';

export async function localRuntime(
  opts: { databaseUrl?: string; skipKnowledge?: boolean; oneShot?: boolean } = {},
): Promise<Runtime> {
  const config = loadConfig();
  const log = createLogger(process.env.LOG_LEVEL ?? 'error');
  return openRuntime(config, {
    databaseUrl: opts.databaseUrl,
    skipKnowledge: opts.skipKnowledge,
    oneShot: opts.oneShot,
    log,
    onProgress: (message) => process.stderr.write(`${message}\n`),
  });
}
