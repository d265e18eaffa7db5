import { loadConfig } from '../config.ts';
import { doctorExitCode, formatChecklist } from '../doctor/report.ts';
import { runDoctor } from '../doctor/runDoctor.ts';
import { ConfigError } from '../errors.ts';

// `quarry doctor`: a checklist of the deployment with fixes; exit 1 when the target can write
// or something Quarry needs is broken.
export async function doctorCommand(opts: { databaseUrl?: string }): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stdout.write(
      formatChecklist([{ area: 'Configuration', status: 'fail', title: 'invalid', fix: e.userMessage }]),
    );
    return 1;
  }
  const results = await runDoctor(config, opts);
  process.stdout.write(formatChecklist(results));
  return doctorExitCode(results);
}
