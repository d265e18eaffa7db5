import { loadDemo } from '../demo/load.ts';
import { connectPostgres } from '../runtime.ts';

/** Names of the loaded row counts as people read them. */
const WORDS: Record<string, string> = { orderItems: 'order items' };

export async function demoLoadCommand(opts: { databaseUrl: string; scale: number }): Promise<number> {
  const db = await connectPostgres(opts.databaseUrl, 'DATABASE_URL', 2);
  const started = performance.now();
  // A terminal gets one line redrawn in place; a log gets a line every few seconds.
  const tty = process.stderr.isTTY;
  const every = tty ? 500 : 3000;
  let lastShown = 0;
  try {
    const counts = await loadDemo(db, {
      scale: opts.scale,
      onProgress: (p) => {
        const now = performance.now();
        if (now - lastShown < every && p.done < p.total) return;
        lastShown = now;
        const line = `  ${p.table}: ${p.done.toLocaleString('en-US')} / ${p.total.toLocaleString('en-US')}`;
        process.stderr.write(tty ? `\r${line}   ` : `${line}\n`);
      },
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (tty) process.stderr.write('\r\x1b[K');
    process.stdout.write(
      `Loaded the demo shop in ${seconds} s: ${Object.entries(counts)
        .map(([t, n]) => `${Number(n).toLocaleString('en-US')} ${WORDS[t] ?? t}`)
        .join(', ')}.\n`,
    );
    return 0;
  } finally {
    await db.close();
  }
}
