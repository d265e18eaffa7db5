import { loadDemo } from '../demo/load.ts';
import { connectPostgres } from '../runtime.ts';

export async function demoLoadCommand(opts: { databaseUrl: string; scale: number }): Promise<number> {
  const db = await connectPostgres(opts.databaseUrl, 'DATABASE_URL', 2);
  const started = performance.now();
  let lastShown = 0;
  try {
    const counts = await loadDemo(db, {
      scale: opts.scale,
      onProgress: (p) => {
        const now = performance.now();
        if (now - lastShown < 500 && p.done < p.total) return;
        lastShown = now;
        process.stderr.write(
          `\r  ${p.table}: ${p.done.toLocaleString('en-US')} / ${p.total.toLocaleString('en-US')}   `,
        );
      },
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stderr.write('\r');
    process.stdout.write(
      `Loaded the demo shop in ${seconds} s: ${Object.entries(counts)
        .map(([t, n]) => `${Number(n).toLocaleString('en-US')} ${t}`)
        .join(', ')}.\n`,
    );
    return 0;
  } finally {
    await db.close();
  }
}
