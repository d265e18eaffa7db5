import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { Answer } from '../domain/types.ts';
import { LOCAL_TEAM, localRuntime } from '../localRuntime.ts';
import { answer } from '../pipeline/index.ts';
import { answerJson } from '../render/answerJson.ts';
import { printAnswer } from './printAnswer.ts';

export interface AskOptions {
  databaseUrl?: string;
  user: string;
  format: 'text' | 'json';
  chart?: string;
}

export async function askCommand(question: string, opts: AskOptions): Promise<number> {
  const runtime = await localRuntime({ ...opts, oneShot: true });
  try {
    const a = await answer(
      question,
      {
        teamId: LOCAL_TEAM,
        userId: opts.user,
        session: { teamId: LOCAL_TEAM, channelId: 'cli', threadTs: randomUUID() },
      },
      runtime.pipeline,
    );
    let chartFile: string | null = null;
    if (opts.chart && !a.error) {
      // The canvas and Chart.js load only when a chart is asked for.
      const { renderAnswerChart } = await import('../render/answerChart.ts');
      const chart = await renderAnswerChart(a);
      if (chart) {
        await writeFile(opts.chart, chart.png);
        chartFile = opts.chart;
      }
    }
    if (opts.format === 'json') process.stdout.write(`${JSON.stringify(answerJson(a, chartFile))}\n`);
    else printAnswer(a, chartFile);
    await runtime.learnQueue.drain().catch(() => {});
    return exitCodeFor(a);
  } finally {
    await runtime.close();
  }
}

/** 0 answered, 2 not understood, 1 any other failure. */
function exitCodeFor(answer: Answer): number {
  if (!answer.error) return 0;
  return answer.error.kind === 'not_understood' ? 2 : 1;
}
