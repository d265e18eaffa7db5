import { readCases, reportText, runEval } from '../eval/runEval.ts';
import { CLI_TEAM, cliRuntime } from './context.ts';

export async function evalCommand(
  file: string,
  opts: { databaseUrl?: string; format: 'text' | 'json'; verbose?: boolean },
): Promise<number> {
  const cases = await readCases(file);
  const runtime = await cliRuntime(opts);
  try {
    // A user of its own each run, so one run's memory never answers the next run's questions.
    const report = await runEval(cases, runtime.pipeline, { teamId: CLI_TEAM, userId: `eval-${Date.now()}` });
    process.stdout.write(
      opts.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : reportText(report, opts.verbose),
    );
    return 0;
  } finally {
    await runtime.close();
  }
}
