import { appendFile, writeFile } from 'node:fs/promises';
import { fileDbName, readCases } from '../eval/readCases.ts';
import {
  addTally,
  type EvalReport,
  emptyTally,
  reportText,
  runEval,
  type Tally,
  tallyRow,
} from '../eval/runEval.ts';
import { LOCAL_TEAM, localRuntime } from '../localRuntime.ts';

// `quarry eval <files…>`: each file is scored against its own database (`{db}` in the URL
// becomes the file's db name), then the files are summed.

const PROGRESS_EVERY = 5;

interface FileReport {
  file: string;
  db: string;
  report: EvalReport;
}

function summaryText(files: FileReport[], total: Tally): string {
  const lines = [
    '| file | questions | correct | wrong | declined | error | accuracy |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...files.map((f) => tallyRow(f.file, f.report.overall)),
    tallyRow('**total**', total),
  ];
  const offered = files.reduce((n, f) => n + f.report.askedBack.offered, 0);
  const right = files.reduce((n, f) => n + f.report.askedBack.right, 0);
  lines.push(
    '',
    `Asked back with readings: ${offered} of ${total.declined} declined; the right reading offered in ${right}.`,
  );
  return `${lines.join('\n')}\n`;
}

export async function evalCommand(
  files: string[],
  opts: { databaseUrl?: string; format: 'text' | 'json'; verbose?: boolean; report?: string },
): Promise<number> {
  if (opts.report) await writeFile(opts.report, '');
  const done: FileReport[] = [];
  const total = emptyTally();
  for (const file of files) {
    const cases = await readCases(file);
    const db = fileDbName(file, cases);
    const runtime = await localRuntime({ databaseUrl: opts.databaseUrl?.replaceAll('{db}', db) });
    let correct = 0;
    try {
      // A user of its own each run, so one run's memory never answers the next run's questions.
      const report = await runEval(
        cases,
        runtime.pipeline,
        { teamId: LOCAL_TEAM, userId: `eval-${Date.now()}` },
        (r, n) => {
          if (r.outcome === 'correct') correct++;
          if (n % PROGRESS_EVERY === 0 || n === cases.length)
            process.stderr.write(`${file}: ${n}/${cases.length} asked, ${correct} correct\n`);
        },
      );
      if (opts.report) {
        const lines = report.results.map((r) =>
          JSON.stringify({
            file,
            question: r.question,
            outcome: r.outcome,
            sql: r.sql,
            reason: r.detail ?? null,
            readings: r.readings ?? null,
          }),
        );
        await appendFile(opts.report, lines.map((l) => `${l}\n`).join(''));
      }
      done.push({ file, db, report });
      addTally(total, report.overall);
    } finally {
      await runtime.close();
    }
  }
  if (opts.format === 'json') {
    process.stdout.write(`${JSON.stringify({ files: done, total }, null, 2)}\n`);
  } else if (done.length === 1) {
    process.stdout.write(reportText(done[0]!.report, opts.verbose));
  } else {
    for (const f of done) process.stdout.write(`## ${f.file}\n\n${reportText(f.report, opts.verbose)}\n`);
    process.stdout.write(summaryText(done, total));
  }
  return 0;
}
