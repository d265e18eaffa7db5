import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { answerAndExit } from './cli/answerAndExit.ts';
import { userMessageOf } from './errors.ts';

// The command-line contract (docs/architecture.md#the-command-line-contract). Each command loads
// only what it needs, so `--help` and small commands start fast.

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number greater than 0.');
  return n;
}

function format<T extends string>(allowed: T[]) {
  return (value: string): T => {
    if (!allowed.includes(value as T))
      throw new InvalidArgumentError(`expected one of: ${allowed.join(', ')}.`);
    return value as T;
  };
}

/** Runs a command, turning any failure into one clear sentence and exit code 1. */
function run<A extends unknown[]>(fn: (...args: A) => Promise<number | undefined>) {
  return async (...args: A) => {
    try {
      const code = await fn(...args);
      process.exitCode = code ?? 0;
    } catch (e) {
      process.stderr.write(`quarry: ${userMessageOf(e)}\n`);
      if (process.env.QUARRY_DEBUG) process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 1;
    }
  };
}

// A reader that stops early (`quarry ask … | head -1`) is no failure, as for the tools people
// know: the rest of the output is dropped, and the command finishes and closes its stores.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
});

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const program = new Command()
  .name('quarry')
  .description('Answers plain-language questions about your PostgreSQL database, in Slack or here.')
  .version(version, '-V, --version', 'print the version')
  .showHelpAfterError('(run with --help for usage)')
  .addHelpText(
    'after',
    `
Exit codes:
  0  answered
  2  not understood (ask, chat: the question had no answer Quarry could give)
  1  any other failure (one sentence on stderr says what to fix)`,
  )
  .action(run(async () => (await import('./cli/start.ts')).startDefault()));

program
  .command('ask')
  .description('answer one question')
  .argument('<question>', 'the question, in quotes')
  .option('--database-url <url>', 'the database to ask (default: DATABASE_URL, else the embedded demo)')
  .option('--user <id>', 'whose memory and preferences to use', 'cli')
  .option('--format <format>', 'text or json', format(['text', 'json']), 'text')
  .option('--chart <file>', 'write the chart as a PNG to this file')
  .action(
    run(async (question: string, opts) => {
      answerAndExit();
      return (await import('./cli/ask.ts')).askCommand(question, opts);
    }),
  );

program
  .command('chat')
  .description('a conversation in the terminal; piped input is one question a line, one thread')
  .option('--database-url <url>', 'the database to ask (default: DATABASE_URL, else the embedded demo)')
  .option('--user <id>', 'whose memory and preferences to use', 'cli')
  .option('--format <format>', 'text or jsonl', format(['text', 'jsonl']), 'text')
  .action(
    run(async (opts) => {
      answerAndExit();
      return (await import('./cli/chat.ts')).chatCommand(opts);
    }),
  );

program
  .command('usual')
  .description('your usual dashboard and its commands, as /usual in Slack (list, pin <question>, unpin <n>)')
  .argument('[words...]', 'a topic ("sales") or a command; nothing for the whole dashboard')
  .option('--database-url <url>', 'the database to ask (default: DATABASE_URL, else the embedded demo)')
  .option('--user <id>', 'whose history and pins to use', 'cli')
  .option('--image <file>', 'write the dashboard image as a PNG to this file')
  .action(
    run(async (words: string[], opts) => {
      answerAndExit();
      return (await import('./cli/usual.ts')).usualCommand(words, opts);
    }),
  );

program
  .command('mcp')
  .description(
    'serve Quarry to MCP clients (agents, editors) over stdio or HTTP, with the same guard and rules',
  )
  .option('--database-url <url>', 'the database to ask (default: DATABASE_URL, else the embedded demo)')
  .option('--user <id>', 'whose memory and preferences to use', 'mcp')
  .option('--http', 'serve Streamable HTTP on /mcp instead of stdio (needs QUARRY_MCP_TOKEN off 127.0.0.1)')
  .option('--port <n>', 'the HTTP port', positiveNumber, 3100)
  .option('--host <address>', 'the HTTP address to bind', '127.0.0.1')
  .action(
    run(async (opts) => {
      if (opts.http) {
        return (await import('./mcp/http.ts')).mcpHttpCommand(opts);
      }
      return (await import('./mcp/stdio.ts')).mcpStdioCommand(opts);
    }),
  );

const demo = program.command('demo').description('the demo shop database');
demo
  .command('load')
  .description('create and fill the demo shop in a PostgreSQL database (idempotent)')
  .requiredOption('--database-url <url>', 'where to load it, e.g. postgres://localhost/shop')
  .option('--scale <n>', 'size: 1 ≈ 50,000 orders', positiveNumber, 1)
  .action(run(async (opts) => (await import('./cli/demoLoad.ts')).demoLoadCommand(opts)));

const knowledge = program
  .command('knowledge')
  .description("the data team's knowledge file (QUARRY_KNOWLEDGE)");
knowledge
  .command('check')
  .description('check every entry against the database: names exist, verified queries pass the guard and run')
  .option(
    '--database-url <url>',
    'the database to check against (default: DATABASE_URL, else the embedded demo)',
  )
  .action(run(async (opts) => (await import('./cli/knowledge.ts')).knowledgeCheckCommand(opts)));
knowledge
  .command('export')
  .description('print definitions made in chat and answers verified in Slack, as YAML to merge into the file')
  .action(run(async () => (await import('./cli/knowledge.ts')).knowledgeExportCommand()));

program
  .command('migrate')
  .description("create or update Quarry's own tables in MEMORY_DATABASE_URL")
  .option('--database-url <url>', 'the memory database (default: MEMORY_DATABASE_URL)')
  .action(run(async (opts) => (await import('./cli/migrate.ts')).migrateCommand(opts)));

program
  .command('serve')
  .description('the Slack app: HTTP events on PORT at /slack/events, or Socket Mode with SLACK_APP_TOKEN')
  .action(run(async () => (await import('./cli/serve.ts')).serveCommand()));

program
  .command('doctor')
  .description('check the target (can it write?), memory database, Redis, Slack and model settings')
  .option('--database-url <url>', 'the target database to check (default: DATABASE_URL)')
  .action(run(async (opts) => (await import('./cli/doctor.ts')).doctorCommand(opts)));

program
  .command('eval')
  .description(
    'measure execution accuracy on JSONL files of {"question","gold_sql"|"gold_sql_variants"} lines',
  )
  .argument('<files...>', 'questions with gold SQL')
  .option(
    '--database-url <url>',
    "the database to ask; {db} becomes each file's db name (default: DATABASE_URL, else the embedded demo)",
  )
  .option('--format <format>', 'text or json', format(['text', 'json']), 'text')
  .option('--verbose', 'print each question with its result')
  .option('--report <file>', 'write one JSON line per question: file, question, outcome, sql, reason')
  .action(run(async (files: string[], opts) => (await import('./cli/eval.ts')).evalCommand(files, opts)));

await program.parseAsync(process.argv);
