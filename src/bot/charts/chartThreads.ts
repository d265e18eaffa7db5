import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { Answer } from '../../domain/types.ts';
import type { AnswerChart, AnswerChartOptions } from '../../render/index.ts';

// Charts are drawn on worker threads so the main thread stays free to acknowledge events.

export interface ChartRenderer {
  render(answer: Answer, options?: AnswerChartOptions): Promise<AnswerChart | null>;
  close(): Promise<void>;
}

/** One thread per spare core (at least one, at most four). */
export function defaultChartThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

export function threadedChartRenderer(threads = defaultChartThreads()): ChartRenderer {
  const pool = new Piscina({
    filename: new URL('./chartWorker.mjs', import.meta.url).href,
    minThreads: 0,
    maxThreads: threads,
    // Keep a thread warm between questions (fonts and Chart.js load once), not forever.
    idleTimeout: 10 * 60_000,
  });
  return {
    async render(answer, options = {}) {
      const chart: AnswerChart | null = await pool.run({ answer, options });
      // The PNG crosses threads as a plain Uint8Array.
      return (
        chart && { ...chart, png: Buffer.from(chart.png.buffer, chart.png.byteOffset, chart.png.byteLength) }
      );
    },
    close: () => pool.destroy(),
  };
}
